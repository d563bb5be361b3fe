"""The house rules, held by path: which part of fichex may import what (see docs/architecture.md)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import fichex

PACKAGE = Path(fichex.__file__).resolve().parent
FILE_FORMAT_LIBRARIES = ("xlsxwriter", "pptx", "openpyxl")
MODEL_MAY_IMPORT = {"fichex", "fichex.provenance", "fichex.provenance.DataSource"}  # a leaf of its own
WORDING_MAY_NOT_IMPORT = ("fichex.aggregation", "fichex.render")  # but the Fiche's types, from aggregation.model


def imported_modules(source: str, module: str) -> set[str]:
    """Every module a source file imports, at any depth (inside functions and TYPE_CHECKING blocks too),
    with `from fichex import data` read as « fichex.data » and relative imports resolved from `module`."""
    found: set[str] = set()
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def modules() -> dict[str, set[str]]:
    """Module name (« fichex.render.xlsx ») → what it imports, for every module of the package."""
    result = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        result[name] = imported_modules(path.read_text(encoding="utf-8"), name + (".__init__" if parts[-1] == "__init__" else ""))
    return result


def imports_any(imported: set[str], roots: tuple[str, ...]) -> list[str]:
    return sorted(m for m in imported if any(m == root or m.startswith(root + ".") for root in roots))


def violations(graph: dict[str, set[str]]) -> list[str]:
    """Every broken rule, one line each."""
    found = []
    for module, imported in graph.items():
        if module.startswith("fichex.render") and imports_any(imported, ("fichex.data",)):
            found.append(f"{module} imports the data layer: {imports_any(imported, ('fichex.data',))}")
        if module.startswith("fichex.aggregation") and imports_any(imported, FILE_FORMAT_LIBRARIES):
            found.append(f"{module} imports a file-format library: {imports_any(imported, FILE_FORMAT_LIBRARIES)}")
        if module == "fichex.aggregation.model" and [m for m in imports_any(imported, ("fichex",))
                                                     if m not in MODEL_MAY_IMPORT]:
            found.append(f"{module} (the Fiche, a leaf) imports fichex: {imports_any(imported, ('fichex',))}")
        if module.startswith("fichex.wording") and [m for m in imports_any(imported, WORDING_MAY_NOT_IMPORT)
                                                    if not m.startswith("fichex.aggregation.model")]:
            found.append(f"{module} (words only) imports aggregation logic or a renderer: "
                         f"{imports_any(imported, WORDING_MAY_NOT_IMPORT)}")
        if module != "fichex.cli" and imports_any(imported, ("typer", "click")):
            found.append(f"{module} imports typer or click (only fichex.cli may)")
        if module != "fichex.console" and imports_any(imported, ("rich",)):
            found.append(f"{module} imports rich (only fichex.console may)")
        if module.startswith(("fichex.data", "fichex.aggregation", "fichex.render")) and imports_any(
                imported, ("fichex.batch", "fichex.cli", "fichex.console", "fichex.api")):
            found.append(f"{module} imports a layer above it: "
                         f"{imports_any(imported, ('fichex.batch', 'fichex.cli', 'fichex.console', 'fichex.api'))}")
    return found


def test_the_package_keeps_the_house_rules():
    graph = modules()
    assert {"fichex.cli", "fichex.console", "fichex.render.xlsx", "fichex.aggregation.model",
            "fichex.wording.numbers", "fichex.wording.commentary"} <= set(graph)
    assert violations(graph) == []


@pytest.mark.parametrize("module, source, broken", [
    ("fichex.render.xlsx", "def f():\n    from fichex.data import trade\n", "imports the data layer"),
    ("fichex.render.xlsx", "from ..data.reference import departement\n", "imports the data layer"),
    ("fichex.aggregation.aggregate", "import openpyxl\n", "file-format library"),
    ("fichex.aggregation.model", "from fichex.wording import deck\n", "a leaf"),
    ("fichex.wording.deck", "from fichex.aggregation.aggregate import FicheBuilder\n", "aggregation logic or a renderer"),
    ("fichex.wording.numbers", "def f():\n    from fichex.render.pptx import slides\n", "aggregation logic or a renderer"),
    ("fichex.wording.commentary", "from ..aggregation import exposure\n", "aggregation logic or a renderer"),
    ("fichex.batch.build", "import typer\n", "only fichex.cli"),
    ("fichex.api", "from rich.table import Table\n", "only fichex.console"),
    ("fichex.data.trade", "from fichex.batch import build\n", "a layer above"),
])
def test_each_rule_catches_a_breach(module, source, broken):
    graph = {module: imported_modules(source, module)}
    found = violations(graph)
    assert len(found) == 1 and broken in found[0]


def test_allowed_imports_pass():
    graph = {"fichex.cli": imported_modules("import typer\n", "fichex.cli"),
             "fichex.console": imported_modules("from rich.table import Table\n", "fichex.console"),
             "fichex.render.pptx": imported_modules("from fichex.aggregation.model import Fiche\n",
                                                    "fichex.render.pptx"),
             "fichex.wording.commentary": imported_modules("from fichex.aggregation.model import EMEBI_BREAK_YEAR\n"
                                                           "from fichex.territories import DROM_CODES\n"
                                                           "from .grammar import period\n",
                                                           "fichex.wording.commentary")}
    assert violations(graph) == []


# --- Names and cycles: no private toolkit, no import cycle, the package root left to the front door -------------

LIBRARY_PRIVATE_OK = {"_asdict", "_replace", "_fields", "_make",  # namedtuple's public API, underscored
                      "_exit"}  # os._exit, documented: a forked worker leaves without running the parent's handlers


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def module_files() -> dict[str, str]:
    """Module name → source, for every module of the package."""
    sources = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        sources[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path.read_text(encoding="utf-8")
    return sources


def is_package(module: str, sources: dict[str, str]) -> bool:
    return any(other.startswith(module + ".") for other in sources)


def import_edges(module: str, source: str, sources: dict[str, str]) -> set[str]:
    """The fichex modules `module` imports, at any depth, each import resolved to the module it loads
    (`from fichex import wording` is an edge to fichex.wording, not to the package root)."""
    edges: set[str] = set()
    package = module if is_package(module, sources) else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in sources else base for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in sources:
                name = name.rpartition(".")[0]
            if name.startswith("fichex") and name != module:
                edges.add(name)
    return edges


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def defined_names(sources: dict[str, str]) -> dict[str, set[str]]:
    """Every private name fichex defines (functions, classes, attributes, assignments) → the modules defining it."""
    defined: dict[str, set[str]] = {}
    for module, source in sources.items():
        for node in ast.walk(ast.parse(source)):
            names = []
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names = [node.name]
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names = [node.id]
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names = [node.attr]
            elif isinstance(node, ast.arg):
                names = [node.arg]
            for name in names:
                if is_private(name):
                    defined.setdefault(name, set()).add(module)
    return defined


def library_classes(tree: ast.AST) -> set[str]:
    """Names a module imports from a file-format library (to spot a subclass overriding its internals)."""
    return {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and (node.module or "").split(".")[0] in FILE_FORMAT_LIBRARIES for alias in node.names}


def private_use(module: str, source: str, sources: dict[str, str], defined: dict[str, set[str]]) -> list[str]:
    """Where `module` uses a private name that is not its own: imported from another fichex module, read as an
    attribute defined only in another module, or a library's (an attribute fichex never defines, a method
    overriding a library class's private one). Modules named *_internals are where such uses live."""
    if module.endswith("_internals"):
        return []
    found = []
    tree = ast.parse(source)
    from_library = library_classes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("fichex") or (
                isinstance(node, ast.ImportFrom) and node.level):
            found += [f"{module} imports the private name {alias.name}" for alias in node.names if is_private(alias.name)]
        elif isinstance(node, ast.Attribute) and is_private(node.attr) and node.attr not in LIBRARY_PRIVATE_OK:
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                continue
            owners = defined.get(node.attr, set())
            if not owners:
                found.append(f"{module} reads a library's private attribute {node.attr}")
            elif module not in owners:
                found.append(f"{module} reads {node.attr}, private to {', '.join(sorted(owners))}")
        elif isinstance(node, ast.ClassDef) and any(isinstance(base, ast.Name) and base.id in from_library
                                                     for base in node.bases):
            found += [f"{module} overrides the library's private method {item.name}" for item in node.body
                      if isinstance(item, ast.FunctionDef) and is_private(item.name)]
    return found


