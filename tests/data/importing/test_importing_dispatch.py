"""One dispatch for every import (importing/__init__.py: import_files)."""

import pytest

from dgddi_samples import OFFICIAL_EXPORT
from fichex.data.importing import import_files
from fichex.errors import InputDataError


def test_mixing_regional_files_and_tidy_tables_is_refused(tmp_path):
    (tmp_path / "REGIONAL_CPF4PAYSE.txt").write_text(OFFICIAL_EXPORT, encoding="utf-8")
    (tmp_path / "table.csv").write_text("annee;flux;code_departement;code_produit;code_pays;valeur_keur\n"
                                        "2024;E;01;10.51;DE;1\n", encoding="utf-8")
    with pytest.raises(InputDataError, match="mêlé"):
        import_files([tmp_path / "REGIONAL_CPF4PAYSE.txt", tmp_path / "table.csv"], tmp_path / "d")


def test_no_path_is_an_error_and_creates_nothing(tmp_path):
    with pytest.raises(InputDataError, match="^aucun fichier à importer ; donnez un ou plusieurs fichiers"):
        import_files([], tmp_path / "d")
    assert not (tmp_path / "d").exists()


def test_regional_files_go_to_the_regional_importer_and_tables_to_the_tidy_one(tmp_path):
    (tmp_path / "REGIONAL_CPF4PAYSE.txt").write_text(OFFICIAL_EXPORT, encoding="utf-8")
    (tmp_path / "table.csv").write_text("annee;flux;code_departement;code_produit;code_pays;valeur_keur\n"
                                        "2024;E;01;10.51;DE;1\n", encoding="utf-8")
    regional = import_files([tmp_path / "REGIONAL_CPF4PAYSE.txt"], tmp_path / "a")
    tidy = import_files([tmp_path / "table.csv"], tmp_path / "b")
    assert regional.reconciliation and regional.files[0].unit != tidy.files[0].unit
    assert not tidy.reconciliation and tidy.files[0].columns["code_pays"] == "colonne « code_pays »"
