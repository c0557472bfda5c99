"""What the sufficiency app adds to the shared pages and stores (see core/registry.py)."""

from django.utils import timezone

from core.registry import AppAccess, DemoLoaderSpec, NavItemSpec, PanelSpec, registry

from . import demo, presenters, selectors

# Commissioners run the forecast, save scenarios and set unit costs; everyone else reads. Only counts of children
# are kept here, never a child's record.
registry.access(AppAccess("sufficiency", kind="commissioning"))
registry.nav_item(NavItemSpec(key="sufficiency", label="Sufficiency", url_name="sufficiency:forecast",
                               section="sufficiency", permissions=("sufficiency.view_forecastrun",), order=65))
registry.demo_loader(DemoLoaderSpec("sufficiency", demo.load, order=55))


def _projection(_obj, *, page):
    return {"projection": selectors.medium_term_projection(as_of=timezone.localdate()),
            "categories": presenters.category_labels()}


# The budget pages show the forecast's spend for the next five years beside this year's forecast outturn.
for page in ("finance.dashboard", "finance.budgets"):
    registry.panel(PanelSpec(
        key=f"sufficiency_projection_{page}", model=page, slot="projection",
        template="sufficiency/includes/projection_panel.html", permission="sufficiency.view_forecastrun",
        context=_projection, order=10,
    ))


def _register_reports():
    from core.registry import ReportSectionSpec

    from . import reports

    # Papers of their own (report kinds), never sections of a committee pack.
    registry.report_section(ReportSectionSpec(
        key="sufficiency", heading="Sufficiency statement", template="sufficiency/pdf/statement.html",
        context=reports.statement_context, order=80, in_pack=False,
    ))
    registry.report_section(ReportSectionSpec(
        key="market_position", heading="Market position statement", template="sufficiency/pdf/market_position.html",
        context=reports.market_position_context, order=81, in_pack=False,
    ))


_register_reports()
