"""Demo data for contracts and the market: invented providers, frameworks, contracts, reviews and a pipeline.

Deterministic (random.Random(2026)), dates relative to today, idempotent (returns if loaded).
The demo commissioner manages the largest share of contracts and the rest of the team the others, so their
dashboard and the daily alerts have something in them and the register is not one name throughout.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.demo import demo_team_create
from core.periods import add_months
from core.roles import COMMISSIONER

from . import dates, services
from .models import (
    Contract,
    ContractReview,
    Framework,
    FrameworkMembership,
    ProcurementPlanItem,
    Provider,
)

SEED = 2026
REF_PREFIX = "CYP-"

IFA_NAMES = [
    "Brightpath Fostering", "Harbour Family Placements", "Kestrel Foster Care", "Meadowbank Fostering",
    "Northgate Family Care", "Oakfield Fostering Services", "Riverside Foster Families", "Stepping Stones Fostering",
    "Thameside Fostering Agency", "Willow Foster Care", "Compass Family Placements", "Evergreen Fostering",
    "Hearthstone Fostering", "Lanterns Family Care", "Beacon Foster Families", "Chalkhill Fostering",
    "Foxglove Family Placements", "Millstream Fostering", "Ashdown Foster Care", "Bluebell Family Fostering",
    "Greenways Fostering", "Heron Family Placements", "Juniper Fostering", "Larkspur Foster Care",
]
RESIDENTIAL_NAMES = [
    "Cedar House Children's Homes", "Hillside Care Group", "Orchard View Homes", "Pinewood Residential Care",
    "Rowan Children's Services", "Seaview Therapeutic Care", "Elmstead Homes for Children", "Forest Lodge Care",
    "Greystone Residential", "Lakeside Young People's Homes", "Maple Grove Care", "Birchwood Therapeutic Homes",
]
SCHOOL_NAMES = [
    "Hollybrook Independent Special School", "Fernhill School", "Westmere Learning Centre",
    "Castlegate Specialist College", "Woodlands Education Trust", "Redbrook School",
]
VOLUNTARY_NAMES = [
    "Young Voices Advocacy", "Safe Haven Housing Trust", "Family Links Partnership", "Open Door Youth Trust",
    "Bridges Short Breaks", "Talking Matters Counselling", "Next Steps Supported Living", "Kinship Carers Network",
    "Pathways Mentoring CIC", "Harbour Young Carers",
]
COUNCIL_NAMES = ["Westmere Borough Council", "Eastvale County Council", "Northfield City Council"]
IN_HOUSE_NAMES = [
    "In-house fostering service", "In-house residential homes", "In-house short breaks service",
    "Leaving care team (in-house)", "Family support service (in-house)",
]
TOWNS = ["Westmere", "Eastvale", "Northfield", "Southport Cross", "Milbrook", "Ashby Vale", "Kingsley", "Harrowdale"]

SERVICE_TITLES = {
    "fostering": ["Independent fostering placements", "Parent and child fostering", "Specialist therapeutic fostering",
                  "Staying put arrangements", "Foster carer recruitment support"],
    "residential": ["Children's home placements", "Solo residential provision", "Therapeutic residential care",
                    "Short-term residential assessment", "Residential placements for disabled children"],
    "send": ["Independent special school places", "Post-16 specialist college places", "SEND transport escorts",
             "Alternative provision"],
    "leaving_care": ["Supported accommodation 16 to 17", "Semi-independent living", "Floating support for care leavers",
                     "Supported lodgings"],
    "short_breaks": ["Overnight short breaks", "Holiday play schemes", "Community short breaks", "Family link carers"],
    "early_help": ["Family support service", "Parenting programmes", "Young carers support", "Domestic abuse support"],
    "advocacy": ["Independent advocacy for children in care", "Independent visitors", "Return home interviews"],
    "health": ["Emotional wellbeing service for children in care", "Counselling for young people",
               "Health assessments for children in care"],
    "youth": ["Targeted youth support", "Mentoring for young people at risk of exploitation"],
}
# What a contract buys, in the words a register's description column uses (one per service area).
SERVICE_DESCRIPTIONS = {
    "fostering": "Foster care for children looked after by the council, with supervising social workers, training "
                 "and support for the carers.",
    "residential": "Places in registered children's homes for children whose needs cannot be met in a family, with "
                   "education and therapeutic support.",
    "send": "Education and support for children and young people with special educational needs and disabilities, "
            "as their education, health and care plans set out.",
    "leaving_care": "Accommodation and support for young people aged 16 and 17 and care leavers, working towards "
                    "living on their own.",
    "short_breaks": "Short breaks for disabled children and young people, and a break from caring for their families.",
    "early_help": "Help for families early, before their needs call for children's social care.",
    "advocacy": "Independent support for children in care and care leavers to have their views heard in the "
                "decisions made about them.",
    "health": "Emotional wellbeing and health support for children in care, commissioned with the integrated care "
              "board.",
    "youth": "Targeted support for young people at risk of exploitation, offending or leaving education.",
}


def load(*, users):
    if Contract.objects.filter(reference__startswith=REF_PREFIX).exists():
        return
    with transaction.atomic():
        _load(users)


def _money(rng, low, high, step=1000):
    return Decimal(rng.randrange(low // step, high // step + 1) * step)


def _load(users):
    rng = random.Random(SEED)
    today = timezone.localdate()
    commissioner = users.get(COMMISSIONER)

    providers = _providers(rng, today)
    by_kind = {}
    for p in providers:
        by_kind.setdefault(p._demo_group, []).append(p)
    frameworks = _frameworks(rng, today, by_kind)
    contracts = _contracts(rng, today, by_kind, frameworks, demo_team_create(users))
    _reviews(rng, today, contracts, commissioner)
    _pipeline(rng, today, contracts, commissioner)
    _link_kpis(contracts)


def _providers(rng, today):
    # Ofsted's judgements for England's children's homes and agencies run about one in five Outstanding, three in
    # five Good, one in seven Requires improvement and a few Inadequate: 31 of them, dealt out in a fixed order.
    ratings = (["good"] * 3 + ["outstanding"] + ["good"] * 2 + ["requires_improvement"]) * 4 + [
        "good", "outstanding", "inadequate"]
    rows = []
    groups = [
        ("ifa", IFA_NAMES, "private"), ("residential", RESIDENTIAL_NAMES, "private"),
        ("school", SCHOOL_NAMES, "private"), ("voluntary", VOLUNTARY_NAMES, "voluntary"),
        ("council", COUNCIL_NAMES, "other_council"), ("in_house", IN_HOUSE_NAMES, "in_house"),
    ]
    n = 0
    for group, names, kind in groups:
        for name in names:
            n += 1
            ofsted = group in ("ifa", "residential", "school", "in_house") or (group == "voluntary" and n % 3 == 0)
            if ofsted:
                rng.randrange(6)  # the draw the rating once took, so the rest of the demo keeps its random sequence
            provider = Provider(
                name=name, kind=kind,
                companies_house_number=f"{rng.randrange(1000000, 13999999):08d}" if kind == "private" else "",
                charity_number=f"{rng.randrange(1000000, 1199999)}" if kind == "voluntary" else "",
                ofsted_urn=f"SC{rng.randrange(400000, 499999)}" if ofsted else "",
                ofsted_rating=ratings[(n * 7) % len(ratings)] if ofsted else "",
                ofsted_inspected_on=today - timedelta(days=rng.randrange(60, 1100)) if ofsted else None,
                is_sme=kind in ("private", "voluntary") and rng.random() < 0.6,
                is_vcse=kind == "voluntary",
                status="suspended" if n in (17, 41) else "active",
                locality=rng.choice(TOWNS),
            )
            provider._demo_group = group
            rows.append(provider)
    groups_by_name = {p.name: p._demo_group for p in rows}
    bulk_create_with_history(rows, Provider)
    created = list(Provider.objects.filter(name__in=groups_by_name).order_by("pk"))
    for p in created:
        p._demo_group = groups_by_name[p.name]
    return created


def _frameworks(rng, today, by_kind):
    fostering = Framework(
        name="South Central regional independent fostering framework", kind="framework", service_area_id="fostering",
        lead_authority="Westmere Borough Council (on behalf of 11 councils)",
        member_councils="\n".join(["Example Borough Council", "Westmere Borough Council", "Eastvale County Council",
                                   "Northfield City Council", "Milbrook Borough Council", "Ashby Vale Council",
                                   "Kingsley Unitary Council", "Harrowdale District Council", "Southport Cross Council",
                                   "Redbrook County Council", "Castlegate City Council"]),
        start_date=today.replace(day=1) - timedelta(days=3 * 365 - 200), end_date=today + timedelta(days=200),
        extension_options="12+12", extensions_used=0,
        lots_or_tiers="Three tiers ranked on quality and price: councils call off tier 1 first.",
        description="Regional framework for independent fostering agency placements, 3+1+1 years.",
    )
    residential = Framework(
        name="Peninsula-style residential and specialist placements framework", kind="framework",
        service_area_id="residential", lead_authority="Eastvale County Council",
        member_councils="Example Borough Council\nEastvale County Council\nNorthfield City Council",
        start_date=today - timedelta(days=500), end_date=today + timedelta(days=1300), extension_options="24",
        lots_or_tiers="Lot 1 residential children's homes; Lot 2 residential with education.",
        description="Collaborative framework for residential placements with agreed weekly prices.",
    )
    approved = Framework(
        name="Supported accommodation approved provider list", kind="approved_list", service_area_id="leaving_care",
        lead_authority="Example Borough Council", start_date=today - timedelta(days=700),
        end_date=today + timedelta(days=395), extension_options="12",
        description="Approved list for supported accommodation for 16 and 17 year olds and care leavers; "
                    "providers must be registered with Ofsted from 2024.",
    )
    bulk_create_with_history([fostering, residential, approved], Framework)
    fostering, residential, approved = (Framework.objects.get(name=f.name) for f in (fostering, residential, approved))
    members = []
    for i, provider in enumerate(by_kind["ifa"]):
        members.append(FrameworkMembership(
            framework=fostering, provider=provider, tier=i % 3 + 1,
            agreed_weekly_price=Decimal(780 + 25 * (i % 3) + rng.randrange(0, 80)),
            price_notes="Standard placement, ages 0 to 17", joined_on=fostering.start_date))
    for i, provider in enumerate(by_kind["residential"] + by_kind["school"][:3]):
        members.append(FrameworkMembership(
            framework=residential, provider=provider, lot="Lot 1 Residential" if i < 12 else "Lot 2 With education",
            agreed_weekly_price=Decimal(rng.randrange(4200, 7800, 50)), joined_on=residential.start_date))
    for provider in by_kind["voluntary"][1:4] + by_kind["residential"][:2]:
        members.append(FrameworkMembership(framework=approved, provider=provider,
                                           agreed_weekly_price=Decimal(rng.randrange(900, 2200, 25))))
    bulk_create_with_history(members, FrameworkMembership)
    return {"fostering": fostering, "residential": residential, "approved": approved}


def _contracts(rng, today, by_kind, frameworks, team):
    commissioner = team[0] if team else None
    managers = team[:4]  # the commissioners; the performance manager manages no contract
    plan = []  # (service_area, provider group, contract type, route, framework key)
    plan += [("fostering", "ifa", "framework_call_off", "framework", "fostering")] * 30
    plan += [("residential", "residential", "framework_call_off", "framework", "residential")] * 18
    plan += [("residential", "residential", "spot", "spot", None)] * 8
    plan += [("send", "school", "ipa", "spot", None)] * 12
    plan += [("leaving_care", "voluntary", "dps_call_off", "framework", "approved")] * 8
    plan += [("leaving_care", "voluntary", "block", "open", None)] * 6
    plan += [("short_breaks", "voluntary", "block", "restricted", None)] * 6
    plan += [("early_help", "voluntary", "grant", "grant", None)] * 10
    plan += [("advocacy", "voluntary", "block", "competitive_with_negotiation", None)] * 5
    plan += [("health", "voluntary", "block", "open", None)] * 5
    plan += [("youth", "voluntary", "grant", "grant", None)] * 4
    plan += [("fostering", "in_house", "sla", "direct_award", None)] * 3
    plan += [("residential", "council", "block", "direct_award", None)] * 3
    plan += [("short_breaks", "in_house", "sla", "direct_award", None)] * 2
    values = {"fostering": (45000, 260000), "residential": (180000, 950000), "send": (60000, 320000),
              "leaving_care": (80000, 600000), "short_breaks": (40000, 350000), "early_help": (20000, 400000),
              "advocacy": (30000, 150000), "health": (50000, 300000), "youth": (15000, 120000)}
    lead = services.decision_lead_months()
    intervals = services.review_intervals()
    rows = []
    for n, (area, group, ctype, route, fw) in enumerate(plan, start=1):
        provider = by_kind[group][n % len(by_kind[group])]
        # Lifecycle: where today falls in the contract's life, spread across the register.
        stage = n % 12
        term_years = rng.choice([1, 2, 3, 3, 4, 5])
        options = rng.choice(["", "12", "12+12", "12+12", "24", "6+6"]) if ctype not in ("ipa", "spot") else ""
        option_list = dates.parse_extension_options(options)
        if stage == 0:  # awarded, not started
            start = today + timedelta(days=rng.randrange(20, 150))
        elif stage in (1, 2):  # ended
            start = today - timedelta(days=365 * term_years + rng.randrange(30, 400))
        elif stage in (3, 4, 5):  # ending within about 9 months: decisions due
            start = today - timedelta(days=365 * term_years - rng.randrange(20, 270))
        else:  # mid-term
            start = today - timedelta(days=rng.randrange(30, 365 * term_years - 300 if term_years > 1 else 60))
        start = start.replace(day=1)
        end = add_months(start, 12 * term_years) - timedelta(days=1)
        used = 0
        if option_list and stage in (3, 4, 6, 7) and rng.random() < 0.5:
            used = 1
            start = add_months(start, -option_list[0])
            end = add_months(end, -option_list[0])
        low, high = values[area]
        annual = _money(rng, low, high)
        total = annual * Decimal(term_years) + annual * Decimal(sum(option_list)) / 12
        status = ""
        if stage == 1 and n % 48 == 1:
            status = "live"  # past its end but still marked live: an alert
        if n % 40 == 7:
            status = "terminated"
        # Managers spread across the commissioning team, the demo commissioner holding the most; one in
        # seven registers has none recorded (the dashboard asks for one).
        manager = None if n % 7 == 5 or not managers else managers[0] if n % 3 == 0 else managers[n % len(managers)]
        titles = SERVICE_TITLES[area]
        # Awarded one to four months before the start (already, for one not yet started) and signed a few
        # weeks later; from n rather than rng, so the rest of the demo stays as it was. Some registers do
        # not know every date or VAT figure: those are left blank (not known), as a council would.
        awarded = start - timedelta(days=30 + (n * 37) % 90)
        if awarded > today:
            awarded = today - timedelta(days=1 + n % 14)
        signed = None if n % 11 == 5 else min(awarded + timedelta(days=7 + n % 21), today)
        contract = Contract(
            reference=f"{REF_PREFIX}{start.year}-{n:03d}", title=titles[n % len(titles)],
            description="" if n % 10 == 3 else SERVICE_DESCRIPTIONS[area], service_area_id=area, provider=provider,
            awarded_on=None if n % 13 == 6 else awarded, signed_on=signed,
            # Care services are exempt from VAT, so most carry none the council cannot recover.
            irrecoverable_vat=None if n % 9 == 4 else Decimal(0),
            framework=frameworks[fw] if fw else None, contract_type=ctype, procurement_route=route,
            start_date=start, end_date=end, extension_options=options, extensions_used=used,
            annual_value=annual, total_value=total.quantize(Decimal("1")),
            funding_source=("high_needs" if area == "send" else "joint" if area == "health"
                            else "grant" if ctype == "grant" else "council"),
            risk=("high" if area in ("residential", "send") or annual > 400000 else
                  "medium" if annual > 100000 else "low"),
            contract_manager=manager,
            savings=_money(rng, 0, int(annual) // 10, 500) if rng.random() < 0.4 else Decimal(0),
            social_value="Local recruitment of staff; apprenticeships for care leavers." if rng.random() < 0.3 else "",
            status=status,
        )
        services.contract_refresh_derived(contract=contract, lead_months=lead, intervals=intervals)
        # Decisions already made for about half of those ending soon.
        if stage in (4, 5) and n % 2 == 0:
            contract.decision = "reprocure" if not option_list[used:] else "extend"
            if contract.decision == "reprocure":
                contract.decision_for_end = contract.current_end
                contract.decision_on = today - timedelta(days=rng.randrange(5, 60))
                contract.decision_by = commissioner
                contract.decision_note = "Agreed at DMT: re-procure through the regional framework."
            else:
                contract.decision = ""
        # Most of those that ended had their end decided in time; the few left "live", and one in five of
        # the rest, are past their end with no decision.
        if stage in (1, 2) and contract.current_end < today and status != "live" and n % 5:
            contract.decision = "let_expire" if n % 3 else "decommission"
            contract.decision_for_end = contract.current_end
            contract.decision_on = add_months(contract.current_end, -lead)
            contract.decision_by = commissioner
            contract.decision_note = "Agreed at DMT: the service is recommissioned in the new framework."
        rows.append(contract)
    bulk_create_with_history(rows, Contract, default_user=commissioner)
    return list(Contract.objects.filter(reference__startswith=REF_PREFIX).order_by("pk"))


def _reviews(rng, today, contracts, commissioner):
    findings = [
        ("good", "Outcomes on track; placement stability good; invoices accurate."),
        ("good", "Children's views gathered; education attendance improving."),
        ("adequate", "Reporting late for the quarter; otherwise meeting the specification."),
        ("concerns", "Staff turnover high; two missing episodes not reported within 24 hours."),
        ("poor", "Notifications not made; improvement plan required within 28 days."),
    ]
    reviews = []
    last = {}
    for i, contract in enumerate(contracts):
        if contract.start_date > today:
            continue
        count = [0, 1, 2, 3][i % 4]
        day = contract.start_date
        for k in range(count):
            day = day + timedelta(days=rng.randrange(60, 200))
            if day >= today:
                break
            rating, text = findings[(i + k) % len(findings)]
            reviews.append(ContractReview(
                contract=contract, reviewed_on=day, kind=["review_meeting", "quality_visit", "audit"][k % 3],
                rating=rating, findings=text,
                actions="Provider to send an action plan; follow-up visit booked." if rating in ("concerns", "poor")
                else "", reviewed_by=commissioner))
            last[contract.pk] = day
        # Most live contracts are reviewed on time; about one in five is overdue.
        interval_days = {"high": 30, "medium": 91, "low": 365}[contract.risk]
        if contract.current_end >= today and i % 5 != 0 and contract.start_date < today - timedelta(days=40):
            day = today - timedelta(days=rng.randrange(3, interval_days - 2))
            if day > last.get(contract.pk, contract.start_date):
                rating, text = findings[i % 3]
                reviews.append(ContractReview(contract=contract, reviewed_on=day, kind="review_meeting",
                                              rating=rating, findings=text, reviewed_by=commissioner))
                last[contract.pk] = day
    bulk_create_with_history(reviews, ContractReview, default_user=commissioner)
    changed = []
    for contract in contracts:
        if contract.pk in last:
            contract.last_reviewed_on = last[contract.pk]
            services.contract_refresh_derived(contract=contract)
            changed.append(contract)
    Contract.objects.bulk_update(changed, ["last_reviewed_on", *services.DERIVED_FIELDS])


def _key_decision_approved_on(rng, today, *, award):
    """A key decision is approved one to three months before the award; one whose approval would still be
    ahead of today is awaiting approval."""
    approved = award - timedelta(days=rng.randrange(30, 91))
    return approved if approved <= today else None


def _pipeline(rng, today, contracts, commissioner):
    ending = [c for c in contracts if today <= c.current_end <= today + timedelta(days=540)][:8]
    items = []
    for i, contract in enumerate(ending):
        start = contract.current_end - timedelta(days=270)
        items.append(ProcurementPlanItem(
            title=f"Re-procure: {contract.title}", service_area_id=contract.service_area_id,
            estimated_value=contract.total_value, procurement_route="open" if i % 2 else "framework",
            planned_start=start, planned_award=contract.current_end - timedelta(days=90),
            planned_contract_start=contract.current_end + timedelta(days=1),
            key_decision=contract.total_value >= Decimal("500000"),
            approving_body="Finance Sub-Committee" if contract.total_value >= Decimal("500000") else "",
            approved_on=_key_decision_approved_on(rng, today, award=contract.current_end - timedelta(days=90))
            if contract.total_value >= Decimal("500000") else None,
            status="in_progress" if start <= today else "planned", lead_officer=commissioner, replaces=contract,
        ))
    new = [
        ("Regional fostering framework re-let (lead: Westmere)", "fostering", Decimal("42000000"), 140, True,
         "Cabinet"),
        ("Edge of care intensive family support", "early_help", Decimal("1800000"), 260, True,
         "Children and Families Committee"),
        ("Sufficiency: two new in-borough children's homes (joint venture)", "residential", Decimal("6500000"), 380,
         True, "Cabinet"),
        ("Independent visitors service", "advocacy", Decimal("240000"), 200, False, ""),
        ("Short breaks dynamic purchasing system", "short_breaks", Decimal("3200000"), 450, True,
         "Finance Sub-Committee"),
    ]
    for title, area, value, days, key, body in new:
        items.append(ProcurementPlanItem(
            title=title, service_area_id=area, estimated_value=value, procurement_route="competitive_with_negotiation",
            planned_start=today + timedelta(days=days - 200), planned_award=today + timedelta(days=days),
            planned_contract_start=today + timedelta(days=days + 60), key_decision=key, approving_body=body,
            status="planned", lead_officer=commissioner,
        ))
    bulk_create_with_history(items, ProcurementPlanItem, default_user=commissioner)


# The KPIs each service is monitored against: what the service can move. Placement contracts answer for
# placement stability and cost, leaving care for accommodation, early help for its own measures. The
# front door and child protection (contacts, assessments, conferences, plans) are the council's own
# social work and no contract's KPI; nor is the number of children looked after per 10,000.
KPIS_BY_SERVICE = {
    "Independent fostering placements": ["SC09", "SC12"],
    "Parent and child fostering": ["SC09"],
    "Specialist therapeutic fostering": ["SC09", "SC13"],
    "Staying put arrangements": ["SC14"],
    "In-house fostering service": ["SC09"],
    "Children's home placements": ["SC09", "SC13"],
    "Solo residential provision": ["SC09", "SC13"],
    "Therapeutic residential care": ["SC09", "SC13"],
    "Short-term residential assessment": ["SC09"],
    "Residential placements for disabled children": ["SC09"],
    "Supported accommodation 16 to 17": ["SC14", "ED07"],
    "Semi-independent living": ["SC14"],
    "Floating support for care leavers": ["SC14"],
    "Supported lodgings": ["SC14"],
    "Independent special school places": ["ED13"],
    "Post-16 specialist college places": ["ED09"],
    "Alternative provision": ["ED10"],
    "Family support service": ["EH01", "EH05"],
    "Family support service (in-house)": ["EH01", "EH05"],
    "Parenting programmes": ["EH05"],
    "Domestic abuse support": ["EH05"],
    "Return home interviews": ["SC13"],
    "Emotional wellbeing service for children in care": ["EH11"],
    "Counselling for young people": ["EH11"],
    "Targeted youth support": ["EH06", "EH07"],
    "Mentoring for young people at risk of exploitation": ["EH06", "SC13"],
}


def _link_kpis(contracts):
    """Each contract monitored against its service's KPIs (KPIS_BY_SERVICE) and the outcomes those KPIs serve."""
    from kpis.models import Indicator

    indicators = {i.code: i for i in Indicator.objects.prefetch_related("outcomes")}
    if not indicators:
        return
    kpi_links, outcome_links = [], []
    for contract in contracts:
        chosen = [indicators[code] for code in KPIS_BY_SERVICE.get(contract.title, []) if code in indicators]
        kpi_links += [Contract.indicators.through(contract_id=contract.pk, indicator_id=i.pk) for i in chosen]
        outcomes = {o.pk for i in chosen for o in i.outcomes.all()}
        outcome_links += [Contract.outcomes.through(contract_id=contract.pk, outcome_id=pk) for pk in sorted(outcomes)]
    Contract.indicators.through.objects.bulk_create(kpi_links, ignore_conflicts=True)
    Contract.outcomes.through.objects.bulk_create(outcome_links, ignore_conflicts=True)
