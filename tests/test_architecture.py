"""The house rules, held by path: which part of fichex may import what (see docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import fichex

PACKAGE = Path(fichex.__file__).resolve().parent
FILE_FORMAT_LIBRARIES = ("xlsxwriter", "pptx", "openpyxl")


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
        if module == "fichex.aggregation.model" and imports_any(imported, ("fichex",)):
            found.append(f"{module} (the Fiche, a leaf) imports fichex: {imports_any(imported, ('fichex',))}")
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
    assert {"fichex.cli", "fichex.console", "fichex.render.xlsx", "fichex.aggregation.model"} <= set(graph)
    assert violations(graph) == []


@pytest.mark.parametrize("module, source, broken", [
    ("fichex.render.xlsx", "def f():\n    from fichex.data import trade\n", "imports the data layer"),
    ("fichex.render.xlsx", "from ..data.reference import departement\n", "imports the data layer"),
    ("fichex.aggregation.aggregate", "import openpyxl\n", "file-format library"),
    ("fichex.aggregation.model", "from fichex import texts\n", "a leaf"),
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
                                                    "fichex.render.pptx")}
    assert violations(graph) == []
