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
