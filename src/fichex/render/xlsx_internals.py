"""Every use of XlsxWriter's private API, in one place, each guarded, with the public route as fallback.

1. The fast path of the Données sheet. XlsxWriter spends a few microseconds per cell; the Données table has
   a few hundred thousand cells, so its rows are built column-wise here as the sheet XML XlsxWriter itself
   writes (shared strings, numbers with their style), 3.5 to 4.8 times faster than
   `write_string`/`write_number`. This relies on private attributes (`_write_rows`, `_check_dimensions`, the
   shared-string table, `Format`'s style index). `can_stream` checks every one of them before use; when any
   is missing (a new XlsxWriter release), `render.xlsx.data_sheet` writes the same cells through the public
   API instead.
2. The rows of every sheet of a workbook (`write_rows_faster`): XlsxWriter writes each cell's XML through a
   general routine (attribute lists, escaping, a dispatch on the cell's type name); its numbers, texts and
   blank cells, a few thousand a workbook, are written here as the same XML, the other cells and the row
   tags by XlsxWriter itself. It replaces the sheet's `_write_rows` and reads its cell table, row and
   column formats (`can_write_rows` checks each of them and XlsxWriter's cell types); without them the
   sheet keeps XlsxWriter's own writer.
3. The cells of the big tables (`put_row`): `write_string`/`write_number` check the arguments and the
   sheet's bounds cell by cell; a row's texts and numbers are stored here as XlsxWriter stores them (its
   cell tuples, the shared-string table in the same order), the bounds checked once a row
   (`can_put_cells` checks the table, the shared strings and the dimension check).
4. The PivotTable step's copy of the workbook's unchanged entries (render.xlsx.pivot_package): their
   compressed bytes are copied as XlsxWriter wrote them instead of being inflated and deflated again, which
   needs zipfile's private write state (`fp`, `start_dir`, `filelist`, `NameToInfo`, `_writecheck`).
   `copy_compressed` returns False when any of it is missing, and the entry is copied the public way.
pyproject pins XlsxWriter < 4, and tests/render/test_xlsx_internals.py compares both paths of each (byte
for byte for the rows).
"""

from __future__ import annotations

import functools
import itertools
import math
import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO, Iterator

import numpy as np
import pandas as pd
from xlsxwriter import worksheet as worksheet_module
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

_WORKSHEET_ATTRIBUTES = ("_write_rows", "_check_dimensions", "str_table", "fh")

Column = tuple[list, "Format | None"]  # values, and the number format (None: strings)


@dataclass(frozen=True)
class CodedTexts:
    """A text column held compact: each cell's code into `texts`, its distinct texts (« » an empty cell)."""

    codes: np.ndarray
    texts: list[str]

    def __len__(self) -> int:
        return len(self.codes)

    def cells(self) -> Iterator[str]:
        """Each cell's text, in order."""
        texts = self.texts
        return (texts[code] for code in self.codes.tolist())

    def in_order_of_appearance(self) -> tuple[np.ndarray, list[str]]:
        """The codes and texts renumbered in the order the texts first appear (what `pd.factorize` gives)."""
        used, first = np.unique(self.codes, return_index=True)
        used = used[np.argsort(first, kind="stable")]
        renumber = np.zeros(len(self.texts), dtype=np.int64)
        renumber[used] = np.arange(len(used))
        return renumber[self.codes], [self.texts[code] for code in used.tolist()]


def can_stream(ws: Worksheet, formats: list[Format | None] = ()) -> bool:
    """Whether every private attribute the fast path uses is there (and the sheet is not in constant-memory mode)."""
    if not all(hasattr(ws, name) for name in _WORKSHEET_ATTRIBUTES) or getattr(ws, "constant_memory", False):
        return False
    strings = ws.str_table
    if not (hasattr(strings, "_get_shared_string_index") and hasattr(strings, "count")):
        return False
    return all(hasattr(fmt, "_get_xf_index") for fmt in formats if fmt is not None)


STREAM_CHUNK_ROWS = 32_768


