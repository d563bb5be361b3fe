"""Describing a data folder: real imported data versus the demonstration dataset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fichex.data import trade
from fichex.data.describe import describe
from fichex.wording.console import data_info_lines as describe_lines
from fichex.errors import InputDataError
from fichex.data.importing import import_files
from fichex.resources import DATA_ENV_VAR

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


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
    assert "Total 2024 exportations : 1\u202f242\u202f317\u00a0€" in lines
    assert "Total 2024 importations : 12\u202f345\u202f001\u00a0€" in lines
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


def test_imported_demonstration_data_is_described_as_demonstration(demo_trade, tmp_path):
    table = demo_trade.table
    rows = table[(table["code_departement"] == "23") & (table["annee"] == 2024)].head(5)
    source = tmp_path / "commerce_exterieur_demo.parquet"
    trade.write_parquet(rows, source, demo_trade.info)
    import_files([source], tmp_path / "x")
    info = describe(tmp_path / "x")
    assert info["donnees_demonstration"] is True
    lines = describe_lines(info)
    assert lines[0] == "Données : DÉMONSTRATION (chiffres simulés, pas des données douanières réelles)"
    assert lines[1].startswith("Source : Données de démonstration importées (commerce_exterieur_demo.parquet)")
    assert "Dernier import : 5 lignes lues, 5 conservées, 0 rejetées" in lines
    assert any(line.startswith("Attention : commerce_exterieur_demo.parquet : données de démonstration")
               for line in lines)


def test_every_count_has_a_thousands_space():
    info = {"donnees_demonstration": False, "source": "s", "chemin": "c", "annees": [2024],
            "nb_departements": 1001, "nb_lignes": 996480, "totaux": [],
            "import": {"lignes_lues": 1234567, "lignes_conservees": 996480, "lignes_rejetees": 238087}}
    lines = describe_lines(info)
    assert "Années : 2024 ; départements : 1\u202f001 ; lignes : 996\u202f480" in lines
    assert "Dernier import : 1\u202f234\u202f567 lignes lues, 996\u202f480 conservées, 238\u202f087 rejetées" in lines


def test_import_report_without_counts_shows_question_marks():
    info = {"donnees_demonstration": False, "source": "s", "chemin": "c", "annees": [], "nb_departements": 0,
            "nb_lignes": 0, "totaux": [], "import": {"avertissements": []}}
    assert "Dernier import : ? lignes lues, ? conservées, ? rejetées" in describe_lines(info)
