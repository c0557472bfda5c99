"""Demo strategy, action plan, committees and meetings (called by `manage.py seed_demo`).

Modelled on the shape of Reading's 2016-17 interim children's commissioning strategy and its
action plan (subjects, actions, timescales, COMPLETE / IN PROGRESS / YET TO COMMENCE), in our own
words, for a fictional council. Dates are relative to today so the plan always has overdue
actions, actions due soon and actions done. Idempotent: does nothing if the strategy exists.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.periods import financial_year_start
from core.roles import COMMISSIONER, PLACEMENTS_OFFICER
from core.working_days import next_working_day

from .models import Action, ActionUpdate, Committee, Meeting, Priority, Strategy

DEMO = "Demo data"

STRATEGY_TITLE = "Children and young people's commissioning strategy"

COMMITTEES = [
    ("Children and Families Committee", "Receives quarterly performance, contracts and placements reports."),
    ("Overview and Scrutiny", "Scrutinises performance of children's services against the outcomes framework."),
    ("Cabinet", "Takes key decisions, including contract awards and strategy approval."),
    ("Finance Sub-Committee", "Approves procurements above the key-decision threshold before award."),
]

PRIORITIES = [
    (
        "Commission with the children and services we work for",
        "Line every contract up with the outcomes social care, education and health want for children; "
        "keep contracts reviewed, never rolled over by default; put a personalised IPA in place for every placement.",
        "1. Safeguarding and protecting those that are most vulnerable",
    ),
    (
        "Work with partners on need, quality and value",
        "Benchmark against statistical neighbours; agree joint commissioning with health and education; "
        "share intelligence about providers with neighbouring councils.",
        "2. Providing the best life through education, early help and healthy living",
    ),
    (
        "Shape a local market that meets our sufficiency duty",
        "Involve providers in needs assessments, grow local foster and residential provision so children "
        "live closer to home, and use frameworks before spot purchasing.",
        "6. Remaining financially sustainable to deliver these service priorities",
    ),
]

PRINCIPLES = """Outcomes for the child come first: we buy what makes a difference.
Placements close to home unless a child's safety needs otherwise.
Frameworks and approved lists before spot purchasing.
Every contract has an owner, a review date and a decision before it ends.
Children, young people and carers help design and review what we buy."""

# subject, action, priority number, due in days from today (None: no date), timescale text, status,
# progress notes as (days ago, note, status after)
ACTIONS = [
    (
        "Residential care",
        "Take every residential placement to the Solutions Panel for review",
        1,
        -120,
        "",
        "complete",
        [
            (130, "Panel dates agreed for all current placements.", "in_progress"),
            (118, "All placements reviewed at panel; three step-down plans agreed.", "complete"),
        ],
    ),
    (
        "Residential care",
        "Write an options paper on regional arrangements for residential care before the current framework ends",
        3,
        -21,
        "Before the framework ends",
        "in_progress",
        [(40, "First draft shared with the commissioning manager.", "in_progress")],
    ),
    ("Residential care", "Research lead-provider models and report findings to DMT", 3, 60, "", "yet_to_commence", []),
    (
        "Independent fostering",
        "Agree fees for emergency placements with each provider on the approved list",
        3,
        -9,
        "",
        "in_progress",
        [(30, "Meetings held with two agencies; four more booked.", "in_progress")],
    ),
    (
        "Independent fostering",
        "Check placements with school transport for double funding with SEN",
        1,
        45,
        "",
        "in_progress",
        [(12, "Half of the cases checked at panel; no double funding found so far.", "in_progress")],
    ),
    (
        "Independent fostering",
        "Present the options appraisal on joining the new regional IFA framework to DMT",
        3,
        -45,
        "",
        "in_progress",
        [(60, "Appraisal drafted; waiting on other councils' decisions.", "in_progress")],
    ),
    (
        "Tenders",
        "Prepare the tender for the leaving care accommodation framework",
        3,
        75,
        "",
        "in_progress",
        [(7, "Specification agreed with Procurement.", "in_progress")],
    ),
    ("Tenders", "Prepare the tender for the residential care framework", 3, 120, "", "yet_to_commence", []),
    (
        "Tenders",
        "Re-tender short breaks for disabled children",
        1,
        -200,
        "",
        "cancelled",
        [(210, "Service brought in-house by Cabinet decision; tender withdrawn.", "cancelled")],
    ),
    (
        "Contracts",
        "Build a register of every block and spot arrangement across the directorate",
        1,
        -60,
        "",
        "complete",
        [(95, "Spend data collected from finance.", "in_progress"), (62, "Register published.", "complete")],
    ),
    (
        "Contracts",
        "Agree a timetable to formalise arrangements with every provider we buy from",
        1,
        -14,
        "",
        "in_progress",
        [(20, "Timetable drafted; revised after the inspection.", "in_progress")],
    ),
    ("Contracts", "Set review frequency for each contract from its risk rating", 1, 30, "", "in_progress", []),
    (
        "Sufficiency",
        "Refresh the sufficiency statement with this year's placement data",
        3,
        90,
        "By the end of the year",
        "yet_to_commence",
        [],
    ),
    (
        "Sufficiency",
        "Carry out a needs assessment for young people aged 16 and over",
        2,
        -30,
        "",
        "in_progress",
        [(50, "Data gathered with the leaving care team.", "in_progress")],
    ),
    (
        "Sufficiency",
        "Assess need for mother and baby placements and take options to DMT",
        2,
        20,
        "",
        "yet_to_commence",
        [],
    ),
    (
        "16+ accommodation",
        "Work with the leaving care team on forecasting semi-independent placements",
        2,
        -90,
        "",
        "complete",
        [(100, "Bi-monthly planning meetings set up for young people approaching 16.", "complete")],
    ),
    (
        "16+ accommodation",
        "Develop proposals for an in-house supported lodgings service",
        3,
        150,
        "",
        "yet_to_commence",
        [],
    ),
    (
        "Quality monitoring",
        "Develop a risk matrix that flags risks to placements and providers",
        1,
        -5,
        "",
        "in_progress",
        [(25, "First draft created with the quality monitoring team.", "in_progress")],
    ),
    (
        "Quality monitoring",
        "Set up monitoring and reporting of the outcomes framework",
        2,
        180,
        "Ongoing",
        "yet_to_commence",
        [],
    ),
    (
        "Needs analysis and strategy",
        "Complete a full needs analysis across children's services",
        2,
        200,
        "",
        "in_progress",
        [(14, "Early help and social care data sets agreed.", "in_progress")],
    ),
]


def _meetings(today: date) -> list[tuple[str, date]]:
    rng = random.Random(2026)
    meetings = []
    for name, _ in COMMITTEES:
        for offset in (-70, 16, 100):
            # Committees meet on working days: never at a weekend or on a bank holiday.
            meetings.append((name, next_working_day(today + timedelta(days=offset + rng.randint(0, 6)))))
    return meetings


def load(*, users):
    if Strategy.objects.filter(title=STRATEGY_TITLE).exists():
        return
    today = timezone.localdate()
    commissioner = users[COMMISSIONER]
    owners = [users[COMMISSIONER], users[COMMISSIONER], users[PLACEMENTS_OFFICER]]

    committees = {
        name: Committee.objects.get_or_create(name=name, defaults={"description": desc})[0] for name, desc in COMMITTEES
    }
    # With history rows, as the other apps' demo loaders do, so every record's history page has its creation.
    bulk_create_with_history(
        [
            Meeting(committee=committees[name], date=d, location="Council Chamber, Civic Offices")
            for name, d in _meetings(today)
        ],
        Meeting,
        ignore_conflicts=True,
        default_user=commissioner,
        default_change_reason=DEMO,
    )

    fy_start = financial_year_start(today)
    Strategy.objects.create(
        title="Interim children's commissioning strategy",
        summary="A one-year interim strategy setting out commissioning priorities and principles while the "
        "full needs analysis was done.",
        principles=PRINCIPLES,
        starts_on=fy_start.replace(year=fy_start.year - 2),
        ends_on=fy_start.replace(year=fy_start.year - 1) - timedelta(days=1),
        status=Strategy.Status.SUPERSEDED,
        approved_by=committees["Children and Families Committee"],
        approved_on=fy_start.replace(year=fy_start.year - 2) + timedelta(days=70),
    )
    strategy = Strategy.objects.create(
        title=STRATEGY_TITLE,
        summary="How we will commission services for children, young people and their families over three "
        "years: the outcomes we want, our priorities and the principles we work to.",
        principles=PRINCIPLES,
        starts_on=fy_start.replace(year=fy_start.year - 1),
        ends_on=fy_start.replace(year=fy_start.year + 2) - timedelta(days=1),
        status=Strategy.Status.APPROVED,
        approved_by=committees["Cabinet"],
        approved_on=fy_start.replace(year=fy_start.year - 1) - timedelta(days=20),
    )
    priorities = bulk_create_with_history(
        [
            Priority(strategy=strategy, number=i, title=t, description=d, corporate_priority=c)
            for i, (t, d, c) in enumerate(PRIORITIES, start=1)
        ],
        Priority,
        default_user=commissioner,
        default_change_reason=DEMO,
    )
    by_number = {p.number: p for p in priorities}

    actions, updates = [], []
    for i, (subject, text, prio, due_in, timescale, status, notes) in enumerate(ACTIONS):
        completed_on = None
        if status == Action.Status.COMPLETE:
            completed_on = today - timedelta(days=min(n[0] for n in notes))
        actions.append(
            Action(
                strategy=strategy,
                priority=by_number[prio],
                subject=subject,
                description=text,
                owner=owners[i % len(owners)],
                due_on=today + timedelta(days=due_in) if due_in is not None else None,
                timescale=timescale,
                status=status,
                completed_on=completed_on,
            )
        )
    actions = bulk_create_with_history(actions, Action, default_user=commissioner, default_change_reason=DEMO)
    for action, (*_, notes) in zip(actions, ACTIONS, strict=True):
        before = Action.Status.YET_TO_COMMENCE
        for days_ago, note, after in sorted(notes, key=lambda n: -n[0]):
            updates.append(
                ActionUpdate(
                    action=action,
                    noted_on=today - timedelta(days=days_ago),
                    note=note,
                    status_before=before,
                    status_after=after,
                    author=commissioner,
                )
            )
            before = after
    bulk_create_with_history(updates, ActionUpdate, default_user=commissioner, default_change_reason=DEMO)
