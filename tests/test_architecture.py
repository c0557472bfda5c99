"""The shape of the code: dependencies point one way, no import cycles, no importlib.

Every application module (not tests, not migrations) is parsed with `ast`; nothing is imported.
The order is core <- outcomes <- kpis <- contracts <- placements <- finance <- market <- plans <- sufficiency <-
reports: an app may import from apps before it, never after it. `commissioning` is the project package (settings, urls,
celery) and may import anything; nothing may import it except for its settings.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "outcomes", "kpis", "contracts", "placements", "finance", "market", "plans", "sufficiency", "reports"]
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
