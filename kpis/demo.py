# ruff: noqa: E501 - one KPI per line reads best
"""Demo KPIs: about 35 indicators over the three themes with three years of values and benchmarks.

They cover every unit, polarity and kind of target, and the latest values are set so the
dashboard shows every status (red, amber, green, no data, no target). Targets and wording follow
the shape of a council's primary KPI set; the figures are invented. Two indicators are computed
from placements data (measure keys registered by the placements app).
Deterministic (random.Random(2026)), dates relative to today, idempotent.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.demo import demo_team_create
from core.periods import financial_year_start
from core.working_days import is_working_day, next_working_day
from outcomes.demo import heads_of_service_create, outcome_by_key
from outcomes.models import Theme

from .models import Benchmark, Indicator, Measurement, Target
from .periods import recent_period_ends
from .services import statuses_recompute

PERIODS = {"monthly": 36, "quarterly": 12, "annual": 3}  # three years of each

THEME_NAMES = {
    "education": "Education",
    "early_help": "Early Help, Early Intervention and Health",
    "safeguarding": "Safeguarding and Looked After Children",
}

# code, name, theme, unit, polarity, frequency, target (kind, X, Y, benchmark, tolerance),
# start value, latest value (None: no data), noise, extras
KPIS = [
    ("SC01", "MASH contacts received in the month and considered", "safeguarding", "count", "within_band", "monthly", ("between", 600, 700, "", 50), 610, 655, 25, {"decimals": 0, "outcomes": ["sc_right_help"]}),
    ("SC02", "Re-referrals to children's social care within 12 months", "safeguarding", "percentage", "lower_is_better", "monthly", ("at_most", 22, None, "", 2), 26, 23.1, 1.2, {"england": (22.7, 21.4), "outcomes": ["sc_right_help"]}),
    ("SC03", "Assessments completed per 10,000 children aged 0 to 17", "safeguarding", "rate", "within_band", "quarterly", ("within_benchmark_range", None, None, "", 25), 520, 590, 12, {"rate_per": 10000, "rate_population": "children aged 0 to 17", "sn": (420, 560), "outcomes": ["sc_assessment"]}),
    ("SC04", "Assessments completed within 45 working days", "safeguarding", "percentage", "higher_is_better", "monthly", ("at_least", 85, None, "", 5), 79, 88.4, 2.5, {"england": (82.1, 83.0), "outcomes": ["sc_assessment"]}),
    ("SC05", "Children in need at the end of the month (excluding looked after and child protection)", "safeguarding", "count", "within_band", "monthly", ("between", 280, 320, "", 20), 300, 334, 8, {"decimals": 0, "counts_children": True, "outcomes": ["sc_protected"]}),
    ("SC06", "Initial child protection conferences held within 15 working days", "safeguarding", "percentage", "higher_is_better", "monthly", ("at_least", 90, None, "", 5), 88, 78, 4, {"england": (78.9, 77.6), "outcomes": ["sc_protected"]}),
    ("SC07", "Children subject to a child protection plan per 10,000 children aged 0 to 17", "safeguarding", "rate", "within_band", "quarterly", ("within_benchmark_range", None, None, "", 3), 51, 44, 1.5, {"rate_per": 10000, "rate_population": "children aged 0 to 17", "sn": (38, 52), "outcomes": ["sc_protected", "sc_early_years"]}),
    ("SC08", "Children looked after per 10,000 children aged 0 to 17", "safeguarding", "rate", "within_band", "quarterly", ("within_benchmark_range", None, None, "", 4), 64, 68, 1.5, {"counts_children": True, "rate_per": 10000, "rate_population": "children aged 0 to 17", "sn": (55, 75), "measure_key": "placements.looked_after_rate", "outcomes": ["sc_care_options"]}),
    ("SC09", "Children looked after with three or more placements in the year", "safeguarding", "percentage", "lower_is_better", "quarterly", ("at_most", 8, None, "", 1), 7.5, 9.4, 0.5, {"counts_children": True, "england": (10.0, 10.0), "measure_key": "placements.stability_3plus", "outcomes": ["sc_stability"]}),
    ("SC10", "Adoptive families approved in the quarter", "safeguarding", "count", "higher_is_better", "quarterly", ("at_least", 9, None, "", 2), 6, 8, 1.5, {"decimals": 0, "outcomes": ["sc_adoption"]}),
    ("SC11", "Average days between entering care and moving in with an adoptive family", "safeguarding", "days", "lower_is_better", "annual", ("at_most", 426, None, "", 60), 520, 455, 10, {"decimals": 0, "england": (486, 475), "outcomes": ["sc_adoption"]}),
    ("SC12", "Average weekly cost of an independent fostering agency placement", "safeguarding", "money", "lower_is_better", "quarterly", ("at_most", 850, None, "", 50), 812, 872.40, 9, {"decimals": 2, "outcomes": ["sc_care_options"]}),
    ("SC13", "Return interviews completed within 72 hours of a child going missing", "safeguarding", "percentage", "higher_is_better", "monthly", ("at_least", 75, None, "", 5), 62, 81, 4, {"outcomes": ["sc_cse_teens", "eh_cse_missing"]}),
    ("SC14", "Care leavers aged 19 to 21 in suitable accommodation", "safeguarding", "percentage", "higher_is_better", "quarterly", ("at_least_benchmark", None, None, "england", 3), 84, 91, 1.5, {"england": (88, 88.4), "england_every_period": True, "outcomes": ["sc_accommodation", "sc_adulthood"]}),
    ("ED01", "Children achieving a good level of development at the end of the early years foundation stage", "education", "percentage", "higher_is_better", "annual", ("at_least", 70, None, "", 2), 66, 68.9, 0.5, {"england": (67.2, 67.7), "outcomes": ["ed_ready_school", "eh_ready_school"]}),
    ("ED02", "Pupils making expected progress in reading between Key Stage 1 and Key Stage 2", "education", "percentage", "higher_is_better", "annual", ("at_least", 91, None, "", 2), 88, 92, 0.5, {"outcomes": ["ed_ks2"]}),
    ("ED03", "Pupils achieving grade 5 or above in English and maths at GCSE", "education", "percentage", "higher_is_better", "annual", ("at_least_benchmark", None, None, "england", 2), 44.5, 42.1, 0.4, {"england": (45.3, 45.9), "england_every_period": True, "outcomes": ["ed_ks4"]}),
    ("ED04", "Gap between pupils eligible for free school meals and others achieving grade 5 or above in English and maths", "education", "percentage", "lower_is_better", "annual", ("at_most", 45, None, "", 3), 36, 31, 0.5, {"outcomes": ["ed_gaps"]}),
    ("ED05", "Gap between pupils with special educational needs and others achieving grade 5 or above in English and maths", "education", "percentage", "lower_is_better", "annual", ("at_most", 59, None, "", 3), 63, 61.2, 0.4, {"outcomes": ["ed_gaps", "ed_send_local"]}),
    ("ED06", "Schools judged good or outstanding by Ofsted", "education", "percentage", "higher_is_better", "quarterly", ("at_least", 85, None, "", 3), 81, 87.5, 0.8, {"next": ("at_least", 90, None, "", 3), "england": (89, 90), "outcomes": ["ed_good_schools"]}),
    ("ED07", "Young people aged 16 and 17 not in education, employment or training", "education", "percentage", "lower_is_better", "monthly", ("at_most", 2.5, None, "", 0.5), 2.9, 3.4, 0.25, {"england": (2.8, 3.1), "outcomes": ["ed_eet_16_18"]}),
    ("ED08", "Young people aged 16 and 17 whose education, employment or training status is known", "education", "percentage", "higher_is_better", "monthly", ("at_least", 100, None, "", 3), 94, 98.2, 0.8, {"outcomes": ["ed_eet_16_18"]}),
    ("ED09", "Young people aged 16 to 19 with learning difficulties or disabilities in education, employment or training", "education", "percentage", "higher_is_better", "quarterly", ("at_least", 20, None, "", 2), 15, 24, 1, {"outcomes": ["ed_post16", "ed_work_19_25"]}),
    ("ED10", "Pupils persistently absent from school", "education", "percentage", "lower_is_better", "quarterly", ("at_most_benchmark", None, None, "england", 1), 22.3, 17.2, 0.6, {"england": (21.2, 18.1), "england_every_period": True, "outcomes": ["ed_attendance", "ed_full_time"]}),
    ("ED11", "Education, health and care plans issued within 20 weeks", "education", "percentage", "higher_is_better", "monthly", ("at_least_benchmark", None, None, "england", 5), 38, None, 4, {"england": (49.2, 46.4), "england_every_period": True, "outcomes": ["ed_send_local"]}),
    ("ED12", "Pupils with an education, health and care plan taught in mainstream schools", "education", "percentage", "higher_is_better", "annual", None, 38, 41, 0.5, {"outcomes": ["ed_send_local"]}),
    ("ED13", "Children in care with an up-to-date Personal Education Plan", "education", "percentage", "higher_is_better", "monthly", ("at_least", 95, None, "", 3), 86, 96.5, 2, {"outcomes": ["ed_pep"]}),
    ("EH01", "Early help cases stepped up to children's social care", "early_help", "percentage", "lower_is_better", "monthly", ("at_most", 5, None, "", 1), 6.5, 4.2, 0.5, {"outcomes": ["eh_step_down"]}),
    ("EH02", "Cases stepped down to early help from the MASH and social care teams", "early_help", "percentage", "higher_is_better", "monthly", ("at_least", 30, None, "", 3), 28, 25, 2, {"outcomes": ["eh_step_down"]}),
    ("EH03", "Closed early help cases re-referred to children's social care within 9 months", "early_help", "percentage", "lower_is_better", "quarterly", ("at_most", 10, None, "", 2), 12, 11.5, 0.7, {"outcomes": ["eh_step_down"]}),
    ("EH04", "Closed early help cases re-referred to early help within 9 months", "early_help", "percentage", "lower_is_better", "quarterly", ("at_most", 7, None, "", 1), 8.2, 6.1, 0.5, {"outcomes": ["eh_step_down"]}),
    ("EH05", "Families making a significant positive change in domestic abuse, neglect or mental health", "early_help", "percentage", "higher_is_better", "quarterly", ("at_least", 75, None, "", 5), 69, 77, 2, {"outcomes": ["eh_no_abuse", "sc_domestic_abuse"]}),
    ("EH06", "First-time entrants to the youth justice system per 100,000 young people aged 10 to 17", "early_help", "rate", "lower_is_better", "quarterly", ("at_most", 376, None, "", 20), 360, 402, 12, {"decimals": 0, "rate_per": 100000, "rate_population": "young people aged 10 to 17", "england": (169, 162), "outcomes": ["eh_offending", "sc_offending_siblings"]}),
    ("EH07", "Frequency of re-offending: re-offences per offender in the cohort", "early_help", "ratio", "lower_is_better", "quarterly", ("at_most", 1.19, None, "", 0.1), 1.31, 1.24, 0.03, {"decimals": 2, "england": (1.27, 1.24), "outcomes": ["eh_offending"]}),
    ("EH08", "Mothers still breastfeeding at 6 to 8 weeks", "early_help", "percentage", "higher_is_better", "quarterly", ("at_least", 63, None, "", 3), 58, 64.5, 1.2, {"england": (49.2, 49.8), "outcomes": ["eh_breastfeeding"]}),
    ("EH09", "Conceptions to young women under 18 per 1,000 aged 15 to 17", "early_help", "rate", "lower_is_better", "annual", ("at_most_benchmark", None, None, "england", 1), 17.8, 15.2, 0.3, {"rate_per": 1000, "rate_population": "young women aged 15 to 17", "england": (13.1, 13.1), "england_every_period": True, "outcomes": ["eh_teen_pregnancy"]}),
    ("EH10", "Families attending a stay-and-play session in the quarter", "early_help", "count", "higher_is_better", "quarterly", None, 410, 468, 20, {"decimals": 0, "outcomes": ["eh_attachment", "eh_ready_school"]}),
    ("EH11", "Children referred to mental health services seen within 4 weeks", "early_help", "percentage", "higher_is_better", "monthly", ("at_least", 80, None, "", 5), 64, 83, 3, {"outcomes": ["eh_mental_health"]}),
]

# Commentary on the latest value of a few KPIs, written by the KPI's owner; True: already signed off.
DEMO_COMMENTARY = {
    "EH02": ("Fewer cases were stepped down while the MASH was short of two social workers.",
             "Two agency social workers start in the MASH this month; step-down is reviewed weekly.", True),
    "EH11": ("Waiting times rose when the mental health support team lost its senior practitioner.",
             "A locum senior practitioner is in post and the waiting list is being triaged.", True),
    "ED13": ("Personal Education Plans fell behind during the change of virtual school head.",
             "The virtual school is reviewing every overdue plan by the end of the quarter.", False),
}

DEFINITIONS = {
    "rate": "Count in the period divided by the population named, multiplied by the rate base.",
    "percentage": "Numerator as a percentage of the cohort measured in the period.",
    "count": "Number recorded in the period.",
    "ratio": "The first quantity divided by the second, as a plain ratio.",
    "days": "Average number of days, calendar days unless stated.",
    "money": "Average cost in pounds, from the placements finance system.",
}


def _decimal(value: float, decimals: int) -> Decimal:
    return Decimal(str(round(value, decimals)))


def load(*, users):
    if Indicator.objects.filter(code="SC01").exists():
        return
    rng = random.Random(2026)  # demo data, not security
    today = timezone.localdate()
    heads = heads_of_service_create()
    themes = {key: Theme.objects.get(name=name) for key, name in THEME_NAMES.items()}
    outcomes = outcome_by_key()
    admin = next(iter(users.values()), None)
    team = demo_team_create(users) or [admin]
    signing = random.Random(2027)
    now = timezone.now()
    indicators, targets, benchmarks, measurements, links = [], [], [], [], []
    for code, name, theme, unit, polarity, frequency, target, start, end, noise, extra in KPIS:
        decimals = extra.get("decimals", 1)
        indicator = Indicator(
            code=code, name=name, theme=themes[theme], unit=unit, polarity=polarity, frequency=frequency,
            decimals=decimals, owner=heads[theme], definition=f"{name}. {DEFINITIONS[unit]}",
            rate_per=extra.get("rate_per"), rate_population=extra.get("rate_population", ""),
            measure_key=extra.get("measure_key", ""), counts_children=extra.get("counts_children", False),
            data_source="computed" if extra.get("measure_key") else ("imported" if frequency == "monthly" else "entered"),
        )
        indicators.append(indicator)
        ends = recent_period_ends(today, frequency, PERIODS[frequency])
        n = len(ends)
        for i, period_end in enumerate(ends):
            if i == n - 1:
                value = None if end is None else _decimal(end, decimals)
            else:
                last = end if end is not None else start
                trend = start + (last - start) * i / (n - 1)
                raw = trend + rng.gauss(0, noise)
                if unit == "percentage":
                    raw = min(max(raw, 0), 100)
                value = _decimal(max(raw, 0), decimals)
            # Earlier values are signed off; the latest awaits approval unless its commentary was approved.
            commentary, action, approved = DEMO_COMMENTARY.get(code, ("", "", False)) if i == n - 1 else (
                "", "", True)
            measurements.append(Measurement(indicator=indicator, period_end=period_end, value=value,
                                            entered_by=heads[theme], note="" if value is not None else
                                            "Not yet validated by the performance team",
                                            commentary=commentary, remedial_action=action,
                                            commentary_by=heads[theme] if commentary else None,
                                            approved_by=signing.choice(team) if approved else None,
                                            approved_at=_signed_off_at(period_end, signing, now) if approved else None))
        if target:
            kind, x, y, source, tolerance = target
            first_start = financial_year_start(ends[0])
            targets.append(_target(indicator, kind, x, y, source, tolerance, first_start))
            if nxt := extra.get("next"):
                targets.append(_target(indicator, *nxt, financial_year_start(ends[-1])))
        benchmarks.extend(_benchmarks(indicator, ends, extra, rng))
        links.extend((indicator, outcomes[k]) for k in extra.get("outcomes", []) if k in outcomes)
    bulk_create_with_history(indicators, Indicator, default_user=admin, default_change_reason="Demo data")
    bulk_create_with_history(targets, Target, default_user=admin, default_change_reason="Demo data")
    bulk_create_with_history(benchmarks, Benchmark, default_user=admin, default_change_reason="Demo data")
    bulk_create_with_history(measurements, Measurement, default_user=admin, default_change_reason="Demo data")
    Indicator.outcomes.through.objects.bulk_create(
        [Indicator.outcomes.through(indicator_id=i.pk, outcome_id=o.pk) for i, o in links], ignore_conflicts=True
    )
    statuses_recompute()


def _signed_off_at(period_end, rng, now):
    """Two to six weeks after the period ends (by the last working day before today at the latest), on a working
    day in office hours."""
    latest = timezone.localdate(now) - timedelta(days=1)
    while not is_working_day(latest):
        latest -= timedelta(days=1)
    day = min(next_working_day(period_end + timedelta(days=rng.randint(14, 42))), latest)
    return timezone.make_aware(datetime.combine(day, time(rng.randint(9, 16), rng.choice([0, 15, 30, 45]))))


def _target(indicator, kind, x, y, source, tolerance, starts_on) -> Target:
    def d(v):
        return None if v is None else Decimal(str(v))

    return Target(indicator=indicator, kind=kind, value=d(x), upper=d(y), benchmark_source=source,
                  tolerance=d(tolerance), starts_on=starts_on)


def _benchmarks(indicator, ends, extra, rng) -> list[Benchmark]:
    """England figures (each period when a target follows them, else each March), and neighbours' ranges."""
    out = []
    n = len(ends)
    if england := extra.get("england"):
        first, last = england
        for i, period_end in enumerate(ends):
            if extra.get("england_every_period") or period_end.month == 3:
                value = first + (last - first) * (i / (n - 1) if n > 1 else 1)
                out.append(Benchmark(indicator=indicator, period_end=period_end, source="england",
                                     value=Decimal(str(round(value, 2)))))
    if sn := extra.get("sn"):
        low, high = sn
        for period_end in ends:
            wobble = rng.uniform(-2, 2)
            out.append(Benchmark(
                indicator=indicator, period_end=period_end, source="statistical_neighbours",
                value=Decimal(str(round((low + high) / 2 + wobble, 1))),
                minimum=Decimal(str(round(low + wobble, 1))), maximum=Decimal(str(round(high + wobble, 1))),
            ))
    return out
