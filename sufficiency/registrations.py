"""What the sufficiency app adds to the shared pages and stores (see core/registry.py)."""

from django.utils import timezone

from core.registry import AppAccess, PanelSpec, registry

from . import presenters, selectors

# Commissioners run the forecast, save scenarios and set unit costs; everyone else reads. Only counts of children
# are kept here, never a child's record.
registry.access(AppAccess("sufficiency", kind="commissioning"))


def _projection(_obj, *, page):
    return {"projection": selectors.medium_term_projection(as_of=timezone.localdate()),
            "categories": presenters.category_labels()}


# The budget pages show the forecast's spend for the next five years beside this year's forecast outturn.
for page in ("finance.dashboard", "finance.budgets"):
    registry.panel(PanelSpec(
        key=f"sufficiency_projection_{page}", model=page, slot="projection",
        template="sufficiency/includes/projection_panel.html", permission="sufficiency.view_forecastrun",
        context=_projection, order=10,
    ))
