"""Reads for committee reports."""

from datetime import date

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from plans.models import Meeting

from .models import ReportRun


def report_run_list():
    return ReportRun.objects.select_related("requested_by", "meeting__committee")


def report_run_get(*, pk) -> ReportRun:
    return get_object_or_404(report_run_list(), pk=pk)


def meetings_ahead(*, as_of: date, limit: int = 5) -> list[Meeting]:
    """The next committee meetings, soonest first, with how many reports have been built for each."""
    return list(
        Meeting.objects.select_related("committee")
        .filter(date__gte=as_of)
        .annotate(reports_built=Count("reports", filter=Q(reports__status=ReportRun.Status.COMPLETE)))
        .order_by("date", "committee__name")[:limit]
    )


def report_runs_requested_by(*, user, limit: int = 5) -> list[ReportRun]:
    return list(report_run_list().filter(requested_by=user)[:limit])


# What the officer types once per meeting and per committee: the next report for the same meeting (or, for
# a new meeting, the same committee) starts from the last report's answers.
REMEMBERED_FOR_COMMITTEE = ("report_of", "lead_officer", "lead_officer_contact", "portfolio_holder", "wards_affected")
# The agenda item belongs to the meeting's agenda: never carried to another meeting.
REMEMBERED_FOR_MEETING = ("agenda_item", *REMEMBERED_FOR_COMMITTEE)


def front_sheet_remembered(*, meeting: Meeting | None) -> dict[str, str]:
    """The front sheet of the last report for this meeting, each answer left blank there taken from the last
    report for the same committee that gave it. Two queries."""
    if meeting is None:
        return {}
    remembered: dict[str, str] = {}
    same_meeting = ReportRun.objects.filter(meeting=meeting).order_by("-queued_at", "-pk")
    for run in same_meeting.values(*REMEMBERED_FOR_MEETING)[:1]:
        remembered = {name: value for name, value in run.items() if value}
    if any(name not in remembered for name in REMEMBERED_FOR_COMMITTEE):
        earlier = (ReportRun.objects.filter(meeting__committee_id=meeting.committee_id)
                   .exclude(meeting=meeting).order_by("-meeting__date", "-queued_at", "-pk")
                   .values(*REMEMBERED_FOR_COMMITTEE)[:20])
        for run in earlier:  # newest first: the first answer given wins
            for name, value in run.items():
                if value:
                    remembered.setdefault(name, value)
    return remembered
