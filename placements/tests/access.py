from datetime import date

from core.access import allowed, everyone
from core.roles import ADMINISTRATOR, COMMISSIONER, COMMITTEE_OFFICER, PLACEMENTS_OFFICER, VIEWER

# Child-level pages: placements officers and commissioners (view only) and administrators.
# Committee officers and viewers get 403 on all of them and see the aggregate dashboard only.
CHILD_LEVEL = (ADMINISTRATOR, PLACEMENTS_OFFICER, COMMISSIONER)
EDITORS = (ADMINISTRATOR, PLACEMENTS_OFFICER)
APPROVERS = (ADMINISTRATOR, PLACEMENTS_OFFICER, COMMISSIONER)


def url_cases():
    from placements.models import DfeCheck, ReturnImport
    from placements.tests.factories import CostLineFactory, PanelReviewFactory, PlacementFactory

    placement = PlacementFactory(provider_kind="PR4", route="spot")
    line = CostLineFactory(placement=placement, status="awaiting_approval", needs_approval=True)
    review = PanelReviewFactory(placement=placement, due_on=date(2026, 12, 1))
    check = DfeCheck.objects.create(header_file="header.csv", episodes_file="episodes.csv")
    return_import = ReturnImport.objects.create(children_imported=1)
    return {
        "placements:index": ({}, allowed(*CHILD_LEVEL, COMMITTEE_OFFICER, VIEWER)),
        # Definitions only, no figures: every signed-in role (the KPIs and reports it explains reach them all).
        "placements:definitions": ({}, everyone()),
        "placements:list": ({}, allowed(*CHILD_LEVEL)),
        "placements:child": ({"pk": placement.child_id}, allowed(*CHILD_LEVEL)),
        "placements:placement": ({"pk": placement.pk}, allowed(*CHILD_LEVEL)),
        "placements:placement_add": ({}, allowed(*EDITORS)),
        "placements:placement_edit": ({"pk": placement.pk}, allowed(*EDITORS)),
        "placements:cost_add": ({"pk": placement.pk}, allowed(*EDITORS)),
        "placements:ipa_edit": ({"pk": placement.pk}, allowed(*EDITORS)),
        "placements:ipa_queue": ({}, allowed(*CHILD_LEVEL)),
        "placements:panel_reviews": ({}, allowed(*CHILD_LEVEL)),
        "placements:panel_review_record": ({"pk": review.pk}, allowed(*EDITORS)),
        "placements:cost_approvals": ({}, allowed(*APPROVERS)),
        "placements:cost_decide": ({"pk": line.pk}, allowed(*APPROVERS)),
        "placements:import_903": ({}, allowed(*EDITORS)),
        "placements:import_districts": ({}, allowed(*EDITORS)),
        "placements:import_903_template": ({"file": "header"}, allowed(*EDITORS)),
        "placements:imports": ({}, allowed(*EDITORS)),
        "placements:dfe_check_rows": ({"pk": check.pk}, allowed(*EDITORS)),
        "placements:data_problems": ({}, allowed(*CHILD_LEVEL)),
        "placements:return_import": ({"pk": return_import.pk}, allowed(*CHILD_LEVEL)),
    }
