import django_tables2 as tables

from .models import Strategy


class StrategyTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name="Strategy")
    period = tables.Column(accessor="period_label", verbose_name="Period", orderable=False)
    status = tables.Column()
    approved_by = tables.Column(verbose_name="Approved by", default="Not yet approved")
    approved_on = tables.DateColumn(format="j M Y", verbose_name="Approved on", default="–")
    priority_count = tables.Column(
        verbose_name="Priorities", attrs={"td": {"class": "app-numeric"}, "th": {"class": "app-numeric"}}
    )
    action_count = tables.Column(
        verbose_name="Actions", attrs={"td": {"class": "app-numeric"}, "th": {"class": "app-numeric"}}
    )

    class Meta:
        model = Strategy
        fields = ["title", "period", "status", "approved_by", "approved_on", "priority_count", "action_count"]
        orderable = False
        attrs = {"class": "govuk-table", "aria-label": "Strategies"}
        empty_text = "No strategy has been recorded yet."

    rows_noun = "strategies"
