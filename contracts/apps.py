from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contracts and the market"

    def ready(self):
        from . import registrations  # noqa: F401  (fills core.registry once per process)
