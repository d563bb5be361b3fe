"""Which inputs are DGDDI files: recognised by their shape, not their name (importing/dgddi_files.py)."""

import pytest

from dgddi_samples import OFFICIAL_EXPORT, OFFICIAL_IMPORT
from fichex.data.importing import dgddi, import_files
from fichex.errors import InputDataError


def test_shape_not_name_decides(tmp_path):
    assert dgddi.looks_regional(OFFICIAL_EXPORT.encode())
    assert dgddi.looks_regional("\ufeff".encode() + OFFICIAL_IMPORT.encode())
    assert not dgddi.looks_regional(b"annee;flux;code_departement;code_produit;code_pays;valeur_keur\n")
    assert not dgddi.looks_regional(b"E;5;2018;01;18;A01Z;0111;BE;406473;1210935\n")
    odd = tmp_path / "export.csv"
    odd.write_text(OFFICIAL_EXPORT, encoding="utf-8")
    assert import_files([odd], tmp_path / "d").rows_kept == 1


def _zip(path, members):
    import warnings
    import zipfile

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a duplicate name, on purpose
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members:
                archive.writestr(name, data)
    return path


def test_members_are_opened_by_their_entry_not_their_name(tmp_path, monkeypatch):
    from fichex.data.importing import archives, dgddi_files

    path = _zip(tmp_path / "region.zip", [("REGIONAL_CPF4PAYSE.txt", OFFICIAL_EXPORT),
                                          ("REGIONAL_CPF4PAYSE.txt", OFFICIAL_IMPORT)])
    monkeypatch.setattr(archives, "check", lambda *args, **kwargs: None)  # let the duplicate through
    found = dgddi_files.find([path])
    read = []
    for source in found.sources:
        with source.opener() as stream:
            read.append(stream.read().decode())
    assert read == [OFFICIAL_EXPORT, OFFICIAL_IMPORT]


def test_a_zip_with_two_members_of_one_name_is_refused(tmp_path):
    path = _zip(tmp_path / "region.zip", [("REGIONAL_CPF4PAYSE.txt", OFFICIAL_EXPORT),
                                          ("REGIONAL_CPF4PAYSE.txt", OFFICIAL_EXPORT.replace(";BE;", ";DE;"))])
    with pytest.raises(InputDataError, match=r"^region\.zip : le fichier REGIONAL_CPF4PAYSE\.txt figure plusieurs fois"):
        import_files([path], tmp_path / "d")
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("name, flow", [("REGIONAL_CPF4PAYSI.txt", "importations"),
                                        ("Region_2018_Export.txt", "exportations")])
@pytest.mark.parametrize("content", ["", "\ufeff\r\n", "Flux;Trimestre;Année;Code département;Code région;Code A129;"
                                                       "Code CPF4;Code Pays;Valeur;Masse\n"])
def test_an_empty_regional_member_is_a_missing_flow_not_a_file_to_skip(tmp_path, name, flow, content):
    other = OFFICIAL_IMPORT if flow == "exportations" else OFFICIAL_EXPORT
    other_name = "REGIONAL_CPF4PAYSE.txt" if flow == "importations" else "Region_2018_Import.txt"
    path = _zip(tmp_path / "region.zip", [(other_name, other), (name, content)])
    with pytest.raises(InputDataError, match=rf"^region\.zip:{name} : fichier régional DGDDI vide \(\d+ octets?\) : "
                                             rf"les {flow} manqueraient"):
        import_files([path], tmp_path / "d")


def test_a_regional_name_without_the_regional_shape_is_refused_beside_regional_files(tmp_path):
    folder = tmp_path / "region"
    folder.mkdir()
    (folder / "REGIONAL_CPF4PAYSE.txt").write_text(OFFICIAL_EXPORT, encoding="utf-8")
    (folder / "REGIONAL_CPF4PAYSI.txt").write_text("<html>Service indisponible</html>\n", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"REGIONAL_CPF4PAYSI\.txt : nommé comme un fichier régional DGDDI "
                                             r"\(importations\) mais sans sa forme"):
        import_files([folder], tmp_path / "d")


def test_an_empty_regional_file_given_alone_is_named(tmp_path):
    export = tmp_path / "REGIONAL_CPF4PAYSE.txt"
    export.write_text(OFFICIAL_EXPORT, encoding="utf-8")
    empty = tmp_path / "REGIONAL_CPF4PAYSI.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputDataError, match=r"^REGIONAL_CPF4PAYSI\.txt : fichier régional DGDDI vide \(0 octet\)"):
        import_files([export, empty], tmp_path / "d")


def test_a_regional_folder_lists_fichex_outputs_as_skipped(tmp_path):
    folder = tmp_path / "region"
    folder.mkdir()
    (folder / "REGIONAL_CPF4PAYSE.txt").write_text(OFFICIAL_EXPORT, encoding="utf-8")
    import_files([folder], tmp_path / "d")
    for path in (tmp_path / "d").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    report = import_files([folder], tmp_path / "e")
    assert report.rows_read == 1 and report.totals[0]["valeur_eur"] == 406473.0
    assert {f.name for f in report.files if f.reason.startswith("écrit par fichex")} == {
        "region/commerce_exterieur.parquet", "region/rapport_import.json", "region/lignes_rejetees.csv"}
