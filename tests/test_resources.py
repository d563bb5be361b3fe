"""Where fichex finds its reference tables, demonstration data, template and data folder."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

import fichex
from fichex import resources


def test_reference_dir_holds_the_reference_tables():
    folder = resources.reference_dir()
    for name in ("departements.csv", "regions.csv", "pays.csv", "activites_a129.csv", "territoires_industrie.csv"):
        assert (folder / name).is_file(), name
    header = (folder / "departements.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "code_departement" in header


def test_demo_dataset_is_a_parquet_file():
    path = resources.demo_dataset_path()
    assert path.is_file() and path.suffix == ".parquet"
    assert path.read_bytes()[:4] == b"PAR1"
    assert {"annee", "flux", "valeur_eur"} <= set(pd.read_parquet(path).columns)


def test_default_template_is_a_presentation():
    path = resources.default_template_path()
    assert path.name == "fichex.pptx" and path.parent == resources.templates_dir()
    with zipfile.ZipFile(path) as deck:
        assert "ppt/presentation.xml" in deck.namelist()


def test_default_data_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv(resources.DATA_ENV_VAR, raising=False)
    assert resources.default_data_dir() is None
    monkeypatch.setenv("FICHEX_DATA", "")
    assert resources.default_data_dir() is None
    monkeypatch.setenv("FICHEX_DATA", str(tmp_path / "donnees"))
    assert resources.default_data_dir() == tmp_path / "donnees"


def test_package_dir_is_the_fichex_package():
    assert resources.package_dir() == Path(fichex.__file__).resolve().parent
    assert (resources.package_dir() / "resources.py").is_file()
