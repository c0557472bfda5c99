"""The sufficiency figures as they are shown: counts of children through small-number suppression
where the audience may not see child-level data (committee officers, and every report that leaves
the system), and the same figures as bar charts with tables beside them.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.safestring import mark_safe

from core.charts import bar_chart_svg
from core.roles import sees_small_numbers
from core.suppression import Cell, suppress_count, suppress_percentage, suppress_row

from . import selectors
from .selectors import Sufficiency


def _plain_row(counts):
    return [Cell(c) for c in counts], Cell(sum(counts))


def _line(rows: list[dict], suppress: bool, title: str) -> dict:
    counts = [r["count"] for r in rows]
    if suppress:
        line = suppress_row(counts)
        cells, total = line.cells, line.total
    else:
        cells, total = _plain_row(counts)
    shares = [suppress_percentage(c, total) if suppress else Cell(_pct(c.value, total.value), places=1, suffix="%")
              for c in cells]
    items = [{**r, "cell": c, "share": s} for r, c, s in zip(rows, cells, shares, strict=True)]
    chart = bar_chart_svg(
        [(r["label"], None if r["cell"].suppressed else r["count"], r["cell"].display) for r in items], title=title
    )
    return {"rows": items, "total": total, "chart": mark_safe(chart),  # built from escaped parts
            "any_suppressed": any(c.suppressed for c in cells) or total.suppressed}


def _pct(numerator, denominator):
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"))


def _count(value, suppress):
    return suppress_count(value) if suppress else Cell(value)


def _share(numerator, denominator, suppress):
    if suppress:
        return suppress_percentage(numerator, denominator)
    return Cell(_pct(numerator, denominator), places=1, suffix="%")


def sufficiency_display(s: Sufficiency, *, suppress: bool) -> dict:
    looked_after = _count(s.looked_after, suppress)
    distance, stab, lt, fw, ipas = s.distance, s.stability, s.long_term, s.framework, s.ipas
    groups = _line(s.groups, suppress, "Children looked after by placement type")
    kinds = _line(s.provider_kinds, suppress, "Children looked after by provider")
    cost_rows = []
    for group_rows in (s.cost_by_group, s.cost_by_route):
        counts = [r["count"] for r in group_rows]
        cells = suppress_row(counts).cells if suppress else [Cell(c) for c in counts]
        # Money is not a count of children: a group's cost is shown however few it covers. Its average a
        # week is that cost over the count (cost / average would give the count back): hidden where it is.
        cost_rows.append([
            {**r, "cell": c, "average_suppressed": c.suppressed, **({"average_weekly": None} if c.suppressed else {})}
            for r, c in zip(group_rows, cells, strict=True)
        ])
    weekly_total = sum((r["weekly"] for r in s.cost_by_group), Decimal("0"))
    ipa_statuses = [("not_started", "Not started"), ("drafted", "Drafted"), ("issued", "Issued"), ("signed", "Signed")]
    ipa_line = _line([{"key": k, "label": label, "count": ipas["by_status"].get(k, 0)} for k, label in ipa_statuses],
                     suppress, "IPAs for external placements by status")
    display = {
        "looked_after": looked_after,
        "rate": None if looked_after.suppressed else s.rate_per_10000,
        "groups": groups,
        "kinds": kinds,
        "distance": {
            "over": _count(distance["over_threshold"], suppress),
            "over_pct": _share(distance["over_threshold"], distance["distance_known"], suppress),
            "known": _count(distance["distance_known"], suppress),
            "outside": _count(distance["outside_area"], suppress),
            "outside_pct": _share(distance["outside_area"], distance["total"], suppress),
            "over_and_outside": _count(distance["over_threshold_and_outside"], suppress),
        },
        "stability": {
            "cohort": _count(stab["cohort"], suppress),
            "three_plus": _count(stab["three_plus"], suppress),
            "pct": _share(stab["three_plus"], stab["cohort"], suppress),
        },
        "long_term": {
            "cohort": _count(lt["cohort"], suppress),
            "stable": _count(lt["stable"], suppress),
            "pct": _share(lt["stable"], lt["cohort"], suppress),
        },
        "cost_by_group": cost_rows[0],
        "cost_by_route": cost_rows[1],
        "weekly_total": weekly_total,
        "annual_total": weekly_total * 52,
        "framework": {
            "bought": _count(fw["bought"], suppress),
            "framework": _count(fw["framework"], suppress),
            "spot": _count(fw["spot"], suppress),
            "framework_pct": _share(fw["framework"], fw["framework"] + fw["spot"], suppress),
            "spot_pct": _share(fw["spot"], fw["framework"] + fw["spot"], suppress),
        },
        "ipas": {
            "unsigned": _count(ipas["unsigned"], suppress),
            "line": ipa_line,
            "median_days": ipas["median_days_to_signature"],
        },
    }
    cells = [looked_after, *display["distance"].values(), *display["stability"].values(),
             *display["long_term"].values(), *display["framework"].values(), display["ipas"]["unsigned"]]
    display["any_suppressed"] = (
        any(isinstance(c, Cell) and c.suppressed for c in cells)
        or groups["any_suppressed"] or kinds["any_suppressed"] or ipa_line["any_suppressed"]
    )
    return display


def not_imported_notices(user) -> list[dict]:
    """ "N children from this return were not imported", for each import whose skipped children no later
    return has replaced. Counts of 1 to 5 are [c] for those who do not see small numbers; the link to the
    children is for those who see child-level records."""
    suppress = not sees_small_numbers(user)
    return [
        {"count": suppress_count(r.not_imported) if suppress else r.not_imported,
         "many": suppress or r.not_imported != 1,
         "imported_at": r.imported_at,
         "url": r.get_absolute_url() if user.has_perm("placements.view_child") else ""}
        for r in selectors.returns_with_children_not_imported()
    ]


def placement_mix_display(*, as_of, suppress: bool) -> dict:
    """Children looked after on a day and how they are placed, as the sufficiency page shows them: the same
    selectors, and 1 to 5 children (or a count that would give one back) as [c] for people who may not see them.
    Two queries."""
    count = selectors.looked_after_count(as_of)
    looked_after = _count(count, suppress)
    groups = _line(selectors.group_rows(as_of), suppress, "Children looked after by placement type")
    return {"looked_after": looked_after, "rate": None if looked_after.suppressed else selectors.rate_per_10000(count),
            "groups": groups}
