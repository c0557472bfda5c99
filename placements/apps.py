from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = "Placements"

    def ready(self):
        from core.registry import AppAccess, DashboardItemSpec, DemoLoaderSpec, PanelSpec, ReportSectionSpec, registry

        from . import demo, reports, selectors
        from .measures import register_all

        register_all()
        # Child-level data: only `view_sufficiency` (aggregate measures, small numbers suppressed) reaches
        # committee officers.
        registry.access(AppAccess("placements", kind="child_level", aggregate_perms=frozenset({"view_sufficiency"})))
        registry.dashboard_item(
            DashboardItemSpec(
                key="ipas_unsigned",
                label="Placements without a signed IPA",
                hint="External placements whose Individual Placement Agreement is not signed.",
                permission="placements.view_placementagreement",
                count=lambda *, user, as_of: selectors.placements_without_signed_ipa(as_of=as_of).count(),
                url_name="placements:ipa_queue",
                order=40,
            )
        )
        registry.report_section(
            ReportSectionSpec(
                key="placements",
                heading="Placements and sufficiency",
                template="placements/pdf/section.html",
                context=reports.section_context,
                order=30,
            )
        )
        registry.demo_loader(DemoLoaderSpec("placements", demo.load, order=40))
        # Children placed now under a contract or with a provider, on their pages, for placements staff.
        for model, slot in (("contract", "cards"), ("provider", "summary")):
            registry.panel(
                PanelSpec(
                    key=f"placements_now_{model}",
                    model=f"contracts.{model}",
                    slot=slot,
                    template=f"placements/panels/{model}_placements_now.html",
                    permission="placements.view_placement",
                    context=lambda obj, *, page: {"placements_now": obj.placements.active_on(page["as_of"]).count()},
                )
            )
