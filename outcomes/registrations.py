"""What the outcomes framework adds to the shared pages (imported once by OutcomesConfig.ready())."""

from core.registry import AppAccess, DemoLoaderSpec, NamedPersonSpec, NavItemSpec, registry

from . import demo
from .models import Outcome

registry.access(AppAccess("outcomes"))
registry.nav_item(
    NavItemSpec(key="outcomes", label="Outcomes", url_name="outcomes:index", section="outcomes", order=10)
)
registry.named_person(NamedPersonSpec("outcomes.outcome", Outcome, "owner", "owner_title", "Outcome owners"))
registry.demo_loader(DemoLoaderSpec("outcomes", demo.load, order=10))
