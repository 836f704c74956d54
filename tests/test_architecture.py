"""The package's shape: no import cycle among kg's modules, no module over 600 lines,
and nothing below the command line imports it (see docs/architecture.md)."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "kg"
MAX_LINES = 600


def module_name(path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """Every kg module ``name`` imports, at the top or inside a function."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # "from kg.sources import cache" imports the module kg.sources.cache.
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _is_package_of(parent: str, child: str) -> bool:
    return MODULES[parent].name == "__init__.py" and child.startswith(parent + ".")


GRAPH = {
    name: {
        target
        for target in imports_of(name)
        # Importing kg.sources.cache runs kg/sources/__init__.py first; that is not a
        # dependency of the package on its module, so a package's own modules are left out.
        if not _is_package_of(target, name)
    }
    for name in MODULES
}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` as a list of modules, or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_no_import_cycle_among_kg_modules():
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_sees_function_level_imports():
    assert find_cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert "kg.sources.speed" in imports_of("kg.sources.bibtex")  # imported inside a function


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_600_lines(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it"


MAP_SCRIPT_FILES = sorted((PACKAGE / "render" / "assets").glob("*.js"))


@pytest.mark.parametrize("path", MAP_SCRIPT_FILES, ids=lambda path: path.name)
def test_no_map_script_is_over_600_lines(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines; split it"


def test_every_map_script_is_inlined_into_the_page():
    from kg.render import MAP_SCRIPTS

    assert sorted(MAP_SCRIPTS) == [path.name for path in MAP_SCRIPT_FILES]


BELOW_THE_COMMAND_LINE = sorted(
    name for name in MODULES if not name.startswith("kg.cli") and name != "kg.__main__"
)


@pytest.mark.parametrize("name", BELOW_THE_COMMAND_LINE)
def test_layers_below_the_command_line_never_import_it(name):
    assert not {target for target in imports_of(name) if target.startswith("kg.cli")}


DRAWING_READERS = sorted(
    name for name in MODULES if name.startswith(("kg.export", "kg.drawing", "kg.cli.export"))
)


@pytest.mark.parametrize("name", DRAWING_READERS)
def test_the_drawing_and_the_exports_never_import_the_map(name):
    """The exports that draw read kg.drawing; the map's page builder is the map's alone."""
    assert not {target for target in imports_of(name) if target.startswith("kg.render")}
