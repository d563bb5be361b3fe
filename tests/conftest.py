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
