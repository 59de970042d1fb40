"""No import circles in server/ and sync/, between modules or between the
server's areas (review, vouchers, signoff, …), and sync/ stays free of Flask
and of the server. Every import statement counts, also one inside a function:
a deferred import is still a dependency."""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    module_name(path): path
    for package in ("server", "sync")
    for path in (ROOT / package).rglob("*.py")
    if "migrations" not in path.parts
}


def imports(module: str) -> list[tuple[str, list[str]]]:
    """(imported module, names taken from it) for every import statement."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.append((base, [alias.name for alias in node.names]))
    return found


def dependencies(module: str) -> set[str]:
    """The project's modules `module` imports: `from a import b` depends on a.b
    when that is a module, else on a (where b is defined)."""
    out = set()
    for base, names in imports(module):
        for name in names or [None]:
            if name and f"{base}.{name}" in MODULES:
                out.add(f"{base}.{name}")
            elif base in MODULES:
                out.add(base)
    return out - {module}


GRAPH = {module: dependencies(module) for module in MODULES}


def area(module: str) -> str:
    """server.review.periods -> server.review; sync.hlc -> sync."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "server" else parts[0]


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        return error.args[1]
    return None


def test_the_graph_sees_the_imports():
    assert "server.pages" in GRAPH["server.vouchers.views"]
    assert "server.due" in GRAPH["server.review.queries"]
    assert "sync.protocol" in GRAPH["server.app_rules"]


def test_no_circle_between_modules():
    assert find_cycle(GRAPH) is None


def test_no_circle_between_the_servers_areas():
    areas: dict[str, set[str]] = {}
    for module, deps in GRAPH.items():
        outside = {area(d) for d in deps} - {area(module)}
        areas.setdefault(area(module), set()).update(outside)
    assert find_cycle(areas) is None


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.split(".")[0] == "sync"))
def test_sync_imports_neither_the_server_nor_flask(module):
    roots = {base.split(".")[0] for base, _ in imports(module)}
    assert not roots & {"server", "flask", "flask_sqlalchemy", "flask_wtf", "werkzeug"}, roots


def test_the_check_finds_a_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) is not None
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_tests_take_helpers_only_from_tests_support():
    """A test module imports no other test module, conftest or plugin: what
    tests share is in tests/support/ (or a fixture)."""
    wrong = []
    for path in (ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            wrong += [
                f"{path.relative_to(ROOT)}: {name}"
                for name in names
                if name.startswith("tests.") and not name.startswith("tests.support")
            ]
    assert wrong == []
