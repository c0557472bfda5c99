"""The shape of the code: dependencies point one way, no import cycles, no importlib.

Every application module (not tests, not migrations) is parsed with `ast`; nothing is imported.
The order is core <- outcomes <- kpis <- contracts <- placements <- finance <- market <- plans <- programme <-
sufficiency <- reports: an app may import from apps before it, never after it, nor name a later app's permission,
template or URL in a string or a template (core, shared by all, names none). `commissioning` is the project package
(settings, urls, celery) and may import anything; nothing may import it except for its settings.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    "core", "outcomes", "kpis", "contracts", "placements", "finance", "market", "plans", "programme", "sufficiency",
    "reports",
]
RANK = {app: rank for rank, app in enumerate(LAYERS)}


def _application_modules() -> dict[str, Path]:
    """Dotted module name -> file, for every application module of the layered apps."""
    modules = {}
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "tests" in parts or "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


MODULES = _application_modules()


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if _is_package(module) else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, *, module_level_only: bool) -> list[tuple[str, int]]:
    """(imported project module, line) for each import in the module.

    `from package import name` counts as importing `package.name` when that is a module, else
    `package`. Imports under `if TYPE_CHECKING:` are not run, so they are left out.
    """
    tree = ast.parse(MODULES[module].read_text(), filename=str(MODULES[module]))
    found = []

    def visit(node, *, top: bool):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child, top=top)
            return
        if isinstance(node, ast.Import):
            if top or not module_level_only:
                for alias in node.names:
                    found.append((_known(alias.name), node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if top or not module_level_only:
                base = _resolve(module, node)
                for alias in node.names:
                    candidate = f"{base}.{alias.name}"
                    found.append((candidate if candidate in MODULES else _known(base), node.lineno))
        is_scope = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            visit(child, top=top and not is_scope)

    visit(tree, top=True)
    return [(name, line) for name, line in found if name]


def _known(name: str) -> str:
    """The longest prefix of `name` that is a project module, or "" for third-party code."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in MODULES:
            return candidate
        parts.pop()
    return ""


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def test_the_scan_sees_every_app():
    for app in LAYERS:
        assert app in MODULES, app
    assert "kpis.selectors" in MODULES
    assert _imports("core.views", module_level_only=False) is not None


def test_no_app_imports_a_later_app():
    wrong = []
    for module in MODULES:
        app = module.split(".")[0]
        for imported, line in _imports(module, module_level_only=False):
            if RANK[imported.split(".")[0]] > RANK[app]:
                wrong.append(f"{MODULES[module].relative_to(ROOT)}:{line} imports {imported}")
    assert wrong == []


def test_no_module_level_import_cycle():
    graph = {module: {name for name, _ in _imports(module, module_level_only=True)} - {module} for module in MODULES}
    cycles = _cycles(graph)
    assert cycles == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    counter = 0

    def connect(node):
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(components)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_importlib_in_application_code():
    wrong = []
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(name.split(".")[0] == "importlib" for name in names) or (
                isinstance(node, ast.Name) and node.id == "__import__"
            ):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert wrong == []


# Strings name apps too: a permission ("placements.view_placement"), a template ("placements/panels/x.html") or a
# URL name ("placements:index") in an earlier app is a dependency on a later one that no import shows.
PERMISSION = re.compile(r"^([a-z_]+)\.((?:view|add|change|delete|approve)_\w+|view_sufficiency)$")
TEMPLATE = re.compile(r"^([a-z_]+)/[\w./-]*\.(?:html|txt|xml|svg|css)$")
TEMPLATE_START = re.compile(r"^([a-z_]+)/")
URL_NAME = re.compile(r"^([a-z_]+):[\w-]+$")
# In templates: `perms.app.codename`, `{% include/extends "app/..." %}`, `{% url "app:name" %}`.
TEMPLATE_REFERENCES = re.compile(
    r"""perms\.([a-z_]+)\.\w+|\{%\s*(?:include|extends)\s+["']([a-z_]+)/|\{%\s*url\s+["']([a-z_]+):"""
)


