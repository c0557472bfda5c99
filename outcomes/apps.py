from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Outcomes framework"

    def ready(self):
        from core.registry import AppAccess, DemoLoaderSpec, registry

        from . import demo

        registry.access(AppAccess("outcomes"))
        registry.demo_loader(DemoLoaderSpec("outcomes", demo.load, order=10))
