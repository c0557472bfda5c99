"""What placements add to the shared pages, and its measures for KPIs (imported once by PlacementsConfig.ready())."""

from django.apps import apps
from django.db.models.signals import post_migrate

from core.registry import (
    AppAccess,
    DashboardItemSpec,
    DataNoteSpec,
    DemoLoaderSpec,
    NavItemSpec,
    PanelSpec,
    ReportSectionSpec,
    registry,
)
from core.roles import COMMISSIONER, PLACEMENTS_OFFICER
from kpis.measures import register_measure

from . import demo, home, presenters, reports, selectors
from .measures import MEASURES
from .reference import load_codes

for key, label, unit, compute in MEASURES:
    register_measure(key, label=label, unit=unit, compute=compute)
# Child-level data: only `view_sufficiency` (aggregate measures, small numbers suppressed) reaches
# committee officers and viewers.
# Seeing a child's placements is what child-level access means (and so seeing counts of 1 to 5 as they are).
registry.access(
    AppAccess(
        "placements",
        kind="child_level",
        aggregate_perms=frozenset({"view_sufficiency"}),
        child_level_perm="view_placement",
    )
)
# Placements officers and commissioners see the children; everyone else the aggregate (sufficiency) pages.
registry.nav_item(
    NavItemSpec(
        key="placements",
        label="Placements",
        url_name="placements:index",
        section="placements",
        permissions=("placements.view_placement", "placements.view_sufficiency"),
        order=50,
    )
)
registry.dashboard_item(
    DashboardItemSpec(
        key="ipas_unsigned",
        label="Placements without a signed IPA",
        hint="External placements whose Individual Placement Agreement is not signed.",
        permission="placements.view_placementagreement",
        act_permission="placements.change_placementagreement",
        count=lambda *, user, as_of: selectors.placements_without_signed_ipa(as_of=as_of).count(),
        url_name="placements:ipa_queue",
        roles=frozenset({COMMISSIONER}),
        order=40,
    )
)
# The placements officer chases IPAs by how long the placement has run without one.
for order, (band, (label, _at_least, _under)) in enumerate(selectors.IPA_WAITING_BANDS.items()):
    registry.dashboard_item(
        DashboardItemSpec(
            key=f"ipas_waiting_{band}",
            label=f"IPAs not signed: {label.lower()}",
            hint=f"External placements running {label.lower()} without a signed IPA.",
            permission="placements.view_placementagreement",
            act_permission="placements.change_placementagreement",
            count=lambda *, user, as_of, band=band: selectors.ipas_to_chase(as_of=as_of, waiting=band).count(),
            url_name="placements:ipa_queue",
            team_query={"waiting": band},
            roles=frozenset({PLACEMENTS_OFFICER}),
            order=5 + order,
        )
    )
registry.dashboard_item(
    DashboardItemSpec(
        key="panel_reviews_due",
        label="Panel reviews due",
        hint="Placement reviews for the panel not yet held, overdue or due within the next few weeks.",
        permission="placements.view_panelreview",
        act_permission="placements.change_panelreview",
        count=lambda *, user, as_of: selectors.panel_reviews_due(as_of=as_of).count(),
        url_name="placements:panel_reviews",
        roles=frozenset({PLACEMENTS_OFFICER}),
        order=15,
    )
)
registry.dashboard_item(
    DashboardItemSpec(
        key="cost_changes_waiting",
        label="Cost changes waiting for approval",
        hint="Changes to a placement's weekly cost above the threshold: a second person approves them.",
        permission="placements.approve_costline",
        act_permission="placements.approve_costline",
        count=lambda *, user, as_of: selectors.cost_lines_awaiting_approval().count(),
        url_name="placements:cost_approvals",
        roles=frozenset({PLACEMENTS_OFFICER, COMMISSIONER}),
        order=16,
    )
)
registry.dashboard_item(
    DashboardItemSpec(
        key="data_problems_903",
        label="903 data problems",
        hint="Children the 903 import left out (until a corrected return replaces them), and current "
             "placements whose postcode district is not in the district list (distance unknown).",
        permission="placements.view_child",
        act_permission="placements.add_placement",
        count=lambda *, user, as_of: selectors.data_problems_count(as_of=as_of),
        url_name="placements:data_problems",
        roles=frozenset({PLACEMENTS_OFFICER}),
        order=17,
    )
)
registry.report_section(
    ReportSectionSpec(
        key="placements",
        heading="Placements and sufficiency",
        template="placements/pdf/section.html",
        context=reports.section_context,
        order=30,
    )
)
registry.data_note(
    DataNoteSpec(
        key="placements_definitions",
        section="placements",
        text="Placement figures follow the Department for Education's definitions in its statistics "
             '"Children looked after in England including adoptions" and the SSDA903 return guide, '
             "where DfE publishes the figure.",
        link_text="How each figure is worked out",
        url_name="placements:definitions",
        order=30,
    )
)
registry.data_note(
    DataNoteSpec(
        key="placements_as_known",
        section="placements",
        text="Placement figures are worked out from the children, placements, IPAs and costs as known when the "
             "report was built, corrections from later SSDA903 returns included, each placement counted by its "
             "own start and end dates on or before the report's day.",
        order=31,
    )
)
registry.demo_loader(DemoLoaderSpec("placements", demo.load, order=40))
# A KPI computed from placement data says when children of a return were left out of it.
registry.panel(
    PanelSpec(
        key="placements_not_imported",
        model="kpis.indicator",
        slot="summary",
        template="placements/includes/not_imported.html",
        context=lambda obj, *, page: {
            "not_imported": presenters.not_imported_notices(page["request"].user)
            if obj.measure_key.startswith("placements.") else []
        },
    )
)
# Children placed now under a contract or with a provider, on their pages, for placements staff.
for model, slot in (("contract", "cards"), ("provider", "summary")):
    registry.panel(
        PanelSpec(
            key=f"placements_now_{model}",
            model=f"contracts.{model}",
            slot=slot,
            template=f"placements/panels/{model}_placements_now.html",
            permission="placements.view_placement",
            context=lambda obj, *, page: {"placements_now": obj.placements.active_on(page["as_of"]).count()},
        )
    )


def _codes_load(sender, **kwargs):
    # The 903 code tables come with the migrations; loading them again after every migrate (it adds only
    # what is missing) gives them back to a database emptied by `flush`, as transactional tests do.
    load_codes(lambda name: sender.get_model(name))


post_migrate.connect(_codes_load, sender=apps.get_app_config("placements"), dispatch_uid="placements.codes_load")

# The home page's "how are we doing" panel for viewers.
home.register()
