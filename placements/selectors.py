"""Reads for placements. Every measure is computed by the database (aggregates, subqueries),
never by looping over rows in Python, so the dashboard runs a fixed number of queries at any size.

"Looked after on a day" follows the 903: an episode covers a day when it began on or before it
and has not ceased (DEC blank or after the day). Episodes whose legal status is V3 or V4 (short
breaks) do not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from contracts.models import Provider
from core.periods import last_year_end_on_or_before

from . import rules
from .models import (
    NO_PROVIDER_LABEL,
    AgreementStatus,
    Child,
    CostLine,
    CostStatus,
    Episode,
    PanelReview,
    Placement,
    PlacementCategory,
    PlacementTypeGroup,
    PostcodeDistrict,
    ProviderKind,
    ReturnImport,
    Route,
    SkippedChild,
    covering_q,
)

EXTERNAL_KINDS = sorted(rules.EXTERNAL_PROVIDER_KINDS)
# In counts by provider, the key for placements with no provider kind (DfE other placements: Z1, Z11-Z14).
NO_PROVIDER = "no_provider"
AGENCY_KINDS = [ProviderKind.PRIVATE, ProviderKind.VOLUNTARY]
FRAMEWORK_ROUTES = [Route.FRAMEWORK, Route.APPROVED_PROVIDER_LIST, Route.DPS, Route.BLOCK]
WEEKS_A_YEAR = Decimal("52")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def external_q(prefix: str = "") -> Q:
    """Bought from outside the council, so it needs an IPA (pure form: rules.is_external): an external
    provider kind, or no provider kind (a DfE other placement) and not recorded as in-house."""
    return Q(**{f"{prefix}provider_kind__kind__in": EXTERNAL_KINDS}) | (
        Q(**{f"{prefix}provider_kind__isnull": True}) & ~Q(**{f"{prefix}route": Route.IN_HOUSE})
    )


def looked_after_episodes(day: date):
    return Episode.objects.filter(covering_q(day)).filter(legal_status__is_short_break=False)


def looked_after_placements(day: date):
    """Placements of children looked after on `day` (one per child), short breaks left out."""
    counted = looked_after_episodes(day).filter(placement=OuterRef("pk"))
    return Placement.objects.filter(covering_q(day)).filter(Exists(counted))


def type_group_expression(prefix: str = ""):
    """The placement type group, from the PLACE category and, for fostering, the provider kind. (Only DfE's
    other placements have no provider kind; their PLACE category is "other", so they are Other.)"""
    category = f"{prefix}placement_type__category"
    kind = f"{prefix}provider_kind__kind"
    mapping = {
        PlacementCategory.FOSTER_RELATIVE: PlacementTypeGroup.RELATIVE_FRIEND_FOSTERING,
        PlacementCategory.CHILDRENS_HOME: PlacementTypeGroup.CHILDRENS_HOMES,
        PlacementCategory.RESIDENTIAL_SCHOOL: PlacementTypeGroup.RESIDENTIAL_SCHOOLS,
        PlacementCategory.SECURE: PlacementTypeGroup.SECURE,
        PlacementCategory.ADOPTION: PlacementTypeGroup.PLACED_FOR_ADOPTION,
        PlacementCategory.PARENTS: PlacementTypeGroup.WITH_PARENTS,
        PlacementCategory.INDEPENDENT: PlacementTypeGroup.SUPPORTED_INDEPENDENT,
    }
    return Case(
        When(Q(**{category: PlacementCategory.FOSTER_OTHER, f"{kind}__in": AGENCY_KINDS}),
             then=Value(PlacementTypeGroup.AGENCY_FOSTERING.value)),
        When(Q(**{category: PlacementCategory.FOSTER_OTHER}), then=Value(PlacementTypeGroup.IN_HOUSE_FOSTERING.value)),
        *[When(Q(**{category: cat}), then=Value(group.value)) for cat, group in mapping.items()],
        default=Value(PlacementTypeGroup.OTHER.value),
        output_field=CharField(),
    )


def weekly_cost_subquery(day: date, outer: str = "pk"):
    """Weekly cost in force on `day` for the placement at OuterRef(outer)."""
    lines = (
        CostLine.objects.in_force_on(day).filter(placement=OuterRef(outer)).order_by()
        .values("placement").annotate(total=Sum("weekly_amount")).values("total")
    )
    return Coalesce(Subquery(lines, output_field=MONEY), Value(Decimal("0")), output_field=MONEY)


def _counts(queryset, key: str) -> dict[str, int]:
    return {row[key]: row["n"] for row in queryset.order_by().values(key).annotate(n=Count("pk")).order_by(key)}


def _group_labelled(counts: dict[str, int]) -> list[dict]:
    return [
        {"key": g.value, "label": g.label, "count": counts.get(g.value, 0)}
        for g in PlacementTypeGroup
    ]


# --- measures --------------------------------------------------------------------------------

def looked_after_count(day: date) -> int:
    return looked_after_episodes(day).values("child").distinct().count()


def rate_per_10000(count: int) -> Decimal | None:
    population = settings.PLACEMENTS_CHILD_POPULATION
    if not population:
        return None
    return (Decimal(count) * 10000 / Decimal(population)).quantize(Decimal("0.1"))


def by_placement_type(day: date) -> dict[str, int]:
    return _counts(looked_after_placements(day), "placement_type__code")


def _no_provider_named(counts: dict) -> dict[str, int]:
    """Counts keyed by provider code or kind, with placements that have none under NO_PROVIDER."""
    if None in counts:
        counts[NO_PROVIDER] = counts.pop(None)
    return counts


def by_provider(day: date) -> dict[str, int]:
    """Children looked after by PLACE_PROVIDER code; DfE other placements (no provider) under NO_PROVIDER."""
    return _no_provider_named(_counts(looked_after_placements(day), "provider_kind__code"))


def by_provider_kind(day: date) -> dict[str, int]:
    """Children looked after by provider kind; DfE other placements (no provider) under NO_PROVIDER."""
    return _no_provider_named(_counts(looked_after_placements(day), "provider_kind__kind"))


def provider_kind_rows(counts: dict[str, int]) -> list[dict]:
    """A row per provider kind, and one for placements with no provider when there are any, so the rows add
    up to the children looked after."""
    rows = [{"key": k.value, "label": k.label, "count": counts.get(k.value, 0)} for k in ProviderKind]
    if counts.get(NO_PROVIDER):
        rows.append({"key": NO_PROVIDER, "label": NO_PROVIDER_LABEL, "count": counts[NO_PROVIDER]})
    return rows


def by_type_group(day: date) -> dict[str, int]:
    return _counts(looked_after_placements(day).annotate(group=type_group_expression()), "group")


def group_rows(day: date) -> list[dict]:
    """by_type_group as labelled rows in the groups' order, every group present."""
    return _group_labelled(by_type_group(day))


