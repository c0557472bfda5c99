"""What each app adds to the pages every app shares: the one way to extend the project.

Each app fills these stores in its `registrations.py`, which its `AppConfig.ready()` imports (so it runs
once per process); the shared pages (the main navigation, the home page, committee reports, role
permissions, the KPI fill, the 903 import, the demo loader) read them and never import another app.
Registering the same key twice with a different value is a programming error and fails loudly.
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
    reports); viewers never hold them. `child_level_perm` (a codename) is what child-level access
    means for a child-level app: whoever holds it sees counts of 1 to 5 children as they are.
    `individual_perms` are codenames no role holds, not even administrators: an administrator gives them to a
    person in the admin (the user's own permissions), as a council names one head of commissioning its gateway
    approver rather than every commissioner.
    """

    app_label: str
    kind: str = "commissioning"
    aggregate_perms: frozenset[str] = frozenset()
    committee_perms: frozenset[str] = frozenset()
    child_level_perm: str = ""
    individual_perms: frozenset[str] = frozenset()


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


@dataclass(frozen=True)
class MeasureSpec:
    """A figure an app computes for a KPI (an Indicator whose `measure_key` is `key`): the nightly fill
    calls `compute(period_start, period_end)` for each period; it returns a kpis.measures.MeasureValue,
    or None when there is nothing to report."""

    key: str
    label: str
    unit: str
    compute: Callable[..., Any]


@dataclass(frozen=True)
class ProviderUrnLookupSpec:
    """Another way for the 903 import to find the provider of an Ofsted URN than the provider's own URN:
    `lookup(urns: set[str]) -> {URN: provider id}`, in one query."""

    key: str
    lookup: Callable[[set[str]], dict[str, int]]
    order: int = 100


@dataclass(frozen=True)
class NavItemSpec:
    """A link in the main navigation, shown in `order` to whoever holds any one of `permissions` (empty:
    everyone signed in). `section` is the page's `nav_section` (by default its URL namespace) that marks
    the link as the current page."""

    key: str
    label: str
    url_name: str
    section: str
    permissions: tuple[str, ...] = ()
    order: int = 100


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
        self.measures: dict[str, MeasureSpec] = {}
        self.provider_urn_lookups: dict[str, ProviderUrnLookupSpec] = {}
        self.navigation: dict[str, NavItemSpec] = {}

    def stores(self) -> dict[str, dict]:
        """Every store by name (what an app can extend)."""
        return {name: value for name, value in vars(self).items() if isinstance(value, dict)}

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

    def measure(self, spec: MeasureSpec) -> None:
        if not spec.key:
            raise ValueError("A measure needs a key")
        self._add(self.measures, spec.key, spec)

    def provider_urn_lookup(self, spec: ProviderUrnLookupSpec) -> None:
        self._add(self.provider_urn_lookups, spec.key, spec)

    def nav_item(self, spec: NavItemSpec) -> None:
        self._add(self.navigation, spec.key, spec)

    def nav_items_for(self, user) -> list[NavItemSpec]:
        """The main navigation this person sees, in order."""
        return [spec for spec in self.ordered(self.navigation)
                if not spec.permissions or any(user.has_perm(p) for p in spec.permissions)]

    def child_level_permissions(self) -> list[str]:
        """The permissions that mean child-level access ("app.codename"), from the apps that hold child data."""
        return sorted(f"{a.app_label}.{a.child_level_perm}" for a in self.app_access.values() if a.child_level_perm)

    def individual_permissions(self) -> list[tuple[str, str]]:
        """The permissions no role holds, given to a person in the admin: (app label, codename) pairs."""
        return sorted((a.app_label, codename) for a in self.app_access.values() for codename in a.individual_perms)

    def panels_for(self, model: str, slot: str) -> list[PanelSpec]:
        return [spec for spec in self.ordered(self.panels) if spec.model == model and spec.slot == slot]

    def panel_prefetches(self, model: str, *slots: str) -> list:
        """The prefetch lookups the panels in these slots need, for the page's queryset."""
        return [lookup for slot in slots for spec in self.panels_for(model, slot) if spec.prefetch
                for lookup in spec.prefetch()]

    def ordered(self, store: dict) -> list:
        return sorted(store.values(), key=lambda spec: (spec.order, spec.key))


registry = Registry()