def stream_rows(ws: Worksheet, first_row: int, columns: list[Column], hidden: np.ndarray | None = None) -> None:
    """Write a block of rows as ready-made sheet XML when the workbook is saved.

    The rows are emitted after the rows XlsxWriter holds, which must all lie above this block. Call only
    when `can_stream(ws, formats)` is true. A text column is a list, an array, a categorical or `CodedTexts`
    (its texts distinct). Each column is kept compact until then (shared-string indexes
    as integer codes, numbers as floats); the XML is made and written STREAM_CHUNK_ROWS rows at a time,
    so memory holds one chunk of XML, not the whole sheet. `hidden` (one boolean a row) marks the rows an
    autofilter hides, as `set_row(row, None, None, {"hidden": True})` would.
    """
    n = len(columns[0][0])
    n_cols = len(columns)
    hidden = np.zeros(n, dtype=bool) if hidden is None else np.asarray(hidden, dtype=bool)
    strings = ws.str_table
    compact = []
    for j, (values, fmt) in enumerate(columns):
        letter = xl_col_to_name(j)
        if fmt is None:
            if isinstance(values, CodedTexts):
                codes, uniques = values.in_order_of_appearance()
            else:
                codes, uniques = pd.factorize(values if isinstance(values, pd.Categorical)
                                              else np.asarray(values, dtype=object))
                uniques = [str(u) for u in uniques]
            # Shared-string indexes in order of first appearance; the empty string stays an empty cell.
            indexes = np.asarray([str(strings._get_shared_string_index(u)) if u != "" else "" for u in uniques],
                                 dtype=object)
            filled = np.asarray([u != "" for u in uniques], dtype=bool)
            strings.count += int(filled[codes].sum()) - int(filled.sum())
            compact.append((letter, None, codes.astype(np.int32), indexes, filled))
        else:
            compact.append((letter, f'" s="{fmt._get_xf_index()}"><v>', np.asarray(values, dtype="float64"),
                            None, None))
    ws._check_dimensions(first_row + n - 1, n_cols - 1)
    write_held_rows = ws._write_rows

    def write_rows() -> None:
        write_held_rows()
        for start in range(0, n, STREAM_CHUNK_ROWS):
            stop = min(start + STREAM_CHUNK_ROWS, n)
            ws.fh.write(_rows_xml(compact, first_row, start, stop - start, n_cols, hidden[start:stop]))

    ws._write_rows = write_rows


def _rows_xml(compact: list, first_row: int, offset: int, n: int, n_cols: int, hidden: np.ndarray) -> str:
    """The XML of the n rows of the compact columns (see stream_rows) from position `offset`, the block
    starting at sheet row `first_row` (0-based); `hidden` holds those n rows' flags.

    A row is its number joined between ready-made pieces: the row tag's end with the first cell's column,
    then each cell's end (its value) with the next cell's column (`str.join`, no string built a cell). A
    row with an empty text cell (no cell written) is made cell by cell instead."""
    row_numbers = [str(number) for number in range(first_row + offset + 1, first_row + offset + n + 1)]
    spans = f'" spans="1:{n_cols}"'
    first_cell = '><c r="' + compact[0][0]
    pieces: list = [itertools.repeat('<row r="'),
                    np.where(hidden, spans + ' hidden="1"' + first_cell, spans + first_cell).tolist()]
    empty = np.zeros(n, dtype=bool)
    ends = ['<c r="' + letter for letter, *_ in compact[1:]] + ["</row>"]
    for (letter, style, data, indexes, filled), end in zip(compact, ends):
        part = data[offset:offset + n]
        if style is None:
            tails = np.asarray(['" t="s"><v>' + index + "</v></c>" + end for index in indexes.tolist()], dtype=object)
            pieces.append(tails[part].tolist())
            empty |= ~filled[part]
        else:
            end = "</v></c>" + end
            pieces.append([f"{style}{value:.16G}{end}" for value in part.tolist()])
    rows = [number.join(row) for number, row in zip(row_numbers, zip(*pieces))]
    for i in np.flatnonzero(empty).tolist():
        rows[i] = _row_xml(compact, row_numbers[i], offset + i, spans + (' hidden="1">' if hidden[i] else ">"))
    return "".join(rows)


def _row_xml(compact: list, number: str, position: int, row_tag_end: str) -> str:
    """One row of the compact columns, cell by cell (an empty text writes no cell)."""
    cells = []
    for letter, style, data, indexes, filled in compact:
        value = data[position]
        if style is None:
            if filled[value]:
                cells.append(f'<c r="{letter}{number}" t="s"><v>{indexes[value]}</v></c>')
        else:
            cells.append(f'<c r="{letter}{number}{style}{value:.16G}</v></c>')
    return f'<row r="{number}{row_tag_end}' + "".join(cells) + "</row>"


_ROW_WRITER_ATTRIBUTES = ("_write_rows", "_write_row", "_write_empty_row", "_write_cell",
                          "table", "row_info", "comments", "row_spans", "col_info", "dim_rowmin", "dim_rowmax")
