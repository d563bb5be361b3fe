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


# --- The levelled worksheets of a région's or France's workbook ---------------------------------------------------

def _texts_written(worksheet_class, tmp_path) -> dict[str, str]:
    """What a sheet of `worksheet_class` holds after a string, a generic write and a table's header."""
    path = tmp_path / "levelled.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Feuille", worksheet_class=worksheet_class)
    ws.write_string(0, 0, "le département")
    ws.write(1, 0, "du département")
    ws.write_number(2, 0, 3)
    ws.add_table(4, 0, 5, 0, {"columns": [{"header": "Part du département"}]})
    book.close()
    sheet = openpyxl.load_workbook(path)["Feuille"]
    return {"string": sheet["A1"].value, "write": sheet["A2"].value, "header": sheet["A5"].value,
            "number": sheet["A3"].value}


def test_a_levelled_worksheet_rewrites_every_text_cell(tmp_path):
    assert xlsx_internals.can_rewrite_strings()
    levelled = xlsx_internals.levelled_worksheet_class(lambda text: text.replace("département", "région"))
    assert issubclass(levelled, Worksheet)
    assert _texts_written(levelled, tmp_path) == {"string": "le région", "write": "du région",
                                                  "header": "Part du région", "number": 3}


def test_cannot_rewrite_strings_without_the_private_method(monkeypatch):
    monkeypatch.delattr(Worksheet, "_write_string")
    assert xlsx_internals.can_rewrite_strings() is False


def test_without_the_private_method_the_public_one_is_overridden(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_internals, "can_rewrite_strings", lambda: False)
    levelled = xlsx_internals.levelled_worksheet_class(lambda text: text.replace("département", "région"))
    assert "_write_string" not in vars(levelled) and "write_string" in vars(levelled)
    # A table's header cells and generic writes keep their text on the public route.
    assert _texts_written(levelled, tmp_path) == {"string": "le région", "write": "du département",
                                                  "header": "Part du département", "number": 3}


def test_both_routes_write_the_same_region_workbook(fiche_r75, level_documents, tmp_path, monkeypatch):
    from fichex import api

    private = level_documents["r75.xlsx"]  # written by the private route, the default
    assert xlsx_internals.can_rewrite_strings()
    monkeypatch.setattr(xlsx_internals, "can_rewrite_strings", lambda: False)
    api.write_workbook(fiche_r75, tmp_path / "public.xlsx")
    assert private.read_bytes() == (tmp_path / "public.xlsx").read_bytes()
    cells = [c.value for ws in openpyxl.load_workbook(tmp_path / "public.xlsx").worksheets for row in ws.iter_rows()
             for c in row if isinstance(c.value, str)]
    assert "Territoires d'industrie de la région" in " ".join(cells)
    assert not [c for c in cells if "Territoires d'industrie du département" in c]
