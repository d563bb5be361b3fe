"""Every use of XlsxWriter's private API (render/xlsx_internals.py): when each is taken, and that it writes what
the public route writes — the Données fast path, the worksheets of a région's or France's workbook, and the
PivotTable step's copy of compressed entries."""

from __future__ import annotations

import datetime
import io
import zipfile

import openpyxl
import pytest
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from fichex.render import xlsx_internals
from fichex.render.xlsx import pivot_package, write_workbook


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


def workbook_with_a_long_sheet(path):
    """A workbook of XlsxWriter's whose first sheet is several hundred KB of XML (several copy chunks)."""
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": datetime.datetime(2024, 5, 1)})
    sheet = book.add_worksheet("Données")
    for row in range(4_000):
        sheet.write_row(row, 0, [f"pays {row % 97}", row * 1.25, f"produit {row % 13}"])
    book.add_worksheet("Tableau croisé")
    book.close()
    return path


def test_pivot_rewrite_copies_compressed_entries_as_the_public_route_writes_them(tmp_path, monkeypatch):
    """Copying XlsxWriter's compressed bytes gives the bytes that inflating and deflating them again gives."""
    tables = [(b"<c/>", b"<t/>")]
    fast, public = workbook_with_a_long_sheet(tmp_path / "fast.xlsx"), workbook_with_a_long_sheet(tmp_path / "p.xlsx")
    copied, copy = [], xlsx_internals.copy_compressed
    monkeypatch.setattr(xlsx_internals, "COPY_CHUNK", 4096)
    monkeypatch.setattr(pivot_package, "copy_compressed", lambda *a: copied.append(a[1].filename) or copy(*a))
    with zipfile.ZipFile(fast) as package:
        sheet = package.read("xl/worksheets/sheet1.xml")
    pivot_package.add_pivot_parts(fast, "Tableau croisé", tables)
    monkeypatch.setattr(pivot_package, "copy_compressed", lambda *a: False)  # the public route
    pivot_package.add_pivot_parts(public, "Tableau croisé", tables)
    assert "xl/worksheets/sheet1.xml" in copied and "xl/workbook.xml" not in copied
    assert fast.read_bytes() == public.read_bytes()
    with zipfile.ZipFile(fast) as package:
        assert package.testzip() is None  # every CRC checks
        assert package.read("xl/worksheets/sheet1.xml") == sheet and len(sheet) > 4 * 4096


def test_copy_compressed_declines_without_zipfile_write_state(tmp_path, monkeypatch):
    source = workbook_with_a_long_sheet(tmp_path / "w.xlsx")
    monkeypatch.delattr(zipfile.ZipFile, "_writecheck")
    out = io.BytesIO()
    with zipfile.ZipFile(source) as package, open(source, "rb") as raw, zipfile.ZipFile(out, "w") as target:
        info = package.infolist()[0]
        entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
        entry.compress_type = zipfile.ZIP_DEFLATED
        assert not xlsx_internals.copy_compressed(raw, info, target, entry)
        assert target.filelist == [] and out.tell() == 0


def test_copy_compressed_declines_another_compression(tmp_path):
    source = workbook_with_a_long_sheet(tmp_path / "w.xlsx")
    with zipfile.ZipFile(source) as package, open(source, "rb") as raw, \
            zipfile.ZipFile(io.BytesIO(), "w") as target:
        info = package.infolist()[0]
        stored = zipfile.ZipInfo(info.filename, date_time=info.date_time)  # ZIP_STORED: the bytes would differ
        assert not xlsx_internals.copy_compressed(raw, info, target, stored)
        assert target.filelist == []


