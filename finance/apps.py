from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = "Finance"

    def ready(self):
        from . import registrations  # noqa: F401  (fills core.registry once per process)
