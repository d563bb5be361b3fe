"""Shared fixtures: the demonstration dataset is loaded once per test session; the suite caches year
aggregates in a folder of its own, never in the user's."""

from __future__ import annotations

import functools
import importlib
import json
import os
import shutil
import tempfile

import pytest

from fichex.data import trade
from fichex.aggregation.aggregate import FicheBuilder
from fichex.data.store import CACHE_ENV_VAR


def pytest_configure(config):
    """Before any test (and in every xdist worker): a cache folder of the session's own, so the suite neither
    reads aggregates the user's runs left nor leaves its own behind. Tests that need the default place
    remove the variable with monkeypatch; subprocesses inherit it."""
    if not hasattr(config, "_fichex_cache"):
        config._fichex_cache = tempfile.TemporaryDirectory(prefix="fichex-test-cache-")
        os.environ[CACHE_ENV_VAR] = config._fichex_cache.name


def pytest_unconfigure(config):
    cache = getattr(config, "_fichex_cache", None)
    if cache is not None:
        cache.cleanup()


@pytest.fixture(scope="session")
def demo_trade():
    return trade.load()


@pytest.fixture(scope="session")
def builder(demo_trade):
    return FicheBuilder(demo_trade)


@pytest.fixture(scope="session")
def fiche_23(builder):
    return builder.build("23", 2024)


@pytest.fixture(scope="session")
def fiche_87(builder):
    return builder.build("87", 2024)


def build_small_fiche(cells: dict, code: str = "23", year: int = 2024):
    """A fiche built from a handful of rows: (année, trimestre, flux, département, produit, pays) → euros."""
    import pandas as pd

    frame = pd.DataFrame([{"annee": y, "trimestre": q, "flux": f, "code_departement": d, "code_produit": p,
                           "code_pays": c, "valeur_eur": float(v)} for (y, q, f, d, p, c), v in cells.items()])
    data = trade.TradeData(trade.validate(frame), trade.DataSource(False, "test", ""))
    return FicheBuilder(data).build(code, year)


@pytest.fixture
def small_fiche():
    """build_small_fiche(cells, code, year): a fiche of a few rows, for the edge cases of the demo data."""
    return build_small_fiche


# Creuse and Haute-Vienne over 2021-2023 by quarter: the years span the January 2022 collection break (EMEBI),
# which the demonstration data (2022-2025) does not.
ACROSS_THE_BREAK = {(y, q, f, d, p, c): (1 + q / 10) * v * (1 + (y - 2021) / 5)
                    for y in (2021, 2022, 2023) for q in (1, 2, 3, 4)
                    for f, d, p, c, v in (("E", "23", "A01Z", "DE", 9e6), ("E", "23", "C29B", "US", 4e6),
                                          ("I", "23", "C21Z", "CN", 5e6), ("E", "87", "A01Z", "IT", 7e6),
                                          ("I", "87", "C29B", "DE", 3e6))}


@pytest.fixture(scope="session")
def fiche_across_the_break():
    return build_small_fiche(ACROSS_THE_BREAK, "23", 2023)


def pytest_collection_modifyitems(config, items):
    if shutil.which("soffice"):
        return
    skip = pytest.mark.skip(reason="LibreOffice (soffice) n'est pas installé")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)


def read_only_cells(path, sheet: str | None = None) -> list:
    """Every string cell of one sheet (the first by default) of a workbook read in openpyxl's read-only mode,
    the file closed before returning: a read-only workbook holds its file open until closed, and one left to
    the garbage collector raises its ResourceWarning in whichever test runs next."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        return [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    finally:
        book.close()


def template_with_brand(folder, brand_toml: str):
    """The bundled template copied into `folder` (created) with `brand_toml` beside it: the template's path."""
    from fichex.resources import default_template_path

    folder.mkdir(parents=True, exist_ok=True)
    template = folder / "modele.pptx"
    template.write_bytes(default_template_path().read_bytes())
    (folder / "brand.toml").write_text(brand_toml, encoding="utf-8")
    return template


def copy_template(path, change):
    """A copy of the bundled template at `path` whose parts pass through change(part, bytes)."""
    import zipfile

    from fichex.resources import default_template_path

    with zipfile.ZipFile(default_template_path()) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            target.writestr(info, change(info.filename, source.read(info.filename)))
    return path


@pytest.fixture
def template_copy(tmp_path):
    """make(name, change): copy_template into the test's folder."""
    return lambda name, change: copy_template(tmp_path / name, change)


