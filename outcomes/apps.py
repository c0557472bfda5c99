from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Outcomes framework"

    def ready(self):
        from core.registry import AppAccess, DemoLoaderSpec, NamedPersonSpec, registry

        from . import demo

        registry.access(AppAccess("outcomes"))
        registry.named_person(NamedPersonSpec(
            "outcomes.outcome", self.get_model("Outcome"), "owner", "owner_title", "Outcome owners"
        ))
        registry.demo_loader(DemoLoaderSpec("outcomes", demo.load, order=10))
