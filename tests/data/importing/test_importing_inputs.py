"""The files of an input folder: fichex's own outputs never read, --into never inside (importing/inputs.py)."""

from pathlib import Path

import pytest

from fichex.data.importing import import_files, inputs
from fichex.errors import InputDataError

HEADER = "annee;flux;code_departement;code_produit;code_pays;valeur_eur\n"


@pytest.mark.parametrize("relative, own", [
    ("commerce_exterieur.parquet", True), ("rapport_import.json", True), ("lignes_rejetees.csv", True),
    ("ancien/commerce_exterieur.parquet", True), (".fichex-cache/agregat-2024-abc.parquet", True),
    ("sous/.fichex-cache/x.json", True), (".commerce_exterieur.parquet.123.tmp", True),
    (".rapport_import.json.abc.tmp", True),
    ("ventes.csv", False), ("commerce_exterieur.csv", False), ("fichex-cache/x.parquet", False),
    ("notes.tmp", False), ("REGIONAL_CPF4PAYSE.txt", False),
])
def test_own_outputs_are_named_by_what_fichex_writes(relative, own):
    assert inputs.is_own_output(Path(relative)) is own


def test_folder_files_split_sources_from_outputs(tmp_path):
    for name in ("b.csv", "a.csv", "commerce_exterieur.parquet", ".fichex-cache/agregat.parquet"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, outputs = inputs.folder_files(tmp_path)
    assert [p.name for p in files] == ["a.csv", "b.csv"]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in outputs) == [
        ".fichex-cache/agregat.parquet", "commerce_exterieur.parquet"]
    assert [name for name, _ in inputs.skipped_outputs(tmp_path, outputs)] == [
        f"{tmp_path.name}/.fichex-cache/agregat.parquet", f"{tmp_path.name}/commerce_exterieur.parquet"]


def test_into_equal_to_or_inside_an_input_folder_is_refused(tmp_path):
    folder = tmp_path / "telechargement"
    folder.mkdir()
    with pytest.raises(InputDataError, match=r"^--into .* : ce dossier est le dossier importé .* choisissez un dossier "
                                             r"--into hors de"):
        inputs.check_into_outside([folder], folder, "--into")
    with pytest.raises(InputDataError, match="ce dossier est dans le dossier importé"):
        inputs.check_into_outside([folder], folder / "a" / ".." / "donnees", "--into")
    inputs.check_into_outside([folder], tmp_path / "donnees", "--into")  # beside it: fine
    inputs.check_into_outside([folder / "absent.csv"], folder, "--into")  # a file's folder: fine


def test_the_refusal_comes_before_anything_is_written(tmp_path):
    folder = tmp_path / "telechargement"
    folder.mkdir()
    (folder / "ventes.csv").write_text(HEADER + "2024;E;01;10.51;DE;3\n", encoding="utf-8")
    with pytest.raises(InputDataError, match="dossier importé"):
        import_files([folder], folder / "donnees")
    assert sorted(p.name for p in folder.iterdir()) == ["ventes.csv"]


def test_a_folder_imported_twice_is_not_summed_with_its_earlier_import(tmp_path):
    folder = tmp_path / "telechargement"
    folder.mkdir()
    (folder / "ventes.csv").write_text(HEADER + "2024;E;01;10.51;DE;3\n", encoding="utf-8")
    first = import_files([folder], tmp_path / "d")
    for path in (tmp_path / "d").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    second = import_files([folder], tmp_path / "e")
    assert second.totals == first.totals
    assert {f.name for f in second.files if f.reason.startswith("écrit par fichex")} == {
        "telechargement/commerce_exterieur.parquet", "telechargement/rapport_import.json",
        "telechargement/lignes_rejetees.csv"}
