"""Reading tidy tables: encodings, delimiters, formats, limits (importing/readers.py)."""

from __future__ import annotations

import importlib.util

import pytest

from fichex.data.importing import import_files
from fichex.data.importing.readers import decode, sniff_delimiter
from fichex.errors import InputDataError
from tidy_samples import FIXTURES, HEADER, rejected_rows


def test_decode_and_sniff():
    assert decode("é;".encode("utf-8-sig"), "x") == ("é;", "utf-8-sig")
    assert decode("é;".encode("cp1252"), "x") == ("é;", "cp1252")
    assert sniff_delimiter("a;b;c\n1,5;2;3\n4,5;5;6\n") == ";"
    assert sniff_delimiter("a,b,c\n1;2,3,4\n") == ","
    assert sniff_delimiter("a\tb\n1,5\t2\n") == "\t"


def test_xls_without_xlrd_names_the_fix(tmp_path):
    if importlib.util.find_spec("xlrd") is not None:
        pytest.skip("xlrd est installé")
    source = tmp_path / "trade_legacy.xls"
    source.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputDataError, match=r"^trade_legacy\.xls : .*pip install xlrd"):
        import_files([source], tmp_path / "out")


def test_unknown_format_and_missing_file(tmp_path):
    odd = tmp_path / "trade.ods"
    odd.write_bytes(b"")
    with pytest.raises(InputDataError, match=r"^trade\.ods : format non reconnu"):
        import_files([odd], tmp_path / "out")
    with pytest.raises(InputDataError, match=r"^fichier introuvable"):
        import_files([tmp_path / "absent.csv"], tmp_path / "out")


def test_latin1_bytes_behind_a_utf8_bom_give_one_french_line(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + HEADER.format(value="valeur_eur").encode() + b"2024;E;01;10.51;DE;12\n"
                     b"2024;E;01;caf\xe9;DE;12\n")
    with pytest.raises(InputDataError, match=r"^bom\.csv : le fichier commence par la marque UTF-8 \(BOM\) mais la "
                                             r"ligne 3 n'est pas en UTF-8"):
        import_files([path], tmp_path / "d")


def test_a_cell_over_the_csv_limit_rejects_its_line_only(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(HEADER.format(value="valeur_eur") + "2024;E;01;10.51;DE;12\n"
                    + "2024;E;01;" + "x" * 1_100_000 + ";DE;12\n2024;E;01;10.51;IT;5\n", encoding="utf-8")
    report = import_files([path], tmp_path / "d")
    assert (report.rows_kept, report.rows_rejected) == (2, 1)
    assert [(r["ligne"], r["detail"]) for r in rejected_rows(tmp_path / "d")] == [
        ("3", "une cellule dépasse 1 048 576 caractères")]


def test_a_tidy_table_too_large_to_read_whole_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("FICHEX_ZIP_MAX_BYTES", "10")
    with pytest.raises(InputDataError, match=r"trop gros pour un tableau lu en entier \(limite 10, fixée par la "
                                             r"mémoire libre\) ; découpez-le"):
        import_files([FIXTURES / "trade_latin1_semicolon_decimal_comma.csv"], tmp_path / "d")


def test_a_folder_is_read_without_fichex_outputs_which_are_listed(tmp_path):
    from fichex.data.importing.columns import Mapping
    from fichex.data.importing.readers import read_inputs

    folder = tmp_path / "telechargement"
    (folder / ".fichex-cache").mkdir(parents=True)
    for name in ("ventes.csv", "commerce_exterieur.parquet", "lignes_rejetees.csv", ".fichex-cache/agregat.parquet"):
        (folder / name).write_text(HEADER.format(value="valeur_eur") + "2024;E;01;10.51;DE;3\n", encoding="utf-8")
    tables, skipped = read_inputs([folder], Mapping())
    assert [t.name for t in tables] == ["telechargement/ventes.csv"]
    assert sorted(name for name, _ in skipped) == ["telechargement/.fichex-cache/agregat.parquet",
                                                   "telechargement/commerce_exterieur.parquet",
                                                   "telechargement/lignes_rejetees.csv"]
