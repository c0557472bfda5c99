from django.apps import AppConfig


class SufficiencyConfig(AppConfig):
    name = "sufficiency"
    verbose_name = "Sufficiency and demand"

    def ready(self):
        from . import registrations  # noqa: F401