def _sheet_xml(columns, hidden, stream: bool) -> bytes:
    """The first sheet's XML and the shared strings of a workbook holding `columns` (values, a number or not)
    under a header row, streamed or written cell by cell as render.xlsx.data_sheet writes them (column by column)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet()
    number = book.add_format({"num_format": "#,##0"})
    number._get_xf_index()  # the fast path numbers its format when it streams: the same index both ways
    for j in range(len(columns)):  # a header row over every column, as the Données sheet's (the same spans)
        ws.write_string(2, j, f"titre {j}")
    cols = [(values, number if is_number else None) for values, is_number in columns]
    if stream:
        assert xlsx_internals.can_stream(ws, [number])
        xlsx_internals.stream_rows(ws, 3, cols, hidden)
    else:
        for j, (values, fmt) in enumerate(cols):
            for i, value in enumerate(values.cells() if isinstance(values, xlsx_internals.CodedTexts) else values):
                if fmt is not None:
                    ws.write_number(3 + i, j, value, fmt)
                elif value != "":
                    ws.write_string(3 + i, j, value)
        for i in range(len(hidden)):
            if hidden[i]:
                ws.set_row(3 + i, None, None, {"hidden": True})
    book.close()
    with zipfile.ZipFile(out) as package:
        return package.read("xl/worksheets/sheet1.xml") + package.read("xl/sharedStrings.xml")


@pytest.mark.parametrize("chunk", [2, 32_768])
def test_streamed_rows_are_the_sheet_xml_of_the_public_route(monkeypatch, chunk):
    """Byte for byte, rows with empty texts (no cell written) and hidden rows included, in one chunk or several."""
    import numpy as np
    import pandas as pd

    monkeypatch.setattr(xlsx_internals, "STREAM_CHUNK_ROWS", chunk)
    texts = ["FR", "", "DE & <co>", "FR", "", "IT", "DE & <co>"]
    other = ["", "x", "y", "x", "z", "", "y"]
    numbers = [1.5, -2.0, 1e17, 0.1 + 0.2, 0.0, 123456789.0, 7.0]
    hidden = np.array([False, True, False, True, True, False, False])
    coded = xlsx_internals.CodedTexts(np.array([2, 0, 1, 1, 3, 2, 0]), ["b", "", "a & b", "c"])
    assert list(coded.cells()) == ["a & b", "b", "", "", "c", "a & b", "b"]
    columns = [(texts, False), (numbers, True), (pd.Categorical(other), False), (numbers[::-1], True), (coded, False)]
    streamed = _sheet_xml(columns, hidden, stream=True)
    assert b'<row r="5" spans="1:5" hidden="1"><c r="B5" s="1"><v>-2</v></c>' in streamed
    assert streamed == _sheet_xml(columns, hidden, stream=False)


def _every_kind_of_row(book: xlsxwriter.Workbook, faster: bool) -> None:
    """A sheet with every kind of cell and row XlsxWriter writes: numbers, dates, texts, rich texts, blanks,
    formulas, booleans, a row format, a column format, a hidden and a tall row, a comment on an empty row."""
    ws = book.add_worksheet()
    if faster:
        assert xlsx_internals.write_rows_faster(ws)
    bold, money = book.add_format({"bold": True}), book.add_format({"num_format": "#,##0.0"})
    ws.set_column(3, 3, 12, book.add_format({"italic": True}))
    ws.write_string(0, 0, "Pays & « zones »", bold)
    ws.write_number(0, 1, 1234.5678, money)
    ws.write_number(0, 3, 7)  # the column's format
    ws.write_rich_string(1, 0, "un ", bold, "gras", " texte")
    ws.write_blank(1, 2, None, money)
    ws.write_formula(1, 1, "=B1*2", money, 2469.1356)
    ws.write_boolean(2, 4, True)
    ws.write_datetime(2, 0, datetime.datetime(2024, 5, 1), book.add_format({"num_format": "yyyy-mm-dd"}))
    ws.set_row(3, 30, book.add_format({"bg_color": "#EEEEEE"}))
    ws.write_string(3, 1, "ligne formatée")
    ws.set_row(4, None, None, {"hidden": True})
    ws.write_number(4, 0, -0.000001)
    ws.write_comment(6, 2, "une note")
    ws.write_comment(40, 9, "right of the cells of its rows")  # the spans count comments
    ws.write_comment(100, 5, "alone in its block of rows")
    ws.merge_range(20, 0, 20, 3, "fusion", bold)
    for row in range(30, 70):
        ws.write_row(row, 0, [f"pays {row % 7}", row * 1.5, None, row])


@pytest.mark.parametrize("build", ["every_kind", "fiche_23", "fiche_r75", "fiche_france"])
def test_rows_written_faster_are_xlsxwriters_bytes(tmp_path, monkeypatch, request, build):
    """The whole workbook, byte for byte, with XlsxWriter's own row writer and with write_rows_faster."""
    taken = []
    faster = xlsx_internals.write_rows_faster
    files = {}
    for name, replacement in (("own", lambda ws: False), ("faster", lambda ws: taken.append(ws) or faster(ws))):
        monkeypatch.setattr(xlsx_internals, "write_rows_faster", replacement)
        path = files[name] = tmp_path / f"{name}.xlsx"
        if build == "every_kind":
            book = xlsxwriter.Workbook(str(path))
            book.set_properties({"created": datetime.datetime(2024, 5, 1)})
            _every_kind_of_row(book, faster=name == "faster")
            book.close()
        else:
            write_workbook(request.getfixturevalue(build), path, command="fichex build", version="1")
    assert len(taken) >= (1 if build == "every_kind" else 11), "the faster path was not taken"
    assert files["own"].read_bytes() == files["faster"].read_bytes()


