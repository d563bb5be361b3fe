"""Every use of XlsxWriter's private API, in one place: the fast path of the Données sheet.

XlsxWriter spends a few microseconds per cell; the Données table has a few hundred thousand cells, so
its rows are built column-wise here as the sheet XML XlsxWriter itself writes (shared strings, numbers
with their style), 3.5 to 4.8 times faster than `write_string`/`write_number`. This relies on private
attributes (`_write_rows`, `_check_dimensions`, the shared-string table, the table dicts, `Format`'s
style index). `can_stream` checks every one of them before use; when any is missing (a new XlsxWriter
release), `render.xlsx` writes the same cells through the public API instead. pyproject pins XlsxWriter < 4,
and tests/render/test_xlsx_internals.py compares both paths cell by cell.
"""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
import pandas as pd
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_range
from xlsxwriter.worksheet import Worksheet

_WORKSHEET_ATTRIBUTES = ("_write_rows", "_check_dimensions", "str_table", "tables", "fh")
_TABLE_KEYS = ("range", "a_range", "autofilter")

Column = tuple[list, "Format | None"]  # values, and the number format (None: strings)


def can_stream(ws: Worksheet, formats: list[Format | None] = ()) -> bool:
    """Whether every private attribute the fast path uses is there (and the sheet is not in constant-memory mode)."""
    if not all(hasattr(ws, name) for name in _WORKSHEET_ATTRIBUTES) or getattr(ws, "constant_memory", False):
        return False
    strings = ws.str_table
    if not (hasattr(strings, "_get_shared_string_index") and hasattr(strings, "count")):
        return False
    return all(hasattr(fmt, "_get_xf_index") for fmt in formats if fmt is not None) and _table_layout_known()


@lru_cache(maxsize=1)
def _table_layout_known() -> bool:
    """Whether a table declared with the public API is a dict with the range keys `extend_last_table`
    rewrites, probed once per process on a scratch in-memory workbook."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    try:
        ws = workbook.add_worksheet()
        ws.add_table(0, 0, 1, 0, {"columns": [{"header": "x"}]})
        table = ws.tables[-1] if getattr(ws, "tables", None) else None
        return isinstance(table, dict) and all(key in table for key in _TABLE_KEYS)
    except Exception:  # any change in XlsxWriter's internals means: use the public path
        return False


def stream_rows(ws: Worksheet, first_row: int, columns: list[Column]) -> None:
    """Write a block of rows as ready-made sheet XML when the workbook is saved.

    The rows are emitted after the rows XlsxWriter holds, which must all lie above this block. Call only
    when `can_stream(ws, formats)` is true.
    """
    n = len(columns[0][0])
    n_cols = len(columns)
    row_numbers = np.arange(first_row + 1, first_row + n + 1).astype(str).astype(object)
    cells = np.full(n, "", dtype=object)
    strings = ws.str_table
    for j, (values, fmt) in enumerate(columns):
        ref = '<c r="' + xl_col_to_name(j) + row_numbers
        if fmt is None:
            codes, uniques = pd.factorize(np.asarray(values, dtype=object))
            # Shared-string indexes in order of first appearance; the empty string stays an empty cell.
            indexes = np.asarray([str(strings._get_shared_string_index(u)) if u != "" else "" for u in uniques],
                                 dtype=object)
            present = np.asarray([u != "" for u in uniques])[codes]
            strings.count += int(present.sum()) - int(sum(1 for u in uniques if u != ""))
            cell = ref + '" t="s"><v>' + indexes[codes] + "</v></c>"
            cells = cells + np.where(present, cell, "")
        else:
            numbers = np.asarray([f"{value:.16G}" for value in values], dtype=object)
            cells = cells + (ref + f'" s="{fmt._get_xf_index()}"><v>' + numbers + "</v></c>")
    rows = '<row r="' + row_numbers + f'" spans="1:{n_cols}">' + cells + "</row>"
    xml = "".join(rows.tolist())
    ws._check_dimensions(first_row + n - 1, n_cols - 1)
    write_held_rows = ws._write_rows

    def write_rows() -> None:
        write_held_rows()
        ws.fh.write(xml)

    ws._write_rows = write_rows


def extend_last_table(ws: Worksheet, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """Stretch the sheet's last table over (first_row, first_col)–(last_row, last_col).

    XlsxWriter checks table overlaps cell by cell, so a streamed table is declared over one data row and
    widened here. Call only when `can_stream` is true (it checks the table layout this rewrites).
    """
    table = ws.tables[-1]
    full = xl_range(first_row, first_col, last_row, last_col)
    for key in _TABLE_KEYS:
        table[key] = full
