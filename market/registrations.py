"""What the market app adds to the shared pages and the 903 import (imported once by MarketConfig.ready())."""

from core.registry import (
    AppAccess,
    DashboardItemSpec,
    DemoLoaderSpec,
    NavItemSpec,
    ProviderUrnLookupSpec,
    ReportSectionSpec,
    registry,
)
from core.roles import COMMISSIONER, COMMITTEE_OFFICER, VIEWER

from . import demo, reports, selectors

registry.access(AppAccess("market"))
registry.nav_item(
    NavItemSpec(
        key="market",
        label="Market",
        url_name="market:index",
        section="market",
        permissions=("market.view_owninggroup",),
        order=40,
    )
)
# A placement's URN in the 903 return finds its provider through the Ofsted settings linked here.
registry.provider_urn_lookup(ProviderUrnLookupSpec("market_ofsted_settings", selectors.provider_ids_by_setting_urn))
registry.dashboard_item(
    DashboardItemSpec(
        key="market_contracts_needing_kpis",
        label="Large contracts with too few KPIs",
        hint="Over £5 million with fewer than 3 KPIs of their own (Procurement Act 2023).",
        permission="market.view_owninggroup",
        count=lambda *, user, as_of: selectors.contracts_needing_kpis(as_of=as_of).count(),
        url_name="market:performance",
        roles=frozenset({COMMISSIONER, COMMITTEE_OFFICER, VIEWER}),
        order=35,
    )
)
registry.report_section(
    ReportSectionSpec(
        key="market",
        heading="Market and quality",
        template="market/pdf/section.html",
        context=reports.section_context,
        order=35,
    )
)
registry.demo_loader(DemoLoaderSpec("market", demo.load, order=45))

