from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "market"
    verbose_name = "Market and quality"

    def ready(self):
        from core.registry import AppAccess, DashboardItemSpec, DemoLoaderSpec, ReportSectionSpec, registry
        from core.roles import COMMISSIONER, COMMITTEE_OFFICER, VIEWER

        from . import demo, reports, selectors

        registry.access(AppAccess("market"))
        # A placement's URN in the 903 return finds its provider through the Ofsted settings linked here.
        from placements.importers import PROVIDER_URN_LOOKUPS

        if selectors.provider_ids_by_setting_urn not in PROVIDER_URN_LOOKUPS:
            PROVIDER_URN_LOOKUPS.append(selectors.provider_ids_by_setting_urn)
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
