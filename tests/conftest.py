"""Shared fixtures: the demonstration dataset is loaded once per test session."""

from __future__ import annotations

import shutil

import pytest

from fichex.data import trade
from fichex.aggregation.aggregate import FicheBuilder


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


def pytest_collection_modifyitems(config, items):
    if shutil.which("soffice"):
        return
    skip = pytest.mark.skip(reason="LibreOffice (soffice) n'est pas installé")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)


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

        from fichex import texts

        self.root = lxml.html.document_fromstring(text)
        self.html_lang = self.root.get("lang")
        self.rows = [[cell.text_content().strip() for cell in tr.xpath("./th|./td")]
                     for tr in self.root.xpath("//tbody/tr")]
        keys = {header: key for key, header in texts.INDEX_COLUMNS.items()}
        self.columns = [keys[th.text_content().strip()] for th in self.root.xpath("//thead/tr/th")]
        self.records = [dict(zip(self.columns, cells)) for cells in self.rows]  # column key → cell text
        self.texts = [t.strip() for t in self.root.xpath("//body//text()[not(ancestor::script)]")]

    def all(self, tag: str) -> list[dict]:
        """The attributes of every `tag` element, in document order."""
        return [dict(element.attrib) for element in self.root.iter(tag)]

    @property
    def elements(self) -> list[tuple[str, dict]]:
        return [(element.tag, dict(element.attrib)) for element in self.root.iter() if isinstance(element.tag, str)]
