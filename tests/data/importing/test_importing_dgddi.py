"""The DGDDI regional files checked block by block, one check per field (importing/dgddi.py)."""

import json

import pandas as pd
from typer.testing import CliRunner

from dgddi_samples import MALFORMED, OFFICIAL_EXPORT, OFFICIAL_IMPORT
from fichex.cli import app
from fichex.data.importing import dgddi

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