def name_violations(sources: dict[str, str]) -> list[str]:
    """Every cycle, private use across modules, wrong-way arrow of data → aggregation, and import of the package
    root from render/, one line each."""
    defined = defined_names(sources)
    graph = {module: import_edges(module, source, sources) for module, source in sources.items()}
    found = [f"import cycle: {' ↔ '.join(cycle)}" for cycle in import_cycles(graph)]
    for module, source in sources.items():
        found += private_use(module, source, sources, defined)
        if module.startswith("fichex.data") and any(t.startswith("fichex.aggregation") for t in graph[module]):
            found.append(f"{module} imports the aggregation layer (data is below it)")
        if module.startswith("fichex.render") and "fichex" in graph[module]:
            found.append(f"{module} imports the package root (take the version from fichex.version)")
    return sorted(found)


def test_no_cycle_no_private_toolkit_no_wrong_way_arrow():
    assert name_violations(module_files()) == []


LEAVES = {"fichex.provenance": "", "fichex.version": "", "fichex.wording": "", "fichex.data.trade": "",
          "fichex.data": "", "fichex.render": "", "fichex": ""}


@pytest.mark.parametrize("planted, broken", [
    ({"fichex.render.a": "from fichex.render import b\n", "fichex.render.b": "def f():\n    from fichex.render import a\n"},
     "import cycle: fichex.render.a ↔ fichex.render.b"),
    ({"fichex.render.a": "from fichex.render.b import _helper\n", "fichex.render.b": "def _helper(): pass\n"},
     "fichex.render.a imports the private name _helper"),
    ({"fichex.render.a": "from fichex.render import b\nb._helper()\n", "fichex.render.b": "def _helper(): pass\n"},
     "fichex.render.a reads _helper, private to fichex.render.b"),
    ({"fichex.render.a": "def f(slide):\n    return slide.shapes._spTree\n"},
     "fichex.render.a reads a library's private attribute _spTree"),
    ({"fichex.render.a": "from xlsxwriter.worksheet import Worksheet\nclass W(Worksheet):\n    def _write_string(self): pass\n"},
     "fichex.render.a overrides the library's private method _write_string"),
    ({"fichex.data.a": "from fichex.aggregation.model import Fiche\n"}, "fichex.data.a imports the aggregation layer"),
    ({"fichex.render.a": "from fichex import __version__\n"}, "fichex.render.a imports the package root"),
])
def test_each_name_rule_catches_a_breach(planted, broken):
    found = name_violations({**{m: "" for m in LEAVES}, "fichex.aggregation.model": "", **planted})
    assert len(found) == 1 and found[0].startswith(broken), found


