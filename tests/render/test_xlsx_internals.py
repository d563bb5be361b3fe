"""Every use of XlsxWriter's private API (render/xlsx_internals.py): when each is taken, and that it writes what
the public route writes — the Données fast path, and the worksheets of a région's or France's workbook."""

from __future__ import annotations

import io

import openpyxl
import pytest
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from fichex.render import xlsx_internals
from fichex.render.xlsx import write_workbook


@pytest.fixture
def workbook():
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    yield book
    book.close()


def test_can_stream_on_a_fresh_worksheet(workbook):
    ws = workbook.add_worksheet()
    assert xlsx_internals.can_stream(ws)
    assert xlsx_internals.can_stream(ws, [workbook.add_format({"num_format": "#,##0"}), None])


@pytest.mark.parametrize("name", xlsx_internals._WORKSHEET_ATTRIBUTES)
def test_cannot_stream_without_a_private_attribute(workbook, monkeypatch, name):
    ws = workbook.add_worksheet()
    # Methods live on the class, the rest on the instance.
    monkeypatch.delattr(ws if name in vars(ws) else Worksheet, name)
    assert not hasattr(ws, name)
    assert xlsx_internals.can_stream(ws) is False


def test_cannot_stream_without_the_shared_string_index(workbook, monkeypatch):
    ws = workbook.add_worksheet()
    monkeypatch.delattr(type(ws.str_table), "_get_shared_string_index")
    assert xlsx_internals.can_stream(ws) is False


def test_cannot_stream_with_a_format_lacking_its_style_index(workbook):
    ws = workbook.add_worksheet()
    assert xlsx_internals.can_stream(ws, [object()]) is False


def test_cannot_stream_in_constant_memory_mode(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "constant.xlsx"), {"constant_memory": True})
    try:
        ws = book.add_worksheet()
        assert ws.constant_memory
        assert xlsx_internals.can_stream(ws) is False
    finally:
        book.close()


def test_streamed_rows_equal_cell_by_cell_rows(tmp_path, fiche_23, monkeypatch):
    fast = tmp_path / "fast.xlsx"
    slow = tmp_path / "slow.xlsx"
    streamed = []
    stream_rows = xlsx_internals.stream_rows
    monkeypatch.setattr(xlsx_internals, "stream_rows",
                        lambda ws, first, columns, hidden=None: streamed.append(first)
                        or stream_rows(ws, first, columns, hidden))
    write_workbook(fiche_23, fast)
    assert streamed, "the fast path was not taken"
    monkeypatch.setattr(xlsx_internals, "can_stream", lambda ws, formats=(): False)
    write_workbook(fiche_23, slow)
    assert len(streamed) == 1, "the public path streamed rows"
    a, b = openpyxl.load_workbook(fast)["Données"], openpyxl.load_workbook(slow)["Données"]
    rows = list(a.iter_rows(values_only=True))
    assert len(rows) == 3 + len(fiche_23.detail)
    assert rows == list(b.iter_rows(values_only=True))
    assert a.dimensions == b.dimensions
    assert not a.tables and not b.tables
    assert a.auto_filter.ref == b.auto_filter.ref == f"A3:S{3 + len(fiche_23.detail)}"
    # The rows the year filter hides, hidden alike (and some are).
    hidden_a = [r for r in range(4, a.max_row + 1) if a.row_dimensions[r].hidden]
    hidden_b = [r for r in range(4, b.max_row + 1) if b.row_dimensions[r].hidden]
    assert hidden_a == hidden_b and hidden_a
    last = a.max_row
    assert [c.number_format for c in a[4]] == [c.number_format for c in b[4]]
    assert [c.number_format for c in a[last]] == [c.number_format for c in b[last]]
    assert a["S4"].number_format == b["S4"].number_format


def test_streamed_rows_are_the_same_in_chunks(fiche_23, tmp_path, monkeypatch):
    from fichex.render import xlsx_internals
    from fichex.render.xlsx import write_workbook

    write_workbook(fiche_23, tmp_path / "whole.xlsx")
    monkeypatch.setattr(xlsx_internals, "STREAM_CHUNK_ROWS", 7)
    write_workbook(fiche_23, tmp_path / "chunks.xlsx")
    assert len(fiche_23.detail) > 7 * 3
    assert (tmp_path / "whole.xlsx").read_bytes() == (tmp_path / "chunks.xlsx").read_bytes()