def distance_figures(day: date) -> dict:
    threshold = settings.PLACEMENTS_DISTANCE_THRESHOLD_MILES
    return looked_after_placements(day).aggregate(
        total=Count("pk"),
        distance_known=Count("pk", filter=Q(distance_miles__isnull=False)),
        over_threshold=Count("pk", filter=Q(distance_miles__gt=threshold)),
        outside_area=Count("pk", filter=Q(in_area=False)),
        over_threshold_and_outside=Count("pk", filter=Q(distance_miles__gt=threshold, in_area=False)),
    )


def stability(year_ending: date) -> dict:
    """DfE placement stability for the year ending `year_ending` (31 March).

    Cohort: children looked after on 31 March, short breaks (V3/V4) left out. A placement counts
    if any part of it falls in the year; temporary placements (T0-T4) do not count. The measure
    is the percentage of the cohort with 3 or more placements.
    """
    year_start, year_end = rules.year_bounds(year_ending)
    cohort = looked_after_episodes(year_end).values("child")
    counted = (
        Placement.objects.filter(child__in=cohort, start__lte=year_end)
        .filter(Q(end__isnull=True) | Q(end__gte=year_start))
        .exclude(placement_type__category=PlacementCategory.TEMPORARY)
        .order_by().values("child").annotate(n=Count("pk")).filter(n__gte=3)
    )
    cohort_size = looked_after_count(year_end)
    three_plus = counted.count()
    return {
        "cohort": cohort_size,
        "three_plus": three_plus,
        "three_plus_pct": rules.percentage_text(three_plus, cohort_size),
    }


