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
    person's own (only when `mine_query` is set, i.e. the list can be filtered to one person).
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


@dataclass(frozen=True)
class HomePanelSpec:
    """A short list on the home page (your actions, your reports): a template and its context."""

    key: str
    permission: str
    template: str
    context: Callable[..., dict]
    order: int = 100


@dataclass(frozen=True)
class ReportSectionSpec:
    """A section of a committee report.

    `context(period_start=..., period_end=..., as_of=...)` returns the template's context; it may set
    `title`, `appendix_template` (and `appendix_title`) and `uses_suppression`.
    """

    key: str
    heading: str
    template: str
    context: Callable[..., dict]
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
class DemoLoaderSpec:
    key: str
    load: Callable[..., Any]
    order: int


class Registry:
    def __init__(self):
        self.dashboard_items: dict[str, DashboardItemSpec] = {}
        self.home_panels: dict[str, HomePanelSpec] = {}
        self.report_sections: dict[str, ReportSectionSpec] = {}
        self.app_access: dict[str, AppAccess] = {}
        self.demo_loaders: dict[str, DemoLoaderSpec] = {}
        self.history_redactions: dict[str, HistoryRedactionSpec] = {}

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

    def access(self, spec: AppAccess) -> None:
        self._add(self.app_access, spec.app_label, spec)

    def history_redaction(self, spec: HistoryRedactionSpec) -> None:
        self._add(self.history_redactions, spec.model_label, spec)

    def demo_loader(self, spec: DemoLoaderSpec) -> None:
        self._add(self.demo_loaders, spec.key, spec)

    def ordered(self, store: dict) -> list:
        return sorted(store.values(), key=lambda spec: (spec.order, spec.key))


registry = Registry()

