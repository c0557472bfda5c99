from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "market"
    verbose_name = "Market and quality"

    def ready(self):
        from . import registrations  # noqa: F401  (fills core.registry once per process)