def long_term_stability(year_ending: date) -> dict:
    """DfE long-term placement stability on `year_ending` (31 March): see definitions.LONG_TERM_STABILITY.

    Cohort: children under 16 on the day (month of birth only: a child whose 16th birthday month is on
    or before the day counts as 16), looked after on it (short breaks left out) and continuously for
    2.5 years or more. Continuity is read from the episodes already loaded, from every return: an
    episode covers the day 2.5 years before, and no episode between then and the day ends without
    another beginning on its DEC. RNE plays no part, so a return that begins mid-care (RNE P) still
    counts. Stable: in the same placement 2 years or more, or placed for adoption (PLACE A3-A6) with
    the placement before it (ending the day the adoptive one began) beginning 2 years or more before.
    Pure form: rules.continuous_care_start and rules.long_term_stable.
    """
    day = year_ending
    care_from = day - rules.LONG_TERM_CARE
    two_years_before = day - rules.LONG_TERM_PLACEMENT
    under_16 = Q(child__birth_year__gt=day.year - 16) | Q(child__birth_year=day.year - 16,
                                                           child__birth_month__gt=day.month)
    in_care_then = Episode.objects.filter(covering_q(care_from), child=OuterRef("child"))
    # An episode ending in the window with no episode of the child starting on its DEC breaks the chain.
    next_episode = Episode.objects.filter(child=OuterRef("child"), start=OuterRef("end"))
    breaks = Episode.objects.filter(child=OuterRef("child"), end__gt=care_from, end__lte=day).filter(
        ~Exists(next_episode))
    placement_before = Placement.objects.filter(child=OuterRef("child"), end=OuterRef("start"),
                                                start__lte=two_years_before)
    cohort = (
        looked_after_placements(day).filter(under_16).filter(Exists(in_care_then)).filter(~Exists(breaks))
        .annotate(long_before_adoption=Exists(placement_before))
    )
    same_placement = Q(start__lte=two_years_before)
    adoption = Q(placement_type__category=PlacementCategory.ADOPTION, long_before_adoption=True)
    figures = cohort.aggregate(
        cohort=Count("child", distinct=True),
        stable=Count("child", distinct=True, filter=same_placement | adoption),
        stable_by_adoption=Count("child", distinct=True, filter=adoption & ~same_placement),
    )
    figures["stable_pct"] = rules.percentage_text(figures["stable"], figures["cohort"])
    return figures


def cost_by(day: date, key: str) -> list[dict]:
    """Weekly and annualised cost of looked-after placements on `day`, by type group or by route."""
    placements = looked_after_placements(day).values("pk")
    lines = CostLine.objects.in_force_on(day).filter(placement__in=placements).order_by()
    if key == "group":
        lines = lines.annotate(group=type_group_expression("placement__"))
        choices = PlacementTypeGroup
    else:
        lines = lines.annotate(group=F("placement__route"))
        choices = Route
    sums = {row["group"]: row["weekly"] for row in lines.values("group").annotate(weekly=Sum("weekly_amount"))}
    counts = _counts(
        looked_after_placements(day).annotate(
            group=type_group_expression() if key == "group" else F("route")
        ),
        "group",
    )
    rows = []
    for choice in choices:
        weekly = (sums.get(choice.value) or Decimal("0")).quantize(Decimal("0.01"))
        count = counts.get(choice.value, 0)
        rows.append({
            "key": choice.value, "label": choice.label, "count": count, "weekly": weekly,
            "annual": weekly * WEEKS_A_YEAR,
            "average_weekly": (weekly / count).quantize(Decimal("0.01")) if count else None,
        })
    return rows