def test_internals_may_touch_private_names():
    sources = {**{m: "" for m in LEAVES}, "fichex.render.pptx_internals": "def f(slide):\n    return slide.shapes._spTree\n"}
    assert name_violations(sources) == []


# --- The map is true: every module is named in docs/architecture.md --------------------------------------------

ARCHITECTURE_DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"  # the repository's, beside tests/


def unnamed_modules(doc: str, package: Path) -> list[str]:
    """The modules of `package` whose path (relative to it, as « render/pptx/slides.py ») the page does not name;
    a package's `__init__.py` holding only its docstring is a folder's label, not a module with a job."""
    def has_code(path: Path) -> bool:
        body = ast.parse(path.read_text(encoding="utf-8")).body
        return path.name != "__init__.py" or len(body) > 1 or (body and not isinstance(body[0], ast.Expr))

    paths = sorted(path.relative_to(package).as_posix() for path in package.rglob("*.py") if has_code(path))
    return [path for path in paths if f"`{path}`" not in doc]


@pytest.mark.skipif(not ARCHITECTURE_DOC.exists(), reason="installed without the repository's docs")
def test_every_module_is_named_in_the_architecture_page():
    assert unnamed_modules(ARCHITECTURE_DOC.read_text(encoding="utf-8"), PACKAGE) == []


def test_a_module_missing_from_the_page_is_reported(tmp_path):
    (tmp_path / "render").mkdir()
    (tmp_path / "render" / "named.py").write_text("", encoding="utf-8")
    (tmp_path / "render" / "forgotten.py").write_text("", encoding="utf-8")
    (tmp_path / "render" / "__init__.py").write_text('"""Renderers."""\n', encoding="utf-8")  # a label
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "__init__.py").write_text('"""Data."""\nfrom x import y\n', encoding="utf-8")
    assert unnamed_modules("| `render/named.py` | its job |", tmp_path) == ["data/__init__.py", "render/forgotten.py"]


# --- One number style: the renderers call wording.numbers, never format a number themselves -------------------

# A format spec a renderer may write: a colour's or a code point's hexadecimal digits (« 1F4E79 », « U+00A0 »).
HEX_SPEC = re.compile(r"^0?\d*[xX]$")
NUMBERS_EXEMPT = {"render/xlsx_internals.py"}  # writes the sheet XML's machine numbers (« 1.5E+06 »), not text


def number_formatting(source: str) -> list[str]:
    """Where a source formats a number itself: an f-string format spec (« {x:.1f} »), printf-style « % »
    formatting, the builtin format()."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = "".join(v.value for v in node.format_spec.values if isinstance(v, ast.Constant))
            if not HEX_SPEC.match(spec):
                found.append(f"line {node.lineno}: f-string spec « {spec} »")
        elif (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant)
              and isinstance(node.left.value, str)):
            found.append(f"line {node.lineno}: « % » formatting")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "format":
            found.append(f"line {node.lineno}: format()")
    return found


def test_no_renderer_formats_a_number_itself():
    found = [f"{path.relative_to(PACKAGE)} {where}" for path in sorted((PACKAGE / "render").rglob("*.py"))
             if str(path.relative_to(PACKAGE)) not in NUMBERS_EXEMPT
             for where in number_formatting(path.read_text(encoding="utf-8"))]
    assert found == []


@pytest.mark.parametrize("planted", ['label = f"{value / 1e6:.1f} M€"\n', 'label = "%.1f M€" % value\n',
                                     'label = format(value, ",.0f")\n', 'label = f"{value:>10,}"\n'])
def test_a_renderer_formatting_a_number_is_caught(planted):
    assert len(number_formatting(planted)) == 1
    assert number_formatting('colour = f"{red:02X}{green:02X}"\ntext = f"{name} : {meur(value)}"\n') == []
