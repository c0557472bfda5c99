from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Outcomes framework"

    def ready(self):
        from . import registrations  # noqa: F401  (fills core.registry once per process)
