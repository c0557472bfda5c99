"""What each app adds to the pages every app shares.

Each app fills these stores from its `AppConfig.ready()`; the shared pages (the home page, committee
reports, role permissions, the demo loader) read them and never import another app. A store is
filled once per process; registering the same key twice is a programming error and fails loudly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DashboardItemSpec:
    """A count on the home page that links to the filtered list behind it.

    `count(user=None, as_of=...)` counts the whole team's; `count(user=user, as_of=...)` the
    person's own (only when `mine_query` is set, i.e. the list can be filtered to one person, and the
    person can act on it).

    `roles` are the roles whose home page shows it (empty: every role holding `permission`). Someone
    holding `act_permission` is the one to act, so a non-zero count is marked "Action needed" and
    split into theirs and the team's; everyone else sees the figure alone.
    """

    key: str
    label: str
    hint: str
    permission: str
    count: Callable[..., int]
    url_name: str
    team_query: dict[str, str] = field(default_factory=dict)
    mine_query: Callable[[Any], dict[str, str]] | None = None
    order: int = 100
    roles: frozenset[str] = frozenset()
    act_permission: str = ""


@dataclass(frozen=True)
class HomePanelSpec:
    """A short list on the home page (your actions, your reports): a template and its context.

    `roles` as for DashboardItemSpec."""

    key: str
    permission: str
    template: str
    context: Callable[..., dict]
    order: int = 100
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ReportSectionSpec:
    """A section of a committee report.

    `context(period_start=..., period_end=..., as_of=...)` returns the template's context; it may set
    `title`, `appendix_template` (and `appendix_title`) and `uses_suppression`. `in_pack` False keeps a section
    that is a paper of its own (the sufficiency statement) out of committee packs.
    """

    key: str
    heading: str
    template: str
    context: Callable[..., dict]
    order: int = 100
    in_pack: bool = True


@dataclass
class ReportDraft:
    """What an app drafts from its figures for a committee report before it is built: sentences for the executive
    summary, implications by the report's field name ("financial_implications"), and warnings for the officer."""

    summary: list[str] = field(default_factory=list)
    implications: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReportDraftSpec:
    """An app's draft for a committee report (ReportDraft): `draft(period_start=..., period_end=..., as_of=...)`.

    Its summary and warnings count for a report that includes `section`; its implications for every report.
    """

    key: str
    section: str
    draft: Callable[..., ReportDraft]
    order: int = 100


@dataclass(frozen=True)
class DataNoteSpec:
    """A paragraph in a committee report's data notes, printed when the report includes `section` (always when
    blank), with a link (`url_name`, made absolute with SITE_URL: a report is read away from the app) to where
    the app explains more."""

    key: str
    text: str
    section: str = ""
    link_text: str = ""
    url_name: str = ""
    order: int = 100


@dataclass(frozen=True)
class AppAccess:
    """How the five roles reach an app's permissions.

    `kind` is "commissioning" (commissioners edit, everyone else reads) or "child_level" (placements
    officers edit; commissioners read and approve; committee officers and viewers get only the
    `aggregate_perms`). `committee_perms` are extra codenames committee officers hold (building
    reports); viewers never hold them.
    """

    app_label: str
    kind: str = "commissioning"
    aggregate_perms: frozenset[str] = frozenset()
    committee_perms: frozenset[str] = frozenset()


@dataclass(frozen=True)
class HistoryRedactionSpec:
    """Fields of a model whose old and new values the history page shows as [c] to this person.

    `fields(instance=..., user=...)` returns the field names to hide (empty to show everything).
    """

    model_label: str
    fields: Callable[..., set[str]]


@dataclass(frozen=True)
class PanelSpec:
    """What a later app shows about one object on an earlier app's page (the KPIs of an outcome,
    the children placed under a contract).

    `model` is the page's model label ("outcomes.outcome") and `slot` where on the page it goes; the
    page renders, in order, whatever is registered for that slot (`{% panels object "slot" %}`).
    `permission` (when set) is what the viewer must hold to see it. `context(obj, page=...)` adds to
    the template's context (the page's own context is there too); `prefetch()` returns lookups the
    page's queryset adds so the template needs no query per object.
    """

    key: str
    model: str
    slot: str
    template: str
    permission: str = ""
    context: Callable[..., dict] | None = None
    prefetch: Callable[[], list] | None = None
    order: int = 100


@dataclass(frozen=True)
class DemoLoaderSpec:
    key: str
    load: Callable[..., Any]
    order: int


@dataclass(frozen=True)
class NamedPersonSpec:
    """A record naming a person by text when no account matched (`name_field`), with the account
    field (`user_field`) that `core.services.people_link_by_name` fills once an account matches."""

    key: str
    model: Any
    user_field: str
    name_field: str
    label: str


class Registry:
    def __init__(self):
        self.dashboard_items: dict[str, DashboardItemSpec] = {}
        self.home_panels: dict[str, HomePanelSpec] = {}
        self.report_sections: dict[str, ReportSectionSpec] = {}
        self.data_notes: dict[str, DataNoteSpec] = {}
        self.report_drafts: dict[str, ReportDraftSpec] = {}
        self.app_access: dict[str, AppAccess] = {}
        self.demo_loaders: dict[str, DemoLoaderSpec] = {}
        self.named_people: dict[str, NamedPersonSpec] = {}
        self.history_redactions: dict[str, HistoryRedactionSpec] = {}
        self.panels: dict[str, PanelSpec] = {}

    @staticmethod
    def _add(store: dict, key: str, value) -> None:
        if key in store and store[key] != value:
            raise ValueError(f"{key!r} is already registered")
        store[key] = value

    def dashboard_item(self, spec: DashboardItemSpec) -> None:
        self._add(self.dashboard_items, spec.key, spec)

    def home_panel(self, spec: HomePanelSpec) -> None:
        self._add(self.home_panels, spec.key, spec)

    def report_section(self, spec: ReportSectionSpec) -> None:
        self._add(self.report_sections, spec.key, spec)

    def report_draft(self, spec: ReportDraftSpec) -> None:
        self._add(self.report_drafts, spec.key, spec)

    def data_note(self, spec: DataNoteSpec) -> None:
        self._add(self.data_notes, spec.key, spec)

    def access(self, spec: AppAccess) -> None:
        self._add(self.app_access, spec.app_label, spec)

    def history_redaction(self, spec: HistoryRedactionSpec) -> None:
        self._add(self.history_redactions, spec.model_label, spec)

    def demo_loader(self, spec: DemoLoaderSpec) -> None:
        self._add(self.demo_loaders, spec.key, spec)

    def named_person(self, spec: NamedPersonSpec) -> None:
        self._add(self.named_people, spec.key, spec)

    def panel(self, spec: PanelSpec) -> None:
        self._add(self.panels, spec.key, spec)

    def panels_for(self, model: str, slot: str) -> list[PanelSpec]:
        return [spec for spec in self.ordered(self.panels) if spec.model == model and spec.slot == slot]

    def panel_prefetches(self, model: str, *slots: str) -> list:
        """The prefetch lookups the panels in these slots need, for the page's queryset."""
        return [lookup for slot in slots for spec in self.panels_for(model, slot) if spec.prefetch
                for lookup in spec.prefetch()]

    def ordered(self, store: dict) -> list:
        return sorted(store.values(), key=lambda spec: (spec.order, spec.key))


registry = Registry()

