"""DGDDI's national file: France's reference for the regional sum (importing/national.py)."""

import pytest

import fichex
from dgddi_samples import OFFICIAL_EXPORT, OFFICIAL_IMPORT, OFFICIAL_NATIONAL
from conftest import read_only_cells
from fichex.data.importing import dgddi, import_files, national
from fichex.errors import InputDataError


def test_a_national_file_is_france_reference_and_its_gap_is_shown(tmp_path):
    folder = tmp_path / "region"  # the data folder --into may not lie inside the folder imported
    folder.mkdir()
    (folder / "REGIONAL_CPF4PAYSI.txt").write_text(OFFICIAL_IMPORT, encoding="utf-8")
    (folder / "REGIONAL_CPF4PAYSE.txt").write_text(OFFICIAL_EXPORT, encoding="utf-8")
    national_lines = [OFFICIAL_NATIONAL, OFFICIAL_NATIONAL.replace("09;", "08;").replace("70000", "30000"),
                OFFICIAL_NATIONAL.replace("I;", "E;").replace("70000", "500000")]
    (folder / "NATIONAL_NC8PAYSI.txt").write_text("".join(national_lines), encoding="utf-8")
    assert national.looks_national(OFFICIAL_NATIONAL.encode()) and not dgddi.looks_regional(OFFICIAL_NATIONAL.encode())
    assert not national.looks_national(OFFICIAL_IMPORT.encode())
    report = import_files([folder], tmp_path / "d")
    assert report.rows_read == 2  # the national file's lines are a reference, not rows of the table
    gaps = {(g["annee"], g["flux"]): g for g in report.national_gaps}
    assert gaps[(2018, "I")] == {"annee": 2018, "flux": "I", "mois": 2, "national_eur": 100000.0,
                                 "regional_eur": 52.0, "ecart_eur": 52.0 - 100000.0}
    assert any(line.startswith("Fichier national : Importations 2018, 2 mois : somme des données régionales 52\u00a0€")
               for line in report.summary_lines())
    fiche = fichex.fiche("01", data=tmp_path / "d")
    assert fiche.data.national_total(2018, "E") == (500000.0, 1)
    fichex.write_workbook(fiche, tmp_path / "f.xlsx")
    cells = read_only_cells(tmp_path / "f.xlsx", "Méthode")
    assert "Écart au total national" in cells
    assert any(c.startswith("Exportations 2018, 1 mois : somme des données régionales 406\u202f473\u00a0€") for c in cells)


def test_a_national_file_alone_is_refused(tmp_path):
    (tmp_path / "NATIONAL_NC8PAYSE.txt").write_text(OFFICIAL_NATIONAL, encoding="utf-8")
    with pytest.raises(InputDataError, match="fichier national seul"):
        import_files([tmp_path / "NATIONAL_NC8PAYSE.txt"], tmp_path / "d")
