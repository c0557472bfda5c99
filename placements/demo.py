"""Demo placements for a Reading-sized council: about 250 children over five years, about 205 looked
after today, most in foster care with heavy use of agency fostering, about 19 in children's homes and
a share placed more than 20 miles away. Costs, IPAs in every status and Solutions Panel reviews.

Children are invented: pseudonymous references only (D10001...). Deterministic (a fixed seed) and
dated relative to today. A second run changes nothing.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.imports import read_table
from core.periods import financial_year_start

from . import rules
from .importers import load_postcode_districts
from .models import (
    AgreementStatus,
    Child,
    CostLine,
    CostStatus,
    Episode,
    LegalStatus,
    PanelReview,
    Placement,
    PlacementAgreement,
    PlacementProvider,
    PlacementSource,
    PlacementType,
    PostcodeDistrict,
    ReasonEpisodeCeased,
    ReasonNewEpisode,
    ReasonPlaceChange,
    Route,
)
from .selectors import year_ending_for

SEED = 903
PREFIX = "D"
DISTRICTS_CSV = Path(__file__).parent / "demo_data" / "postcode_districts.csv"
HOME = ["RG1", "RG1", "RG2", "RG2", "RG30", "RG30", "RG31", "RG4", "RG5", "RG6"]
NEAR = ["RG1", "RG2", "RG4", "RG30", "RG31", "RG5", "RG6", "RG7", "RG8", "RG10", "RG40", "RG41", "RG12", "SL6"]
FAR = ["OX1", "OX4", "SN1", "RG14", "RG21", "SP10", "GU14", "HP13", "MK9", "BS1", "B15", "SO14", "PO1", "CT1",
       "M14", "CF10", "TW18", "KT1", "SL1", "OX10"]
READING = {"RG1", "RG2", "RG4", "RG30"}


@dataclass(frozen=True)
class Kind:
    """How today's placements are made up: (number, PLACE codes, PLACE_PROVIDER codes, weekly cost range,
    ages, share placed far away)."""

    count: int
    places: tuple
    providers: tuple
    cost: tuple
    ages: tuple
    far: float


CURRENT = [
    Kind(70, ("U4", "U6", "U6"), ("PR4", "PR4", "PR5"), (800, 1100), (1, 15), 0.35),      # agency fostering
    Kind(45, ("U4", "U6"), ("PR1",), (300, 500), (0, 15), 0.05),                             # in-house fostering
    Kind(20, ("U1", "U3"), ("PR1",), (230, 340), (0, 15), 0.15),                             # relatives and friends
    Kind(19, ("K2",), ("PR4", "PR4", "PR4", "PR5", "PR1"), (4000, 8000), (11, 17), 0.7),     # children's homes
    Kind(4, ("S1",), ("PR4", "PR5"), (4200, 6200), (10, 17), 0.75),                          # residential schools
    Kind(1, ("K1",), ("PR2",), (7200, 7200), (14, 15), 1.0),                                 # secure
    Kind(10, ("A4", "A6"), ("PR1",), (0, 0), (0, 4), 0.1),                                   # placed for adoption
    Kind(12, ("P1",), ("PR0",), (0, 0), (2, 15), 0.0),                                       # with parents
    Kind(20, ("K3", "P2"), ("PR4", "PR5", "PR1"), (900, 2600), (16, 17), 0.2),               # supported living
    Kind(4, ("R3", "Z1"), ("PR4", "PR3"), (1500, 3200), (0, 17), 0.25),                     # other (Z: no provider)
]
EARLIER_PLACES = [("U6", "PR1"), ("U6", "PR4"), ("U4", "PR4"), ("U3", "PR1"), ("U6", "PR5"), ("K2", "PR4"),
                  ("T0", "PR1")]
LEFT_CARE = 40
IPA_SIGNED_WITHIN = 105  # days: a running placement older than this has its IPA signed
SHORT_BREAK_FEES = (380, 520)  # an agreed series of short breaks, a few nights a month
SHORT_BREAKS = 6
REASONS_LEFT = ["E13", "E4A", "E4A", "E11", "E45", "E41", "E17", "E8"]
CHANGE_REASONS = ["CARPL", "CARPL", "CARPL", "CREQB", "CREQO", "LAREQ", "STAND", "CHILD", "CLOSE"]
ALL_STATUSES = [AgreementStatus.SIGNED] * 6 + [AgreementStatus.ISSUED, AgreementStatus.DRAFTED,
                                                AgreementStatus.NOT_STARTED]


# What councils pay a week (the seeds and the DfE's unit costs): children's homes about £4,000 to £8,000, agency
# fostering £800 to £1,100, the council's own foster carers £300 to £500 in allowances and fees.
FEE_RANGES = {"homes": (4000, 8000), "agency_fostering": (800, 1100), "in_house_fostering": (300, 500),
              "relatives": (230, 340)}


def weekly_fee_range(place: str, provider: str) -> tuple[int, int]:
    """The weekly fee range for an earlier or ended placement of this DfE PLACE and PLACE_PROVIDER."""
    if place in ("K2", "R3", "Z1"):
        return FEE_RANGES["homes"]
    if place in ("U1", "U2", "U3"):
        return FEE_RANGES["relatives"]
    return FEE_RANGES["in_house_fostering"] if provider == "PR1" else FEE_RANGES["agency_fostering"]


def load(*, users):
    if Child.objects.filter(reference__startswith=PREFIX).exists():
        return
    officer = users.get("Placements officer")
    commissioner = users.get("Commissioner")
    if not PostcodeDistrict.objects.exists():
        load_postcode_districts(read_table(DISTRICTS_CSV.read_bytes(), DISTRICTS_CSV.name), user=officer)
    DemoBuilder(officer=officer, commissioner=commissioner).build()


class DemoBuilder:
    def __init__(self, *, officer, commissioner):
        self.rng = random.Random(SEED)
        self.fees = random.Random(SEED + 1)  # its own sequence: fees can change without moving dates or children
        self.today = timezone.localdate()
        self.officer, self.commissioner = officer, commissioner
        self.place = {c.code: c for c in PlacementType.objects.all()}
        self.provider_kind = {c.code: c for c in PlacementProvider.objects.all()}
        self.legal = {c.code: c for c in LegalStatus.objects.all()}
        self.rne = {c.code: c for c in ReasonNewEpisode.objects.all()}
        self.rec = {c.code: c for c in ReasonEpisodeCeased.objects.all()}
        self.change = {c.code: c for c in ReasonPlaceChange.objects.all()}
        self.centroids = {d.code: (d.latitude, d.longitude) for d in PostcodeDistrict.objects.all()}
        self.providers, self.frameworks = self._contracts()
        self.children: list[Child] = []
        self.plans: list[dict] = []  # one per placement, in creation order
        self.serial = 10000

    def _contracts(self):
        """Provider pools from the contracts demo data: fostering agencies, children's homes, schools,
        supported accommodation and other councils (empty when contracts has no data)."""
        from contracts.models import Framework, Provider

        frameworks = {f.service_area_id: f for f in Framework.objects.order_by("name")}

        def members(area):
            framework = frameworks.get(area)
            return list(framework.memberships.select_related("provider").order_by("provider__name")
                        .values_list("provider", flat=True)) if framework else []

        by_pk = {p.pk: p for p in Provider.objects.exclude(kind="in_house").order_by("name")}
        schoolish = ("School", "College", "Learning", "Education")
        residential = [by_pk[pk] for pk in members("residential") if pk in by_pk]
        pools = {
            "fostering": [by_pk[pk] for pk in members("fostering") if pk in by_pk]
            or [p for p in by_pk.values() if "Foster" in p.name],
            "homes": [p for p in residential if not any(w in p.name for w in schoolish)],
            "schools": [p for p in by_pk.values() if any(w in p.name for w in schoolish)],
            "supported": [by_pk[pk] for pk in members("leaving_care") if pk in by_pk]
            + [p for p in by_pk.values() if "Supported" in p.name],
            "councils": [p for p in by_pk.values() if p.kind == "other_council"],
        }
        return pools, frameworks

    # --- children and their placement histories --------------------------------------------------

    def _child(self, age_now: int, today: date) -> Child:
        self.serial += 1
        months = age_now * 12 + self.rng.randint(0, 11)
        born = today.replace(day=1) - timedelta(days=int(months * 30.44))
        child = Child(
            reference=f"{PREFIX}{self.serial}", sex=self.rng.choice("12"), birth_month=born.month,
            birth_year=born.year, ethnicity=self.rng.choice(["WBRI"] * 6 + ["MWBC", "BAFR", "APKN", "WOTH", "MOTH"]),
            unaccompanied_asylum_seeking=self.rng.random() < 0.04, send=self.rng.random() < 0.25,
        )
        child.ehc_plan = child.send and self.rng.random() < 0.6
        self.children.append(child)
        return child

    def _history(self, child: Child, care_start: date, last_start_by: date, *, unsettled=False):
        """Earlier placements from the care start, ending on the day the next begins. An unsettled child
        moves two or three times in a few months (the stability measure counts them)."""
        plans, start = [], care_start
        moves = self.rng.choice([2, 3]) if unsettled else self.rng.choice([0, 0, 0, 1, 1, 1, 2, 2, 3, 4])
        for _ in range(moves):
            length = self.rng.randint(5, 12) if self.rng.random() < 0.1 else self.rng.randint(45, 420)
            if unsettled:
                length = self.rng.randint(30, 100)
            end = start + timedelta(days=length)
            if end >= last_start_by:
                break
            place, provider = self.rng.choice(EARLIER_PLACES)
            if place == "T0":
                end = start + timedelta(days=self.rng.randint(2, 7))
            plans.append(self._plan(child, start, end, place, provider, care_start, first=not plans))
            start = end
        return plans, start

    def _plan(self, child, start, end, place, provider, care_start, *, first, far=0.15, cost=(0, 0), rec=""):
        home = self.rng.choice(HOME)
        far_away = self.rng.random() < far
        district = self.rng.choice(FAR if far_away else NEAR)
        recorded = None
        if self.rng.random() < 0.08:  # a few have no placement district, only a recorded distance or nothing
            district, recorded = "", (Decimal(self.rng.randint(3, 60)) if self.rng.random() < 0.5 else None)
        if provider in ("PR0",):
            district = home
        distance = rules.placement_distance(home, district, self.centroids, recorded)
        route = Route.IN_HOUSE
        if provider in ("PR4", "PR5"):
            route = self.rng.choice([Route.FRAMEWORK, Route.FRAMEWORK, Route.FRAMEWORK, Route.SPOT, Route.SPOT])
            if place in ("K2", "S1"):
                route = self.rng.choice([Route.SPOT, Route.SPOT, Route.SPOT, Route.APPROVED_PROVIDER_LIST,
                                         Route.FRAMEWORK])
            if place in ("K3", "P2"):
                route = self.rng.choice([Route.DPS, Route.BLOCK, Route.SPOT])
        elif provider in ("PR2", "PR3", ""):  # "": a DfE other placement, bought one at a time
            route = Route.SPOT
        return {
            "child": child, "start": start, "end": end, "place": place, "provider": provider,
            "care_start": care_start, "first": first, "home": home, "district": district, "recorded": recorded,
            "distance": distance, "route": route, "in_area": (district in READING) if district else None,
            "cost": cost, "rec": rec,
        }

    def build(self):
        today = self.today
        year_ending = year_ending_for(today)
        for kind in CURRENT:
            for _ in range(kind.count):
                age = self.rng.randint(*kind.ages)
                child = self._child(age, today)
                longest = min(age * 365 + 200, 5 * 365)
                care_start = today - timedelta(days=self.rng.randint(20, max(21, longest)))
                unsettled = kind.places[0] not in ("A4", "P1") and self.rng.random() < 0.09
                if unsettled:  # moved two or three times in the last year ending 31 March
                    care_start = year_ending - timedelta(days=self.rng.randint(200, 330))
                last_start_by = today - timedelta(days=10)
                earlier, start = self._history(child, care_start, last_start_by, unsettled=unsettled)
                place, provider = self.rng.choice(kind.places), self.rng.choice(kind.providers)
                if place == "K3" and start < date(2023, 10, 1):
                    place = "H5"
                if place == "Z1" and start >= date(2025, 4, 1):
                    place = "Z11"  # Z1 ended with 2024-25; Z11-Z14 replaced it
                if place in rules.NO_PROVIDER_PLACE_CODES:
                    provider = ""  # DfE: an other placement has no PLACE_PROVIDER
                self.plans += earlier
                self.plans.append(self._plan(child, start, None, place, provider, care_start, first=not earlier,
                                             far=kind.far, cost=kind.cost))
        for _ in range(LEFT_CARE):
            child = self._child(self.rng.randint(3, 17), today)
            care_start = today - timedelta(days=self.rng.randint(200, 5 * 365))
            left = care_start + timedelta(days=self.rng.randint(90, 700))
            left = min(left, today - timedelta(days=15))
            earlier, start = self._history(child, care_start, left - timedelta(days=20))
            place, provider = self.rng.choice([("U6", "PR1"), ("U4", "PR4"), ("K2", "PR4"), ("U3", "PR1")])
            self.plans += earlier
            self.plans.append(self._plan(child, start, left, place, provider, care_start, first=not earlier,
                                         cost=weekly_fee_range(place, provider), rec=self.rng.choice(REASONS_LEFT)))
        for _ in range(SHORT_BREAKS):  # agreed series of short breaks: looked after in law but not counted
            child = self._child(self.rng.randint(8, 16), today)
            start = today - timedelta(days=self.rng.randint(100, 900))
            plan = self._plan(child, start, None, "K2", "PR1", start, first=True, cost=SHORT_BREAK_FEES)
            plan["short_breaks"] = True
            self.plans.append(plan)
        self._save()

    # --- writing --------------------------------------------------------------------------------

    POOL_FOR = {"U4": "fostering", "U6": "fostering", "U5": "fostering", "K2": "homes", "R3": "homes",
                "Z1": "homes", "S1": "schools", "K3": "supported", "P2": "supported", "H5": "supported",
                "K1": "councils"}
    KIND_CODE = {"private": "PR4", "voluntary": "PR5", "other_council": "PR2", "public": "PR3"}

    def _provider_for(self, plan):
        """A provider of the right sort for a bought placement, and the framework when bought on one."""
        if plan["provider"] in ("PR0", "PR1", ""):  # "": who runs an other placement is not named here
            return None, None
        pool = self.providers.get(self.POOL_FOR.get(plan["place"], ""), [])
        if not pool:
            return None, None
        key = f'{plan["child"].reference}{plan["start"].toordinal()}'.encode()
        provider = pool[zlib.crc32(key) % len(pool)]
        plan["provider"] = self.KIND_CODE.get(provider.kind, plan["provider"])
        framework = None
        if plan["route"] in (Route.FRAMEWORK, Route.APPROVED_PROVIDER_LIST):
            area = {"fostering": "fostering", "supported": "leaving_care"}.get(
                self.POOL_FOR.get(plan["place"]), "residential")
            framework = self.frameworks.get(area)
        return provider, framework

    def _save(self):
        user = self.officer
        bulk_create_with_history(self.children, Child, default_user=user)
        by_ref = dict(Child.objects.filter(reference__startswith=PREFIX).values_list("reference", "id"))
        placements = []
        for plan in self.plans:
            plan["child"].pk = by_ref[plan["child"].reference]
            provider, framework = self._provider_for(plan)
            placements.append(Placement(
                child_id=plan["child"].pk, start=plan["start"], end=plan["end"],
                placement_type=self.place[plan["place"]], provider_kind=self.provider_kind.get(plan["provider"]),
                reason_new_episode=self.rne["S" if plan["first"] else "P"],
                reason_ended=self.rec.get(plan["rec"] or ("X1" if plan["end"] else "")),
                reason_for_change=None if plan["first"] else self.change[self.rng.choice(CHANGE_REASONS)],
                ofsted_urn=f"SC{400000 + self.rng.randint(1, 99999)}" if plan["place"] in ("K2", "K1") else "",
                provider=provider, framework=framework, route=plan["route"], in_area=plan["in_area"],
                home_district=plan["home"], placement_district=plan["district"],
                recorded_distance_miles=plan["recorded"], distance_miles=plan["distance"],
                care_period_start=plan["care_start"], source=PlacementSource.RETURN,
            ))
        bulk_create_with_history(placements, Placement, default_user=user)
        saved = {(p.child_id, p.start): p for p in Placement.objects.filter(child__reference__startswith=PREFIX)}
        episodes, lines, agreements, reviews = [], [], [], []
        for plan in self.plans:
            placement = saved[(plan["child"].pk, plan["start"])]
            episodes += self._episodes(plan, placement)
            lines += self._cost_lines(plan, placement)
            agreements += self._agreement(plan, placement)
            reviews += self._reviews(plan, placement)
        bulk_create_with_history(episodes, Episode, default_user=user)
        bulk_create_with_history(lines, CostLine, default_user=user)
        bulk_create_with_history(agreements, PlacementAgreement, default_user=user)
        bulk_create_with_history(reviews, PanelReview, default_user=user)

    def _episodes(self, plan, placement):
        child_id = plan["child"].pk
        if plan.get("short_breaks"):
            return [Episode(placement=placement, child_id=child_id, start=plan["start"], end=None,
                            legal_status=self.legal["V3"], reason_new_episode=self.rne["S"])]
        legal = "E1" if plan["place"].startswith("A") else ("V2" if plan["provider"] == "PR0" else "C2")
        end = plan["end"]
        if plan["first"] and legal == "C2" and (end or self.today) - plan["start"] > timedelta(days=150):
            # Started on an interim care order; the full order followed (RNE L continues the placement)
            change = plan["start"] + timedelta(days=self.rng.randint(60, 140))
            return [
                Episode(placement=placement, child_id=child_id, start=plan["start"], end=change,
                        legal_status=self.legal["C1"], reason_new_episode=self.rne["S"], reason_ended=self.rec["X1"]),
                Episode(placement=placement, child_id=child_id, start=change, end=end,
                        legal_status=self.legal["C2"], reason_new_episode=self.rne["L"],
                        reason_ended=placement.reason_ended),
            ]
        return [Episode(placement=placement, child_id=child_id, start=plan["start"], end=end,
                        legal_status=self.legal[legal], reason_new_episode=placement.reason_new_episode,
                        reason_ended=placement.reason_ended)]

    def _cost_lines(self, plan, placement):
        low, high = plan["cost"]
        if plan["provider"] in ("PR0",) or plan["place"].startswith("A") or plan["place"] == "T0":
            return []
        if not high:
            low, high = weekly_fee_range(plan["place"], plan["provider"])
        base = Decimal(self.fees.randint(low, high)).quantize(Decimal("1"))
        if plan["place"] == "K2" and not plan.get("short_breaks") and self.fees.random() < 0.08:
            base = Decimal(self.fees.randint(10200, 11500))  # a few very high-cost placements
        plan["fee"] = base
        who = self.officer
        lines = [CostLine(placement=placement, kind="initial", weekly_amount=base, effective_from=plan["start"],
                          reason="Price agreed at placement", agreed_by=who, status=CostStatus.IN_FORCE,
                          needs_approval=True, approved_by=self.commissioner)]
        running = (plan["end"] or self.today) - plan["start"]
        april = financial_year_start(self.today)
        if running > timedelta(days=300) and plan["start"] < april and (plan["end"] is None or plan["end"] > april):
            uplift = (base * Decimal("0.03")).quantize(Decimal("0.01"))
            lines.append(CostLine(placement=placement, kind="uplift", weekly_amount=uplift, effective_from=april,
                                  reason="Annual fee uplift of 3% under the framework", agreed_by=who,
                                  status=CostStatus.IN_FORCE))
        if plan["end"] is None and plan["place"] in ("K2", "S1") and self.rng.random() < 0.35:
            extra = Decimal(self.rng.choice([650, 900, 1400]))
            start = self.today - timedelta(days=self.rng.randint(-14, 60))
            awaiting = self.rng.random() < 0.5
            lines.append(CostLine(
                placement=placement, kind="additional_support", weekly_amount=extra, effective_from=start,
                effective_to=start + timedelta(weeks=12), reason="Added 1:1 support for 12 weeks after an incident",
                agreed_by=who, needs_approval=True,
                status=CostStatus.AWAITING_APPROVAL if awaiting else CostStatus.IN_FORCE,
                approved_by=None if awaiting else self.commissioner,
            ))
        if plan["end"] is None and plan["place"] in ("U4", "U6") and self.rng.random() < 0.05:
            lines.append(CostLine(placement=placement, kind="reduction", weekly_amount=Decimal("-75"),
                                  effective_from=self.today - timedelta(days=30),
                                  reason="Extra support no longer needed", agreed_by=who))
        return lines

    def _agreement(self, plan, placement):
        if plan["provider"] not in ("PR2", "PR3", "PR4", "PR5", "") or plan["place"] == "T0":
            return []
        start, ended = plan["start"], plan["end"] is not None
        status = AgreementStatus.SIGNED if ended else self.rng.choice(ALL_STATUSES)
        recent = (self.today - start).days < 60
        if not ended and recent and self.rng.random() < 0.6:
            status = self.rng.choice([AgreementStatus.NOT_STARTED, AgreementStatus.DRAFTED, AgreementStatus.ISSUED])
        # IPAs are chased from the day a placement starts and signed within weeks: only placements of the last
        # fifteen weeks or so still wait for one (days to weeks, never years).
        if not ended and (self.today - start).days > IPA_SIGNED_WITHIN:
            status = AgreementStatus.SIGNED
        if status == AgreementStatus.NOT_STARTED and self.rng.random() < 0.5:
            return []  # no IPA recorded at all: counts as not started
        drafted = start + timedelta(days=self.rng.randint(1, 14))
        issued = drafted + timedelta(days=self.rng.randint(2, 20))
        signed = issued + timedelta(days=self.rng.randint(3, 60))
        cap = plan["end"] or self.today
        drafted, issued, signed = (min(d, cap) for d in (drafted, issued, signed))
        rank = AgreementStatus.values.index(status)
        # The agreement's core fee is the fee agreed at placement (the first cost line).
        core = plan.get("fee") or Decimal(self.fees.randint(*weekly_fee_range(plan["place"], plan["provider"])))
        education = Decimal(self.rng.choice([0, 0, 350, 600])) if plan["place"] in ("K2", "S1") else Decimal("0")
        return [PlacementAgreement(
            placement=placement, status=status,
            drafted_on=drafted if rank >= 1 else None, issued_on=issued if rank >= 2 else None,
            signed_on=signed if rank >= 3 else None, core_weekly=core, education_weekly=education,
            education_payer="education",
            outcomes_agreed="Settled in school with attendance above 95%.\nRegular family time as the care plan sets.",
            review_date=start + timedelta(days=180),
        )]

    def _reviews(self, plan, placement):
        if plan["place"] not in ("K2", "S1", "K1", "K3", "H5") or plan["provider"] == "PR1":
            return []
        reviews, due = [], plan["start"] + timedelta(days=90)
        stop = plan["end"] or self.today + timedelta(days=40)
        while due < stop:
            if due < self.today - timedelta(days=10) or (plan["end"] and due < plan["end"]):
                reviews.append(PanelReview(
                    placement=placement, due_on=due, held_on=due + timedelta(days=self.rng.randint(-3, 5)),
                    decision=self.rng.choice(["continue", "continue", "continue", "step_down", "renegotiate"]),
                    notes="Panel reviewed progress against the placement plan.",
                ))
            else:
                reviews.append(PanelReview(placement=placement, due_on=due))
                break
            due += timedelta(days=self.rng.choice([90, 120, 180]))
        return reviews