def framework_share(day: date) -> dict:
    """Of placements bought from outside the council (external_q), how many (and how much) on a framework or
    contract (framework, approved list, DPS, block) against spot purchase."""
    bought = looked_after_placements(day).filter(external_q())
    figures = bought.aggregate(
        bought=Count("pk"),
        framework=Count("pk", filter=Q(route__in=FRAMEWORK_ROUTES)),
        spot=Count("pk", filter=Q(route=Route.SPOT)),
    )
    figures["framework_pct"] = rules.percentage_text(figures["framework"], figures["framework"] + figures["spot"])
    figures["spot_pct"] = rules.percentage_text(figures["spot"], figures["framework"] + figures["spot"])
    return figures


def placements_without_signed_ipa(*, as_of: date):
    """External placements (external_q) running on `as_of` with no signed IPA, oldest first, annotated for
    the queue."""
    return (
        Placement.objects.filter(covering_q(as_of)).filter(external_q())
        .exclude(agreement__status=AgreementStatus.SIGNED)
        .select_related("child", "placement_type", "provider_kind", "provider", "agreement")
        .annotate(
            ipa_status=Coalesce(F("agreement__status"), Value(AgreementStatus.NOT_STARTED.value)),
            days_open=ExpressionWrapper(Value(as_of) - F("start"), output_field=DurationField()),
        )
        .order_by("start", "pk")
    )


# How long a placement has run without a signed IPA: the bands the placements officer chases by.
IPA_WAITING_BANDS = {
    "under_28": ("Under 4 weeks", 0, 28),
    "28_to_84": ("4 to 12 weeks", 28, 84),
    "over_84": ("Over 12 weeks", 84, None),
}


def ipas_to_chase(*, as_of: date, status: str = "", provider=None, waiting: str = ""):
    """placements_without_signed_ipa narrowed by IPA status, provider and how long it has waited."""
    qs = placements_without_signed_ipa(as_of=as_of)
    if status:
        qs = qs.filter(ipa_status=status)
    if provider is not None:
        qs = qs.filter(provider=provider)
    if waiting:
        _label, at_least, under = IPA_WAITING_BANDS[waiting]
        qs = qs.filter(start__lte=as_of - timedelta(days=at_least))
        if under is not None:
            qs = qs.filter(start__gt=as_of - timedelta(days=under))
    return qs


def ipa_queue_providers(*, as_of: date):
    return Provider.objects.filter(
        pk__in=placements_without_signed_ipa(as_of=as_of).order_by().values("provider")
    ).order_by("name")


def ipa_figures(*, as_of: date, year_ending: date | None = None) -> dict:
    """External placements without a signed IPA, and the median days from start to signature
    for IPAs signed in the year ending `year_ending` (default: the year to `as_of`)."""
    year_ending = year_ending or as_of
    year_start, year_end = rules.year_bounds(year_ending)
    unsigned = placements_without_signed_ipa(as_of=as_of).count()
    by_status = _counts(
        Placement.objects.filter(covering_q(as_of)).filter(external_q()).annotate(
            s=Coalesce(F("agreement__status"), Value(AgreementStatus.NOT_STARTED.value))
        ),
        "s",
    )
    return {"unsigned": unsigned, "by_status": by_status,
            "median_days_to_signature": median_days_to_signature(year_start, year_end)}


