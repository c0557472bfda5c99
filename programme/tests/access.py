from core.access import allowed
from core.roles import ADMINISTRATOR, COMMISSIONER, COMMITTEE_OFFICER, PLACEMENTS_OFFICER, VIEWER

from .factories import OptionFactory, ProjectFactory, RiskFactory

EVERYONE_SIGNED_IN = (ADMINISTRATOR, COMMISSIONER, PLACEMENTS_OFFICER, COMMITTEE_OFFICER, VIEWER)
EDITORS = (ADMINISTRATOR, COMMISSIONER)


def url_cases():
    project = ProjectFactory()  # no lead yet: any commissioner may take it up
    risk = RiskFactory(project=project)
    option = OptionFactory(product__project=project)
    pk = {"pk": project.pk}
    return {
        # Everyone reads the programme; commissioners write; only a named gateway approver decides gateways, a
        # permission no role holds (programme/tests/test_views.py checks the head of commissioning may).
        "programme:index": ({}, allowed(*EVERYONE_SIGNED_IN)),
        "programme:projects": ({}, allowed(*EVERYONE_SIGNED_IN)),
        "programme:project_create": ({}, allowed(*EDITORS)),
        "programme:project": (pk, allowed(*EVERYONE_SIGNED_IN)),
        "programme:project_edit": (pk, allowed(*EDITORS)),
        "programme:gateway": (pk, allowed()),
        "programme:product": ({**pk, "kind": "eia"}, allowed(*EDITORS)),
        "programme:eia": (pk, allowed(*EDITORS)),
        "programme:option_create": (pk, allowed(*EDITORS)),
        "programme:option_edit": ({**pk, "option_pk": option.pk}, allowed(*EDITORS)),
        "programme:engagement_create": (pk, allowed(*EDITORS)),
        "programme:import": ({}, allowed(*EDITORS)),
        "programme:risks": ({}, allowed(*EVERYONE_SIGNED_IN)),
        "programme:risk_create": ({}, allowed(*EDITORS)),
        "programme:risk": ({"pk": risk.pk}, allowed(*EVERYONE_SIGNED_IN)),
        "programme:risk_edit": ({"pk": risk.pk}, allowed(*EDITORS)),
    }
