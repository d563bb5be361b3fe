"""Describing a data folder: real imported data versus the demonstration dataset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fichex.datainfo import describe, describe_lines
from fichex.errors import InputDataError
from fichex.importer import import_files
from fichex.paths import DATA_ENV_VAR

FIXTURES = Path(__file__).parent / "fixtures"


def test_describe_imported_folder(tmp_path):
    import_files([FIXTURES / "trade_latin1_semicolon_decimal_comma.csv"], tmp_path)
    info = describe(tmp_path)
    assert info["donnees_demonstration"] is False
    assert info["annees"] == [2024]
    assert info["nb_departements"] == 3
    assert info["nb_lignes"] == 4
    assert info["fichiers"] == ["trade_latin1_semicolon_decimal_comma.csv"]
    assert info["totaux"] == [{"annee": 2024, "flux": "E", "valeur_eur": 1234567.0 + 500.0 + 7250.0},
                              {"annee": 2024, "flux": "I", "valeur_eur": 12345001.0}]
    assert info["import"]["lignes_rejetees"] == 0
    assert info["date_donnees"] == info["date_donnees"][:10] and len(info["date_donnees"]) == 10
    json.dumps(info)  # JSON-ready

    lines = describe_lines(info)
    assert lines[0] == "Données : réelles"
    assert lines[1] == "Source : Données DGDDI importées (trade_latin1_semicolon_decimal_comma.csv)"
    assert "Années : 2024 ; départements : 3 ; lignes : 4" in lines
    assert "Total 2024 exportations : 1 242 317 €" in lines
    assert "Total 2024 importations : 12 345 001 €" in lines
    assert "Dernier import : 4 lignes lues, 4 conservées, 0 rejetées" in lines


def test_describe_demonstration_dataset(monkeypatch):
    monkeypatch.delenv(DATA_ENV_VAR, raising=False)
    info = describe(None)
    assert info["donnees_demonstration"] is True
    assert info["nb_departements"] > 90
    assert "import" not in info
    assert describe_lines(info)[0].startswith("Données : DÉMONSTRATION")


def test_describe_empty_folder_is_an_error(tmp_path):
    with pytest.raises(InputDataError, match="dossier de données sans commerce_exterieur.parquet"):
        describe(tmp_path)


def test_describe_lines_lists_several_years(tmp_path):
    import_files([FIXTURES / "trade_wide_years.csv"], tmp_path)
    lines = describe_lines(describe(tmp_path))
    assert "Années : 2023, 2024 ; départements : 1 ; lignes : 3" in lines