def median_days_to_signature(start: date, end: date) -> Decimal | None:
    """Median days from placement start to IPA signature, for IPAs signed between the dates.

    Done in SQL on any database: count, then read the middle one or two values in order.
    """
    from .models import PlacementAgreement

    signed = PlacementAgreement.objects.filter(
        status=AgreementStatus.SIGNED, signed_on__gte=start, signed_on__lte=end
    ).annotate(days=ExpressionWrapper(F("signed_on") - F("placement__start"), output_field=DurationField()))
    n = signed.count()
    # Always two queries (even when none were signed), so pages run the same queries whatever the data.
    middle = list(signed.order_by("days", "pk").values_list("days", flat=True)[max(n - 1, 0) // 2: n // 2 + 1])
    if not n:
        return None
    days = [d.days if isinstance(d, timedelta) else int(d) for d in middle]
    return Decimal(sum(days)) / len(days)


# --- the dashboard and the 903-style figures --------------------------------------------------

@dataclass
class Sufficiency:
    as_of: date
    year_ending: date
    looked_after: int
    rate_per_10000: Decimal | None
    groups: list[dict]
    provider_kinds: list[dict]
    distance: dict
    stability: dict
    long_term: dict
    cost_by_group: list[dict]
    cost_by_route: list[dict]
    framework: dict
    ipas: dict


def year_ending_for(day: date) -> date:
    """The 31 March on or before `day`."""
    return last_year_end_on_or_before(day)


def sufficiency(*, as_of: date, year_ending: date | None = None) -> Sufficiency:
    year_ending = year_ending or year_ending_for(as_of)
    count = looked_after_count(as_of)
    kind_counts = by_provider_kind(as_of)
    return Sufficiency(
        as_of=as_of,
        year_ending=year_ending,
        looked_after=count,
        rate_per_10000=rate_per_10000(count),
        groups=group_rows(as_of),
        provider_kinds=provider_kind_rows(kind_counts),
        distance=distance_figures(as_of),
        stability=stability(year_ending),
        long_term=long_term_stability(year_ending),
        cost_by_group=cost_by(as_of, "group"),
        cost_by_route=cost_by(as_of, "route"),
        framework=framework_share(as_of),
        ipas=ipa_figures(as_of=as_of),
    )


def placement_metrics(*, year_ending: date) -> dict:
    """The figures `placement_metrics --json` prints, at 31 March and for the year ending then."""
    stab = stability(year_ending)
    distance = distance_figures(year_ending)
    return {
        "looked_after": looked_after_count(year_ending),
        "by_placement_type": by_placement_type(year_ending),
        "by_provider": by_provider(year_ending),
        "three_plus_placements": stab["three_plus"],
        "three_plus_placements_pct": stab["three_plus_pct"] or "0.0",
        "long_term_stability_pct": long_term_stability(year_ending)["stable_pct"],
        "over_20_miles": distance["over_threshold"] if distance["distance_known"] else None,
    }


# --- lists and pages -------------------------------------------------------------------------

def placements_visible_to(user):
    """One answer to what a user may see: child-level placement data needs `placements.view_placement`."""
    if not user.has_perm("placements.view_placement"):
        return Placement.objects.none()
    return Placement.objects.all()


def placement_list(*, user, as_of: date):
    return (
        placements_visible_to(user)
        .select_related("child", "placement_type", "provider_kind", "provider", "agreement")
        .annotate(
            weekly_cost=weekly_cost_subquery(as_of),
            ipa_status=Case(
                When(external_q(),
                     then=Coalesce(F("agreement__status"), Value(AgreementStatus.NOT_STARTED.value))),
                default=Value(""), output_field=CharField(),
            ),
            type_group=type_group_expression(),
        )
        .order_by("-start", "pk")
    )


def child_for_user(*, user, pk) -> Child:
    """Fetch and authorise in one: a child the user may not see is "not found"."""
    if not user.has_perm("placements.view_child"):
        raise Http404
    try:
        return Child.objects.get(pk=pk)
    except (Child.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def placement_for_user(*, user, pk) -> Placement:
    try:
        return placements_visible_to(user).select_related(
            "child", "placement_type", "provider_kind", "provider", "contract", "framework",
            "reason_new_episode", "reason_ended", "reason_for_change",
        ).get(pk=pk)
    except (Placement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def child_timeline(*, child: Child, as_of: date):
    return (
        child.placements.select_related("placement_type", "provider_kind", "provider", "agreement")
        .annotate(weekly_cost=weekly_cost_subquery(as_of), type_group=type_group_expression(),
                  ipa_status=F("agreement__status"))
        .order_by("start", "pk")
    )


def panel_reviews_due(*, as_of: date, within_days: int | None = None):
    """Reviews not yet held that are due by `as_of` plus the window (overdue ones first)."""
    within_days = settings.PLACEMENTS_PANEL_REVIEW_WINDOW_DAYS if within_days is None else within_days
    return (
        PanelReview.objects.filter(held_on__isnull=True, due_on__lte=as_of + timedelta(days=within_days))
        .select_related("placement__child", "placement__placement_type", "placement__provider_kind",
                        "placement__provider")
        .annotate(overdue=Case(When(due_on__lt=as_of, then=Value(1)), default=Value(0),
                               output_field=IntegerField()))
        .order_by("due_on", "pk")
    )


def cost_lines_awaiting_approval():
    return (
        CostLine.objects.filter(status=CostStatus.AWAITING_APPROVAL)
        .select_related("placement__child", "placement__placement_type", "agreed_by")
        .order_by("created_at", "pk")
    )


# --- 903 imports ----------------------------------------------------------------------------

def return_imports():
    """Saved 903 imports, latest first, each with how many of the children it skipped are still not
    imported (no later return has spoken for them)."""
    return ReturnImport.objects.select_related("imported_by").annotate(
        not_imported=Count("skipped_children", filter=Q(skipped_children__replaced_by__isnull=True)
                           & ~Q(skipped_children__reference="")),
    )


def returns_with_children_not_imported():
    """The imports some of whose skipped children no later return has replaced (usually the latest)."""
    return return_imports().filter(not_imported__gt=0)


def _district_unknown(column: str):
    """The placement's `column` names a postcode district that is not in the loaded list."""
    return ~Q(**{column: ""}) & ~Exists(PostcodeDistrict.objects.filter(code=OuterRef(column)))


def district_unknown_q() -> Q:
    """Home or placement district given but not in the loaded district list: the distance is unknown
    (unless the return recorded one)."""
    return _district_unknown("home_district") | _district_unknown("placement_district")


def district_unknown_count(day: date) -> int:
    """Children looked after on `day` whose placement has a postcode district not in the district list."""
    return looked_after_placements(day).filter(district_unknown_q()).count()


def districts_unknown(day: date) -> list[dict]:
    """Each postcode district not in the list, with how many placements of children looked after on
    `day` name it as home and as placement (two queries)."""
    rows: dict[str, dict] = {}
    for column, key in (("home_district", "home"), ("placement_district", "placed")):
        counts = (looked_after_placements(day).filter(_district_unknown(column)).values(column)
                  .annotate(n=Count("pk")).values_list(column, "n"))
        for code, n in counts:
            rows.setdefault(code, {"district": code, "home": 0, "placed": 0})[key] = n
    return [rows[code] for code in sorted(rows)]


def data_problems_count(*, as_of: date) -> int:
    """903 data problems to fix at source: children left out of an import and not yet replaced, and
    current placements with a postcode district not in the district list."""
    not_imported = SkippedChild.objects.filter(replaced_by__isnull=True).exclude(reference="").count()
    return not_imported + district_unknown_count(as_of)


def children_by_reference(references: list[str]) -> list[tuple[str, int | None]]:
    """(CHILD reference, the child's id) for each reference, in order: one query, for linking the children an
    import created. None for a reference no longer on record."""
    ids = dict(Child.objects.filter(reference__in=references).values_list("reference", "id"))
    return [(ref, ids.get(ref)) for ref in references]
