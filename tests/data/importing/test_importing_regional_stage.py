"""The regional files checked two blocks at a time into the staging folder: the same lines, totals and
errors as when the blocks were checked one after the other."""

import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from fichex.data.importing import dgddi, dgddi_keys, import_files
from fichex.data.importing.dgddi_files import Found
from fichex.data.importing.regional_stage import Stage, check_into_stage
from fichex.errors import InputDataError


def _source(path: Path) -> dgddi.Source:
    return dgddi.Source(path.name, path.stat().st_size, lambda: path.open("rb"))


def _lines(count: int, year: int = 2018) -> str:
    """`count` distinct lines of one year (one CPF4 code a line)."""
    return "".join(f"E;3;{year};01;18;A01Z;{n:04d};BE;{n + 1};1\n" for n in range(count))


def test_blocks_checked_at_once_stage_every_line_with_its_key(tmp_path):
    path = tmp_path / "REGIONAL_CPF4PAYSE.txt"
    path.write_text(_lines(600) + _lines(2, 2019)[:-1] + ";extra\n", encoding="utf-8")
    stage = Stage(tmp_path / "stage")
    stage.folder.mkdir()
    reports = check_into_stage(Found(sources=[_source(path)]), stage, None, None, block_bytes=1024)
    tables = [pq.read_table(p) for p in sorted(stage.folder.glob("kept-*.parquet"))]
    lines = sorted(n for t in tables for n in t.column("ligne").to_pylist())
    assert stage.blocks == len(tables) > 2 and lines == list(range(1, 602))
    assert [(r.rows_read, r.rows_rejected) for r in reports] == [(602, 1)]
    keys = [k for t in tables for k in t.column("cle").to_pylist()]
    assert len(set(keys)) == 601 and stage.seen.repeated().tolist() == []


def test_a_key_repeated_across_blocks_is_seen(tmp_path):
    path = tmp_path / "REGIONAL_CPF4PAYSE.txt"
    path.write_text(_lines(300) + _lines(1), encoding="utf-8")  # line 301 repeats line 1, blocks apart
    stage = Stage(tmp_path / "stage")
    stage.folder.mkdir()
    check_into_stage(Found(sources=[_source(path)]), stage, None, None, block_bytes=1024)
    first = [k for p in stage.folder.glob("kept-*.parquet") for k, line in
             zip(pq.read_table(p).column("cle").to_pylist(), pq.read_table(p).column("ligne").to_pylist())
             if line == 1]
    assert first and set(first) <= set(stage.seen.repeated().tolist())


def test_the_error_is_the_earliest_blocks_even_when_the_file_is_also_cut(tmp_path, monkeypatch):
    """Checked one after the other, the first block's error came first: it still does, though the cut end
    of the file is seen while that block is being checked."""
    check = dgddi.check_block

    def first_block_unreadable(data, first_line, file_name):
        if first_line == 1:
            time.sleep(0.2)  # the reading reaches the cut end meanwhile
            raise InputDataError("bloc 1 illisible")
        return check(data, first_line, file_name)

    monkeypatch.setattr(dgddi, "check_block", first_block_unreadable)
    path = tmp_path / "REGIONAL_CPF4PAYSE.txt"
    path.write_bytes(_lines(40).encode() + b"E;3;2018;01;18")
    stage = Stage(tmp_path / "stage")
    stage.folder.mkdir()
    with pytest.raises(InputDataError, match="bloc 1 illisible"):
        check_into_stage(Found(sources=[_source(path)]), stage, None, None, block_bytes=1024)


def test_duplicates_of_a_non_ascii_cpf4_code_are_found_and_the_table_sorted(tmp_path):
    exotic = "E;3;2018;01;18;A01Z;١٢٣٤;BE;10;1\n"
    path = tmp_path / "REGIONAL_CPF4PAYSE.txt"
    path.write_text(exotic + "E;3;2018;01;18;A01Z;9999;BE;10;1\n" + exotic + "E;3;2018;01;18;A01Z;0111;BE;7;1\n",
                    encoding="utf-8")
    report = import_files([path], tmp_path / "d")
    table = pq.read_table(tmp_path / "d" / "commerce_exterieur.parquet").to_pandas()
    assert table["code_produit"].astype(str).tolist() == ["0111", "9999", "١٢٣٤"]
    assert report.rows_rejected == 1 and report.rows_kept == 3
    assert dgddi_keys.cpf4_numbers(["١٢٣٤"])[1]