class IndexPage:
    """An index.html parsed by lxml: its rows (each cell's text), records by column key, texts, elements
    (tests/render/test_index_html.py and tests/batch/test_index_page.py)."""

    def __init__(self, text: str):
        import lxml.html

        from fichex.wording import index_page as index_text

        self.root = lxml.html.document_fromstring(text)
        self.html_lang = self.root.get("lang")
        self.rows = [[cell.text_content().strip() for cell in tr.xpath("./th|./td")]
                     for tr in self.root.xpath("//tbody/tr")]
        keys = {header: key for key, header in index_text.INDEX_COLUMNS.items()}
        keys[index_text.index_column("name", {"region"})] = "name"  # « Territoire » beside régions, France, TIs
        self.columns = [keys[th.text_content().strip()] for th in self.root.xpath("//thead/tr/th")]
        self.records = [dict(zip(self.columns, cells)) for cells in self.rows]  # column key → cell text
        self.texts = [t.strip() for t in self.root.xpath("//body//text()[not(ancestor::script)]")]

    def all(self, tag: str) -> list[dict]:
        """The attributes of every `tag` element, in document order."""
        return [dict(element.attrib) for element in self.root.iter(tag)]

    @property
    def elements(self) -> list[tuple[str, dict]]:
        return [(element.tag, dict(element.attrib)) for element in self.root.iter() if isinstance(element.tag, str)]


# --- Documents written once: the tests that read them run on one xdist worker --------------------------------
# pytest-xdist's own `xdist_group` mark does nothing under pytest 9.2 (xdist 3.8 tags the node id through an
# attribute pytest no longer reads), so the groups are named here by node-id prefix and the scheduler below
# sends each group to one worker; every other test is scheduled on its own, as with `--dist load`.
SHARED_DOCUMENT_GROUPS = (
    # the région's and France's deck and workbook (level_documents) and test_levels' CLI build
    ("tests/test_levels.py::", "region_france"),
    ("tests/render/xlsx/test_xlsx_breakdown.py::", "region_france"),
    ("tests/render/pptx/test_deck_breakdown.py::test_region_deck", "region_france"),
    ("tests/render/xlsx/test_xlsx_pivot.py::test_region_and_france_", "region_france"),
    ("tests/render/xlsx/test_xlsx_data_sheet.py::test_france_donnees_", "region_france"),
    ("tests/render/test_strict_files.py::test_region_workbook_", "region_france"),
    ("tests/render/xlsx/test_xlsx_pivot.py::test_libreoffice_computes_the_region_and_france_", "region_france"),
    ("tests/render/pptx/test_specialisation_slide.py::test_region_deck_", "region_france"),
    ("tests/render/xlsx/test_specialisation_sheet.py::test_france_workbook_", "region_france"),
    # a Territoire d'industrie's deck and workbook (ti_documents)
    ("tests/render/test_territoire_deck.py::test_paths_and_files", "ti"),
    ("tests/render/test_territoire_deck.py::test_libreoffice_converts_the_documents", "ti"),
    ("tests/render/test_territoire_deck.py::test_documents_are_valid_open_xml", "ti"),
    ("tests/render/xlsx/test_xlsx_territoire.py::test_departements_chart_reads_the_table", "ti"),
    ("tests/render/xlsx/test_xlsx_territoire.py::test_donnees_holds_every_departement_rows", "ti"),
    ("tests/render/pptx/test_deck_territoire.py::test_deck_is_byte_identical_across_builds", "ti"),
    ("tests/render/xlsx/test_xlsx_pivot.py::test_territoire_workbook_holds_", "ti"),
    # every level's documents, built once by the real command and scanned (test_level_truth's module fixture)
    ("tests/wording/test_level_truth.py::", "level_truth"),
    # every deck of `build --all --level tout` (all_level_decks), read by the accessibility check
    ("tests/render/test_deck_accessibility.py::", "all_decks"),
)


def shared_documents_group(nodeid: str) -> str:
    """The scheduling scope of a test: its group's name when it reads shared documents, else its own id."""
    return next((group for prefix, group in SHARED_DOCUMENT_GROUPS if nodeid.startswith(prefix)), nodeid)


