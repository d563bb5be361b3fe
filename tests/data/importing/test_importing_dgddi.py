"""The DGDDI regional files checked block by block, one check per field (importing/dgddi.py)."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from dgddi_samples import MALFORMED, OFFICIAL_EXPORT, OFFICIAL_IMPORT
from fichex.cli import app
from fichex.data.importing import common, dgddi
from fichex.errors import InputDataError

runner = CliRunner()


def test_malformed_lines_are_counted_and_saved_with_their_line_numbers(tmp_path):
    path = tmp_path / "REGIONAL_CPF4PAYSE.txt"
    path.write_text(OFFICIAL_EXPORT + "".join(line for line, _ in MALFORMED) + OFFICIAL_IMPORT, encoding="utf-8")
    result = runner.invoke(app, ["data", "import", str(path), "--into", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert f"Attention : {len(MALFORMED)} lignes rejetées" in result.stdout
    rejected = pd.read_csv(tmp_path / "d" / "lignes_rejetees.csv", sep=";", dtype=str, encoding="utf-8-sig")
    assert list(zip(rejected["ligne"].astype(int), rejected["motif"])) == [
        (n, motif) for n, (_, motif) in enumerate(MALFORMED, start=2)]
    report = json.loads((tmp_path / "d" / "rapport_import.json").read_text(encoding="utf-8"))
    assert (report["lignes_lues"], report["lignes_conservees"], report["lignes_rejetees"]) == (13, 2, 11)
    assert sum(r["lignes_lues"] for r in report["rapprochement"]) == 13


def test_blocks_cut_at_line_ends_and_keep_line_numbers(tmp_path):
    path = tmp_path / "REGIONAL_CPF4PAYSE.txt"
    lines = [OFFICIAL_EXPORT.replace("406473", str(i + 1)) for i in range(2000)]
    lines[1500] = "E;5;2018;01;18;A01Z;0111;BE;1;1\n"
    path.write_text("".join(lines), encoding="utf-8")
    source = dgddi.Source(path.name, path.stat().st_size, lambda: path.open("rb"))
    blocks = list(dgddi.read_source(source, block_bytes=4096))
    assert len(blocks) > 10
    kept = pd.concat([b.kept for b in blocks])
    assert len(kept) == 1999 and kept["ligne"].tolist() == [n for n in range(1, 2001) if n != 1501]
    assert [int(line) for b in blocks for line in b.rejected["ligne"]] == [1501]


def check_one(line: str) -> str:
    """The motif of one regional line checked alone (« » when kept)."""
    block = dgddi.check_block(line.encode(), 1, "REGIONAL_CPF4PAYSE.txt")
    return "" if len(block.kept) else block.rejected["motif"].iloc[0]


@pytest.mark.parametrize("field, cell, motif", [
    ("trimestre", "5", common.MOTIF_QUARTER), ("trimestre", "", common.MOTIF_QUARTER),
    ("annee", "18", common.MOTIF_YEAR), ("annee", "2101", common.MOTIF_YEAR),
    ("flux", "X", common.MOTIF_FLOW), ("code_departement", "00", common.MOTIF_DEPARTEMENT),
    ("code_region", "11", common.MOTIF_REGION), ("code_a129", "A01", common.MOTIF_A129),
    ("code_cpf4", "111", common.MOTIF_CPF4), ("code_cpf4", "01.1", common.MOTIF_CPF4),
    ("code_pays", "be", common.MOTIF_COUNTRY), ("valeur", "1e3", common.MOTIF_VALUE_NOT_INTEGER),
    ("valeur", "", common.MOTIF_VALUE_NOT_INTEGER), ("valeur", "-1", common.MOTIF_VALUE_NEGATIVE),
    ("valeur", "1000000000001", common.MOTIF_VALUE_TOO_LARGE), ("masse", "x", common.MOTIF_MASS),
    ("masse", "-1", common.MOTIF_MASS), ("masse", "", ""), ("valeur", "0", ""),
])
def test_one_check_per_field(field, cell, motif):
    cells = OFFICIAL_EXPORT.rstrip("\n").split(";")
    cells[dgddi.FIELDS.index(field)] = cell
    assert check_one(";".join(cells) + "\n") == motif


def test_a_line_is_rejected_for_its_first_failing_field_and_an_empty_line_is_one_motif():
    assert check_one("X;5;18;00;11;A01;111;be;x;x\n") == common.MOTIF_QUARTER
    assert check_one("E;3;2018;01;18;A01Z;0111;ZZ;-1;x\n") == common.MOTIF_COUNTRY
    assert check_one(";;;;;;;;;\n") == common.MOTIF_EMPTY


def test_a_checked_block_keeps_canonical_rows_and_counts_what_it_read():
    block = dgddi.check_block((OFFICIAL_EXPORT + "E;3;2018;9A;24;A01Z;0111;BE;10;\n"
                               + "E;3;2018;01;18;A01Z;0111;BE;406473\n").encode(), 7, "f.txt")
    assert block.kept["code_departement"].astype(str).tolist() == ["01", "971"]
    assert block.kept["ligne"].tolist() == [7, 8] and block.kept["masse_kg"].isna().tolist() == [False, True]
    assert block.rejected[["ligne", "motif"]].values.tolist() == [[9, common.MOTIF_FIELD_COUNT]]
    assert block.rejected["detail"].iloc[0] == "9 champs : E;3;2018;01;18;A01Z;0111;BE;406473"
    assert int(block.read["lignes"].sum()) == 3 and float(block.read["euros"].sum()) == 406483.0


def test_a_line_that_is_not_utf8_is_rejected_alone_with_its_number():
    block = dgddi.check_block(OFFICIAL_EXPORT.encode() + b"E;3;2018;01;18;A01Z;\xff;BE;1;1\n"
                              + OFFICIAL_IMPORT.encode(), 3, "f.txt")
    assert block.kept["ligne"].tolist() == [3, 5]
    assert block.rejected[["ligne", "motif"]].values.tolist() == [[4, common.MOTIF_UNREADABLE]]
    assert block.rejected["detail"].iloc[0].startswith("octet 0xff en position 21, pas de l'UTF-8")
    assert int(block.read["lignes"].sum()) == 3


def test_a_line_of_megabytes_is_rejected_alone():
    block = dgddi.check_block(OFFICIAL_EXPORT.encode() + b"E;" + b"1" * (2 << 20) + b"\n" + OFFICIAL_IMPORT.encode(),
                              1, "f.txt")
    assert block.kept["ligne"].tolist() == [1, 3]
    assert block.rejected[["ligne", "motif"]].values.tolist() == [[2, common.MOTIF_UNREADABLE]]


def test_a_block_unreadable_otherwise_still_names_its_lines(monkeypatch):
    import pyarrow as pa

    def unreadable(data):
        raise pa.ArrowInvalid("panne")

    monkeypatch.setattr(dgddi, "_arrow_table", unreadable)
    with pytest.raises(InputDataError, match=r"^f\.txt : lignes 3 à 4 illisibles \(panne\)"):
        dgddi.check_block(OFFICIAL_EXPORT.encode() * 2, 3, "f.txt")


def source_of(path):
    return dgddi.Source(path.name, path.stat().st_size, lambda: path.open("rb"))


def test_the_official_header_line_is_skipped_and_lines_keep_their_numbers(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text("\ufeffFlux;Trimestre;Année;Code département;Code région;Code A129;Code CPF4;Code Pays;Valeur;Masse\r\n"
                    + OFFICIAL_EXPORT + "E;5;2018;01;18;A01Z;0111;BE;1;1\n", encoding="utf-8")
    assert dgddi.looks_regional(path.read_bytes())
    blocks = list(dgddi.read_source(source_of(path)))
    assert [int(line) for b in blocks for line in b.kept["ligne"]] == [2]
    assert [int(line) for b in blocks for line in b.rejected["ligne"]] == [3]
    assert float(blocks[0].kept["valeur_eur"].sum()) == 406473.0  # euros, as the official files


def test_a_file_without_its_last_line_end_is_refused(tmp_path):
    path = tmp_path / "REGIONAL_CPF4PAYSE.txt"
    path.write_text(OFFICIAL_EXPORT * 3 + "E;3;2018;01;18;A01Z;0111;DE;5000;1", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"^REGIONAL_CPF4PAYSE\.txt : la dernière ligne \(4\) ne finit pas"):
        list(dgddi.read_source(source_of(path), block_bytes=64))