# XlsxWriter's cells written here (the others by its own `_write_cell`): by their class, not their name.
_NUMBER_CELLS = tuple(filter(None, (getattr(worksheet_module, name, None)
                                    for name in ("CellNumberTuple", "CellDatetimeTuple"))))
_STRING_CELLS = tuple(filter(None, (getattr(worksheet_module, name, None)
                                    for name in ("CellStringTuple", "CellRichStringTuple"))))
_BLANK_CELL = getattr(worksheet_module, "CellBlankTuple", None)


def can_write_rows(ws: Worksheet) -> bool:
    """Whether every private attribute `write_rows_faster` uses is there (and the sheet is not in
    constant-memory mode, which writes its rows as they come)."""
    return (all(hasattr(ws, name) for name in _ROW_WRITER_ATTRIBUTES) and not getattr(ws, "constant_memory", True)
            and len(_NUMBER_CELLS) == 2 and len(_STRING_CELLS) == 2 and _BLANK_CELL is not None)


def write_rows_faster(ws: Worksheet) -> bool:
    """Have the sheet's rows written when the workbook is saved by `_write_held_rows` (the same XML as
    XlsxWriter's `_write_rows`, its numbers, texts and blank cells made here) instead of XlsxWriter's cell
    writer. Call before `stream_rows`, which writes these rows first. False, nothing changed, when
    `can_write_rows` is not true."""
    if not can_write_rows(ws):
        return False
    ws._write_rows = functools.partial(_write_held_rows, ws)
    return True


def _row_spans(ws: Worksheet) -> dict[int, str]:
    """XlsxWriter's `_calculate_spans`: for each block of 16 rows holding cells or comments, its first and
    last column (1-based, « 2:7 »), from the rows that hold something rather than every row of the sheet."""
    bounds: dict[int, tuple[int, int]] = {}
    for held in (ws.table, ws.comments):
        for row_num, cells in held.items():
            if cells and ws.dim_rowmin <= row_num <= ws.dim_rowmax:
                block, low, high = row_num // 16, min(cells), max(cells)
                if block in bounds:
                    low, high = min(low, bounds[block][0]), max(high, bounds[block][1])
                bounds[block] = (low, high)
    return {block: f"{low + 1}:{high + 1}" for block, (low, high) in bounds.items()}


