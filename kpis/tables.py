import django_tables2 as tables
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.html import format_html

from core.people import person_label
from core.suppression import MARKER
from core.templatetags.govuk import rag_tag

from .formatting import describe_indicator_target, format_value, hides_small_count
from .models import Direction, Polarity, Status
from .status import BenchmarkPoint, target_in_force

STATUS_RANK = Case(
    *[When(latest_status=s, then=Value(i)) for i, s in enumerate(
        [Status.RED, Status.AMBER, Status.GREEN, Status.NO_TARGET, Status.NO_DATA])],
    default=Value(9), output_field=IntegerField(),
)
# The arrow shows which way the value moved; the word says whether that was good. Which way is good
# depends on the polarity (a rising re-referral rate is worsening). Within a band either way can be good,
# so the arrow is left off.
ARROWS = {
    (Polarity.HIGHER_IS_BETTER, Direction.IMPROVING): "↑", (Polarity.HIGHER_IS_BETTER, Direction.WORSENING): "↓",
    (Polarity.LOWER_IS_BETTER, Direction.IMPROVING): "↓", (Polarity.LOWER_IS_BETTER, Direction.WORSENING): "↑",
}


def target_for(indicator):
    """The target in force at the latest period (targets prefetched, so no query per row)."""
    targets = list(indicator.targets.all())
    if not targets:
        return None
    when = indicator.latest_period_end
    if when is None:
        return max(targets, key=lambda t: t.starts_on)
    return target_in_force(targets, when)


def target_text(indicator, *, none: str = "None set") -> str:
    """The target in force at the latest period, resolved to figures for that period (kpis.formatting.
    describe_target): uses the targets and `latest_benchmarks` prefetched by selectors.kpi_dashboard_rows."""
    target = target_for(indicator)
    if target is None:
        return none
    benchmarks = {(b.period_end, b.source): BenchmarkPoint(b.value, b.minimum, b.maximum)
                  for b in getattr(indicator, "latest_benchmarks", [])}
    return describe_indicator_target(indicator, target.rule, period_end=indicator.latest_period_end,
                                     benchmarks=benchmarks)


def direction_text(direction: str, polarity: str) -> str:
    label = Direction(direction).label if direction in Direction.values else direction
    arrow = "→" if direction == Direction.NO_CHANGE else ARROWS.get((polarity, direction), "")
    return f"{arrow} {label}".strip()


# Short values on one line, so the KPI's name has the width (38 KPIs in a 110px column made a 6,000px page).
TIGHT = {"td": {"class": "app-col-tight"}}


class IndicatorTable(tables.Table):
    code = tables.Column(linkify=True, verbose_name="Code", attrs=TIGHT)
    name = tables.Column(linkify=True, verbose_name="KPI", attrs={"th": {"class": "app-col-name"}})
    theme = tables.Column(accessor="theme__name", verbose_name="Theme", order_by=("theme__order", "theme__name"),
                          attrs={"th": {"class": "app-col-theme"}})
    owner = tables.Column(accessor="owner", verbose_name="Owner", empty_values=(), attrs=TIGHT,
                          order_by=("owner__first_name", "owner__last_name", "owner_title"))
    frequency = tables.Column(attrs=TIGHT)
    latest_period_end = tables.DateColumn(format="M Y", verbose_name="Latest period", attrs=TIGHT)
    latest_value = tables.Column(verbose_name="Latest value", attrs={"td": {"class": "app-numeric"}})
    target = tables.Column(empty_values=(), orderable=False, verbose_name="Target",
                           attrs={"th": {"class": "app-col-target"}})
    latest_status = tables.Column(verbose_name="Status", attrs=TIGHT)
    latest_direction = tables.Column(verbose_name="Direction of travel", attrs=TIGHT)

    class Meta:
        attrs = {"class": "govuk-table app-kpi-table", "aria-label": "KPIs"}
        fields = []
        sequence = ["code", "name", "theme", "owner", "frequency", "latest_period_end", "latest_value", "target",
                    "latest_status", "latest_direction"]
        empty_text = "No KPIs match these filters."
        order_by = "code"

    rows_noun = "KPIs"

    def __init__(self, *args, suppress_small_counts: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.suppress_small_counts = suppress_small_counts

    def render_owner(self, value, record):
        if value is None and record.owner_title:
            return format_html('{} <span class="govuk-hint govuk-!-font-size-16">(no account: gets no alerts)</span>',
                               record.owner_title)
        return person_label(value, "") or "—"

    def render_latest_value(self, value, record):
        if self.suppress_small_counts and latest_is_small_count(record):
            return MARKER
        return format_value(value, unit=record.unit, decimals=record.decimals, rate_per=record.rate_per)

    def render_target(self, record):
        return target_text(record)

    def render_latest_status(self, value):
        return rag_tag(value)

    def render_latest_direction(self, value, record):
        return direction_text(value, record.polarity)

    def order_latest_status(self, queryset, is_descending):
        queryset = queryset.annotate(status_rank=STATUS_RANK).order_by(
            ("-" if is_descending else "") + "status_rank", "code"
        )
        return queryset, True


def latest_is_small_count(indicator) -> bool:
    """For a row of indicators_with_latest(): is its latest value a count of 1 to 5 children, or worked out from one?"""
    return hides_small_count(counts_children=indicator.counts_children, unit=indicator.unit,
                             value=indicator.latest_value, numerator=indicator.latest_numerator,
                             denominator=indicator.latest_denominator)


def export_rows(indicators) -> tuple[list[str], list[list]]:
    """The same rows as the table, as plain values for CSV or XLSX. A download leaves the system, so a
    count of 1 to 5 children (or a figure worked out from one) goes out as [c]."""
    header = ["Code", "KPI", "Theme", "Owner", "Frequency", "Unit", "Latest period end", "Latest value", "Target",
              "Status", "Direction of travel", "Link"]
    rows = []
    for i in indicators:
        rows.append([
            i.code, i.name, i.theme.name, person_label(i.owner, i.owner_title),
            i.get_frequency_display(), i.get_unit_display(), i.latest_period_end,
            MARKER if latest_is_small_count(i) else i.latest_value,
            target_text(i, none=""), Status(i.latest_status).label,
            Direction(i.latest_direction).label, reverse("kpis:detail", kwargs={"pk": i.pk}),
        ])
    return header, rows