@pytest.mark.parametrize("name", xlsx_internals._ROW_WRITER_ATTRIBUTES)
def test_rows_not_written_faster_without_a_private_attribute(workbook, monkeypatch, name):
    ws = workbook.add_worksheet()
    monkeypatch.delattr(ws if name in vars(ws) else Worksheet, name)
    assert xlsx_internals.can_write_rows(ws) is False
    assert xlsx_internals.write_rows_faster(ws) is False
    assert "_write_rows" not in vars(ws)


def test_rows_not_written_faster_in_constant_memory_mode(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "constant.xlsx"), {"constant_memory": True})
    try:
        assert xlsx_internals.write_rows_faster(book.add_worksheet()) is False
    finally:
        book.close()


def _put_rows_workbook(path, fast: bool) -> None:
    """A sheet of rows through put_row, or through write_string / write_number, with the values either treats
    apart: a text long enough to be cut, an int, a bool, a numpy float, a Fraction, a huge number."""
    import fractions

    import numpy as np

    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": datetime.datetime(2024, 5, 1)})
    ws = book.add_worksheet()
    money = book.add_format({"num_format": "#,##0.0"})
    rows = [[(0, "Allemagne", None), (1, 12.5, money), (3, 7, None), (2, "Allemagne", money)],
            [(4, "x" * 40_000, None), (0, True, None), (1, np.float64(0.1), money)],
            [(0, fractions.Fraction(1, 3), money), (1, 1e308, None), (2, "é & <b>", None), (5, -0.0, money)],
            []]
    for row, cells in enumerate(rows, start=3):
        if fast:
            xlsx_internals.put_row(ws, row, cells)
        else:
            for col, value, fmt in cells:
                (ws.write_string if isinstance(value, str) else ws.write_number)(row, col, value, fmt)
    book.close()


def test_put_row_stores_what_write_string_and_write_number_store(tmp_path, monkeypatch):
    stored = []
    store = xlsx_internals._STRING_CELL
    monkeypatch.setattr(xlsx_internals, "_STRING_CELL", lambda *a: stored.append(a) or store(*a))
    _put_rows_workbook(tmp_path / "fast.xlsx", fast=True)
    assert stored, "the fast path was not taken"
    _put_rows_workbook(tmp_path / "public.xlsx", fast=False)
    assert (tmp_path / "fast.xlsx").read_bytes() == (tmp_path / "public.xlsx").read_bytes()


def test_put_row_refuses_what_write_number_refuses(workbook):
    ws = workbook.add_worksheet()
    with pytest.raises(TypeError, match="NAN/INF"):
        xlsx_internals.put_row(ws, 0, [(0, float("nan"), None)])


@pytest.mark.parametrize("build", ["fiche_23", "fiche_r75"])
def test_workbooks_with_cells_put_are_the_public_routes_bytes(tmp_path, monkeypatch, request, build):
    fiche = request.getfixturevalue(build)
    write_workbook(fiche, tmp_path / "fast.xlsx", command="fichex build", version="1")
    monkeypatch.setattr(xlsx_internals, "can_put_cells", lambda ws: False)
    write_workbook(fiche, tmp_path / "public.xlsx", command="fichex build", version="1")
    assert (tmp_path / "fast.xlsx").read_bytes() == (tmp_path / "public.xlsx").read_bytes()


@pytest.mark.parametrize("name", xlsx_internals._CELL_STORE_ATTRIBUTES)
def test_cells_not_put_without_a_private_attribute(workbook, monkeypatch, name):
    ws = workbook.add_worksheet()
    monkeypatch.delattr(ws if name in vars(ws) else Worksheet, name)
    assert xlsx_internals.can_put_cells(ws) is False