def _write_held_rows(ws: Worksheet) -> None:
    """XlsxWriter's `Worksheet._write_rows`: its rows in order (a row with cells, or only formatting or
    comments), each cell's style index taken in the same order (the style numbering follows first use),
    the row tags and other cell kinds written by XlsxWriter itself."""
    table, row_info, comments = ws.table, ws.row_info, ws.comments
    col_info, write = ws.col_info, ws.fh.write
    first, last = ws.dim_rowmin, ws.dim_rowmax
    spans = ws.row_spans = _row_spans(ws)
    styles: dict[int, str] = {id(None): ""}  # each format's attribute, once its index is taken
    letters: dict[int, str] = {}
    for row_num in sorted(r for r in {*table, *row_info, *comments} if first <= r <= last):
        span = spans.get(row_num // 16)
        info = row_info.get(row_num)
        cells = table.get(row_num)
        if not cells:  # formatting or comments only (a row the table holds empty is not written)
            if info is not None or row_num in comments:
                ws._write_empty_row(row_num, span, info)
            continue
        ws._write_row(row_num, span, info)
        row_format = info.row_format if info else None
        number = str(row_num + 1)
        xml = []
        for col_num in sorted(cells):
            cell = cells[col_num]
            kind = type(cell)
            if kind not in _NUMBER_CELLS and kind not in _STRING_CELLS and kind is not _BLANK_CELL:
                write("".join(xml))
                xml = []
                ws._write_cell(row_num, col_num, cell)
                continue
            # The cell's format, else its row's, else its column's (as XlsxWriter chooses).
            fmt = cell.format or row_format or (col_info[col_num].column_format if col_num in col_info else None)
            style = styles.get(id(fmt))
            if style is None:
                style = styles[id(fmt)] = f' s="{fmt._get_xf_index()}"'
            letter = letters.get(col_num)
            if letter is None:
                letter = letters[col_num] = xl_col_to_name(col_num)
            ref = letter + number
            if kind in _NUMBER_CELLS:
                xml.append(f'<c r="{ref}"{style}><v>{cell.number:.16G}</v></c>')
            elif kind in _STRING_CELLS:
                xml.append(f'<c r="{ref}"{style} t="s"><v>{cell.string}</v></c>')
            else:
                xml.append(f'<c r="{ref}"{style}/>')
        xml.append("</row>")
        write("".join(xml))


_CELL_STORE_ATTRIBUTES = ("table", "str_table", "_check_dimensions", "xls_strmax")
_NUMBER_CELL = getattr(worksheet_module, "CellNumberTuple", None)
_STRING_CELL = getattr(worksheet_module, "CellStringTuple", None)


def can_put_cells(ws: Worksheet) -> bool:
    """Whether every private attribute `put_row` uses is there (and the sheet is not in constant-memory mode)."""
    return (all(hasattr(ws, name) for name in _CELL_STORE_ATTRIBUTES) and not getattr(ws, "constant_memory", True)
            and hasattr(ws.str_table, "_get_shared_string_index")
            and _NUMBER_CELL is not None and _STRING_CELL is not None)


def put_row(ws: Worksheet, row: int, cells: list[tuple[int, object, Format | None]]) -> None:
    """Write one row's (column, value, format) cells, in their order: a text as `write_string`, a number as
    `write_number` would store it (the shared-string table filled in the same order), the sheet's dimensions
    checked once for the row. A value either would treat apart (a text long enough to be cut, a number
    that is not a plain finite int or float) and a sheet without the internals go through them."""
    if not cells:
        return
    columns = [col for col, _, _ in cells]
    fast = can_put_cells(ws) and ws._check_dimensions(row, min(columns)) == 0 \
        and ws._check_dimensions(row, max(columns)) == 0
    if not fast:
        for col, value, fmt in cells:
            (ws.write_string if isinstance(value, str) else ws.write_number)(row, col, value, fmt)
        return
    stored, strings, longest = ws.table[row], ws.str_table, ws.xls_strmax // 2
    for col, value, fmt in cells:
        kind = type(value)
        if kind is str and len(value) <= longest:
            stored[col] = _STRING_CELL(strings._get_shared_string_index(value), fmt)
        elif (kind is float or kind is int) and math.isfinite(value):
            stored[col] = _NUMBER_CELL(value, fmt)
        else:
            (ws.write_string if isinstance(value, str) else ws.write_number)(row, col, value, fmt)


_ZIP_WRITE_STATE = ("fp", "start_dir", "filelist", "NameToInfo", "_writecheck", "_writing", "_seekable",
                    "_didModify")
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # a ZIP entry's local header (APPNOTE 4.3.7), 30 bytes
_UTF8_NAME = 0x800
COPY_CHUNK = 1 << 20


def copy_compressed(source: BinaryIO, info: zipfile.ZipInfo, target: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    """Write the entry `info` of the ZIP file `source` into `target` as `entry` (its name, date, attributes)
    by copying its compressed bytes: what `target.open(entry, "w")` writes from the same content when the
    source was deflated as ZipFile deflates (XlsxWriter writes through ZipFile), without inflating and
    deflating it again. Streamed a chunk at a time. False, with nothing written, when zipfile's write state is
    not as expected or the entry does not fit (another compression, a data descriptor, ZIP64 sizes)."""
    if not all(hasattr(target, name) for name in _ZIP_WRITE_STATE) or target._writing or not target._seekable:
        return False
    if info.compress_type != entry.compress_type or info.flag_bits & ~_UTF8_NAME \
            or max(info.file_size, info.compress_size) * 1.05 > zipfile.ZIP64_LIMIT:
        return False
    source.seek(info.header_offset)
    header = _LOCAL_HEADER.unpack(source.read(_LOCAL_HEADER.size))
    source.seek(header[-2] + header[-1], 1)  # the entry's name and extra field
    # As ZipFile._open_to_write sets them, with the sizes and CRC its closing writes.
    entry.flag_bits = 0
    if not entry.external_attr:
        entry.external_attr = 0o600 << 16
    entry.CRC, entry.compress_size, entry.file_size = info.CRC, info.compress_size, info.file_size
    target.fp.seek(target.start_dir)
    entry.header_offset = target.fp.tell()
    target._writecheck(entry)
    target._didModify = True
    target.fp.write(entry.FileHeader(False))
    left = info.compress_size
    while left:
        chunk = source.read(min(left, COPY_CHUNK))
        if not chunk:
            raise zipfile.BadZipFile(f"entrée tronquée : {info.filename}")
        target.fp.write(chunk)
        left -= len(chunk)
    target.filelist.append(entry)
    target.NameToInfo[entry.filename] = entry
    target.start_dir = target.fp.tell()
    return True
