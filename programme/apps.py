from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = "Commissioning programme"

    def ready(self):
        from . import registrations  # noqa: F401
