from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Committee reports"

    def ready(self):
        from . import registrations  # noqa: F401  (fills core.registry once per process)
