from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Strategies and action plans"

    def ready(self):
        from . import registrations  # noqa: F401  (fills core.registry once per process)