def _named_apps(text: str) -> list[str]:
    """The apps a Python string names as a permission, a template path or a URL name."""
    return [match.group(1) for pattern in (PERMISSION, TEMPLATE, URL_NAME) if (match := pattern.match(text))]


def _strings(tree: ast.AST) -> list[tuple[str, int]]:
    """(text, line) of each string constant, and of each f-string's leading text when it is a template path
    (f"placements/panels/{model}.html")."""
    found, inside_fstrings = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            inside_fstrings.update(id(value) for value in node.values)
            parts = [value.value for value in node.values if isinstance(value, ast.Constant)]
            head = node.values[0] if node.values else None
            if isinstance(head, ast.Constant) and parts and parts[-1].endswith(".html"):
                if match := TEMPLATE_START.match(head.value):
                    found.append((f"{match.group(1)}/_.html", node.lineno))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inside_fstrings:
            found.append((node.value, node.lineno))
    return found


def _template_files() -> dict[str, list[Path]]:
    """Each app's templates; the project's `templates/` (base.html, error pages, shared partials) count as core's."""
    files = {app: sorted((ROOT / app / "templates").rglob("*.html")) for app in LAYERS}
    files["core"] += sorted((ROOT / "templates").rglob("*.html"))
    return files


def test_no_app_names_a_later_app_in_a_string():
    wrong = []
    for module, path in MODULES.items():
        app = module.split(".")[0]
        for text, line in _strings(ast.parse(path.read_text())):
            for named in _named_apps(text):
                if named in RANK and RANK[named] > RANK[app]:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} names {text!r}")
    assert wrong == []


def test_no_template_names_a_later_app():
    wrong = []
    for app, paths in _template_files().items():
        for path in paths:
            text = path.read_text()
            for match in TEMPLATE_REFERENCES.finditer(text):
                named = next(group for group in match.groups() if group)
                if named in RANK and RANK[named] > RANK[app]:
                    line = text.count("\n", 0, match.start()) + 1
                    wrong.append(f"{path.relative_to(ROOT)}:{line} names {match.group(0)!r}")
    assert wrong == []


def test_core_names_no_app():
    """core is what every app shares: it names none of them, in code, strings or templates."""
    apps = set(LAYERS) - {"core"}
    named = {named for module, path in MODULES.items() if module.split(".")[0] == "core"
             for text, _line in _strings(ast.parse(path.read_text())) for named in _named_apps(text)}
    assert named & apps == set()


def test_the_string_scan_sees_what_it_looks_for():
    assert _named_apps("placements.view_placement") == ["placements"]
    assert _named_apps("reports.view_reportrun") == ["reports"]
    assert _named_apps("placements/pdf/section.html") == ["placements"]
    assert _named_apps("market:index") == ["market"]
    assert _named_apps("Placements officer") == [] and _named_apps("placements.stability_3plus") == []
    tree = ast.parse('x = f"placements/panels/{model}_placements_now.html"\ny = "kpis/pdf/section.html"')
    assert [_named_apps(text) for text, _line in _strings(tree)] == [["placements"], ["kpis"]]
    found = [m.groups() for m in TEMPLATE_REFERENCES.finditer(
        '{% if perms.finance.view_budgetline %}{% include "market/x.html" %}{% url "plans:detail" 1 %}'
    )]
    assert found == [("finance", None, None), (None, "market", None), (None, None, "plans")]


def test_each_apps_ready_only_imports_its_registrations():
    """What an app adds to the shared pages is in one place, its registrations.py, not spread through ready()."""
    wrong = []
    for app in LAYERS:
        tree = ast.parse((ROOT / app / "apps.py").read_text())
        for ready in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "ready"):
            body = [s for s in ready.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            if not body or not all(
                isinstance(s, ast.ImportFrom) and s.level == 1 and [a.name for a in s.names] == ["registrations"]
                for s in body
            ):
                wrong.append(f"{app}/apps.py:{ready.lineno}")
    assert wrong == []
