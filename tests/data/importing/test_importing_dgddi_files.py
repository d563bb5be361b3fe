"""Which inputs are DGDDI files: recognised by their shape, not their name (importing/dgddi_files.py)."""

from dgddi_samples import OFFICIAL_EXPORT, OFFICIAL_IMPORT
from fichex.data.importing import dgddi, import_files


def test_shape_not_name_decides(tmp_path):
    assert dgddi.looks_regional(OFFICIAL_EXPORT.encode())
    assert dgddi.looks_regional("\ufeff".encode() + OFFICIAL_IMPORT.encode())
    assert not dgddi.looks_regional(b"annee;flux;code_departement;code_produit;code_pays;valeur_keur\n")
    assert not dgddi.looks_regional(b"E;5;2018;01;18;A01Z;0111;BE;406473;1210935\n")
    odd = tmp_path / "export.csv"
    odd.write_text(OFFICIAL_EXPORT, encoding="utf-8")
    assert import_files([odd], tmp_path / "d").rows_kept == 1
