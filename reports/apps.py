from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Committee reports"

    def ready(self):
        from core.registry import AppAccess, DemoLoaderSpec, HomePanelSpec, registry

        from . import demo, selectors

        # Committee officers build reports; viewers never see them.
        registry.access(
            AppAccess(
                "reports", committee_perms=frozenset({"view_reportrun", "add_reportrun", "change_reportrun"})
            )
        )
        registry.home_panel(
            HomePanelSpec(
                key="my_reports",
                permission="reports.view_reportrun",
                template="reports/_home_reports.html",
                context=lambda *, user, as_of: {"reports": selectors.report_runs_requested_by(user=user)},
                order=20,
            )
        )
        registry.demo_loader(DemoLoaderSpec("reports", demo.load, order=60))