def pytest_xdist_make_scheduler(config, log):
    """Under -n with `--dist loadgroup` (pyproject's addopts): the groups above, each on one worker."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedDocumentsScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return shared_documents_group(nodeid)

    return SharedDocumentsScheduling(config, log)


@pytest.fixture(scope="session")
def fiche_r75(builder):
    """The fiche of the région Nouvelle-Aquitaine (75), 2024."""
    return builder.build_region("75", 2024)


@pytest.fixture(scope="session")
def fiche_france(builder):
    """The fiche of France, 2024."""
    return builder.build_france(2024)


@pytest.fixture(scope="session")
def level_documents(tmp_path_factory, fiche_r75, fiche_france):
    """The région's and France's deck and workbook as the library writes them, once per worker (the tests using
    them form one of SHARED_DOCUMENT_GROUPS, so one worker writes them): {"r75.pptx": path, "r75.xlsx": …}."""
    from fichex import api

    folder = tmp_path_factory.mktemp("niveaux")
    files = {}
    for fiche, name in ((fiche_r75, "r75"), (fiche_france, "fr")):
        files[f"{name}.pptx"] = folder / f"{name}.pptx"
        files[f"{name}.xlsx"] = folder / f"{name}-classeur.xlsx"
        api.write_deck(fiche, files[f"{name}.pptx"])
        api.write_workbook(fiche, files[f"{name}.xlsx"])
    return files


# --- Decks: one deck of the Creuse for the deck tests, and slides found by title, not by position -------------
@pytest.fixture(scope="session")
def deck_23_path(fiche_23, tmp_path_factory):
    """The deck of the Creuse (fiche_23), written once (tests/render/pptx/)."""
    from fichex.render.pptx import write_deck

    path = tmp_path_factory.mktemp("deck") / "fiche_23.pptx"
    write_deck(fiche_23, path)
    return path


@pytest.fixture(scope="session")
def all_level_decks(tmp_path_factory) -> list:
    """Every deck of `fichex build --all --level tout --formats pptx` (départements, régions, France and the
    Territoires d'industrie), built once per session by the real command: a few minutes."""
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("all-decks")
    subprocess.run([sys.executable, "-m", "fichex", "build", "--all", "--level", "tout", "--formats", "pptx",
                    "--out-dir", str(folder), "--quiet", "--jobs", "2"], check=True, capture_output=True)
    return sorted(folder.rglob("*.pptx"))


@pytest.fixture(scope="session")
def deck_23(deck_23_path):
    """deck_23_path reopened with python-pptx (read only)."""
    from pptx import Presentation

    return Presentation(str(deck_23_path))


def slide_title(slide) -> str:
    """A slide's title text (empty when its layout has no title)."""
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def slide_titled(prs, title: str):
    """The one slide of a deck titled `title`: tests find slides by what they are, not by their position."""
    found = [slide for slide in prs.slides if slide_title(slide) == title]
    assert len(found) == 1, f"{len(found)} slides titled {title!r}"
    return found[0]


def slide_notes(slide) -> str:
    """A slide's speaker notes."""
    return slide.notes_slide.notes_text_frame.text


def iter_shapes(shapes):
    """Every shape, those inside groups too."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    for shape in shapes:
        yield shape
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from iter_shapes(shape.shapes)


def all_text(slide) -> str:
    """The text of every shape of a slide, groups included."""
    return "\n".join(shape.text_frame.text for shape in iter_shapes(slide.shapes) if shape.has_text_frame)


# --- Workbooks: one workbook of the Creuse for the workbook tests ----------------------------------------------
@pytest.fixture(scope="session")
def workbook_23_path(fiche_23, tmp_path_factory):
    """The workbook of the Creuse (fiche_23), written once with a command and a version (tests/render/xlsx/)."""
    from fichex.render.xlsx import write_workbook

    path = tmp_path_factory.mktemp("xlsx") / "fiche-23.xlsx"
    write_workbook(fiche_23, path, command="fichex build 23", version="0.1.0")
    return path


@pytest.fixture(scope="session")
def workbook_23(workbook_23_path):
    """workbook_23_path reopened with openpyxl (read only)."""
    import openpyxl

    return openpyxl.load_workbook(workbook_23_path)


# --- A Territoire d'industrie over three départements: its fiches and its two documents, built once -----------
MULTI_TI = "Nord Franche-Comté"  # 25, 70, 90


@pytest.fixture(scope="session")
def ti_fiches(demo_trade):
    """(official name, fiches) of MULTI_TI."""
    from fichex import api

    return api.territoire_fiches(MULTI_TI, data=demo_trade)


@pytest.fixture(scope="session")
def ti_documents(ti_fiches, demo_trade, tmp_path_factory):
    """The deck and workbook of MULTI_TI, written once through the library: {"pptx": path, "xlsx": path}."""
    from fichex import api

    return api.write_territoire(MULTI_TI, tmp_path_factory.mktemp("ti"), data=demo_trade)


def ti_label(fiche) -> str:
    """« Doubs (25) »: a département as a Territoire d'industrie's documents name it."""
    from fichex.wording import territoire as territoire_text

    return territoire_text.ti_departement_label(fiche.territory.nom, fiche.territory.code)


# Every JSON document the suite makes in-process (`figures --json`, `figures --territoire --json`, `build --json`,
# through the CLI runner or the library) is checked against its schema (docs/schema, fichex.json_schema) as it is
# made: a key added without its schema, or a value of another type, fails the test that made it.
JSON_OUTPUTS = (("fichex.json_contract", "figures_json", "figures"), ("fichex.api", "figures_json", "figures"),
                ("fichex.json_contract", "territoire_json", "figures-territoire"),
                ("fichex.api", "territoire_json", "figures-territoire"))


def _validated(function, validator):
    @functools.wraps(function)
    def made(*args, **kwargs):
        document = function(*args, **kwargs)
        validator.validate(json.loads(json.dumps(document)))
        return document
    return made


@pytest.fixture(autouse=True, scope="session")
def json_outputs_follow_their_schema():
    try:
        import jsonschema
    except ImportError:  # installed without the test extra: nothing to check against
        yield
        return
    from fichex.batch.results import BuildResult
    from fichex.json_schema import schema

    validators = {name: jsonschema.Draft202012Validator(schema(name))
                  for name in ("figures", "figures-territoire", "build")}
    patch = pytest.MonkeyPatch()
    for module, name, kind in JSON_OUTPUTS:
        imported = importlib.import_module(module)
        patch.setattr(imported, name, _validated(getattr(imported, name), validators[kind]))
    patch.setattr(BuildResult, "to_json", _validated(BuildResult.to_json, validators["build"]))
    yield
    patch.undo()
