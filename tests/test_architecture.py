"""The package's shape (see docs/architecture.md): no import cycle among kg's modules,
no module over 600 lines, no function over 100, nothing below the command line imports
it, and every module and file of the package named in docs/architecture.md."""

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
    return imports_in(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")


def imports_in(source: str, name: str, is_package: bool = False) -> set[str]:
    """Every kg module the code ``source`` of module ``name`` imports."""
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
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


# An import that names a package (``import kg``, ``from kg.sources import cache``) runs
# that package's __init__ and depends on it: an edge, even from one of its own modules.
# ``from kg.sources.cache import x`` names only the module, so it is an edge to it alone.
GRAPH = {name: imports_of(name) for name in MODULES}


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


def test_an_import_that_names_a_parent_package_is_an_edge():
    """``from kg.sources import x`` in a module of kg.sources closes a loop through
    kg/sources/__init__.py whenever that __init__ imports the module: counted."""
    assert imports_in("from kg.sources import identity", "kg.sources.inputs") == {
        "kg.sources",
        "kg.sources.identity",
    }
    assert imports_in("from kg import __version__", "kg.cli") == {"kg"}
    assert imports_in("from kg.sources.identity import check_identities", "kg.sources") == {
        "kg.sources.identity"
    }
    assert find_cycle({"kg.sources": {"kg.sources.inputs"}, "kg.sources.inputs": {"kg.sources"}})


def test_no_module_imports_a_package_it_belongs_to():
    found = {
        name: sorted(target for target in GRAPH[name] if name.startswith(target + "."))
        for name in MODULES
    }
    assert {name: parents for name, parents in found.items() if parents} == {}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_600_lines(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it"


MAX_FUNCTION_LINES = 100
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def own_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The lines of ``function``, from ``def`` to its last line, less those of the functions
    and classes defined inside it (each of them is counted on its own)."""
    lines = function.end_lineno - function.lineno + 1
    pending = list(ast.iter_child_nodes(function))
    while pending:
        node = pending.pop()
        if isinstance(node, _DEFINITIONS):
            first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
            lines -= node.end_lineno - first + 1
        else:
            pending.extend(ast.iter_child_nodes(node))
    return lines


def long_functions(name: str) -> list[str]:
    """The functions of module ``name`` over :data:`MAX_FUNCTION_LINES` lines of their own."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    return [
        f"{node.name} (line {node.lineno}): {own_lines(node)} lines"
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and own_lines(node) > MAX_FUNCTION_LINES
    ]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_function_is_over_100_lines(name):
    assert long_functions(name) == [], f"{name}: split these"


def test_a_function_is_measured_without_the_functions_inside_it():
    source = "def outer():\n    x = 1\n\n    def inner():\n        return 2\n\n    return inner\n"
    [outer] = ast.parse(source).body
    assert own_lines(outer) == 5  # "def inner" and its body are inner's own lines


ARCHITECTURE = ROOT / "docs" / "architecture.md"
PACKAGE_FILES = sorted(
    path.relative_to(ROOT).as_posix()
    for path in PACKAGE.rglob("*")
    if path.is_file() and "__pycache__" not in path.parts
)


@pytest.mark.parametrize("path", PACKAGE_FILES)
def test_every_module_and_file_of_the_package_is_named_in_docs_architecture(path):
    assert f"`{path}`" in ARCHITECTURE.read_text(encoding="utf-8"), (
        f"docs/architecture.md does not name {path}: add its line to the table"
    )


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
