"""What the workbook tests share (tests/render/xlsx/): the sheets of a département's workbook, and reading a workbook
back with openpyxl: finding a cell, its texts, widths and heights, a table's rows, a round axis unit."""

from __future__ import annotations

import math

SHEETS = ["Synthèse", "Pays", "Activités", "Flux export", "Flux import", "Comparaison", "Exposition", "Spécialisation",
          "Évolution", "Tableau croisé", "Données", "Méthode"]  # a département's workbook


def find(ws, text: str) -> tuple[int, int]:
    """(row, column) of the first cell holding `text` exactly."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise AssertionError(f"{text!r} not found on {ws.title}")


def strings(ws):
    """(cell, text) of every text cell of a sheet."""
    return [(cell, str(cell.value)) for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)]


def width_chars(ws, col: int) -> float:
    """Width of a column in characters (openpyxl keeps a run of equal columns under its first letter)."""
    for dim in ws.column_dimensions.values():
        if dim.min <= col <= dim.max and dim.width:
            return dim.width
    return 8.43


def col_px(ws, col: int) -> int:
    """Pixel width of a column (openpyxl keeps a run of equal columns under its first letter)."""
    for dim in ws.column_dimensions.values():
        if dim.min <= col <= dim.max:
            return int(dim.width * 7 + 0.5)
    return 64


def merged_width(ws, cell) -> float:
    """Width in characters of the merged cells `cell` starts, or of its column."""
    for merged in ws.merged_cells.ranges:
        if merged.min_row == cell.row and merged.min_col == cell.column:
            return sum(width_chars(ws, c) for c in range(merged.min_col, merged.max_col + 1))
    return width_chars(ws, cell.column)


def row_pt(ws, row: int) -> float:
    """Height of a row in points (15 when left to the default)."""
    return ws.row_dimensions[row].height or 15.0


def table_rows(ws, name: str) -> list[tuple]:
    """The data rows of an Excel Table of a sheet, as tuples of cell values."""
    first, last = ws.tables[name].ref.split(":")
    rows = ws[first:last]
    return [tuple(cell.value for cell in row) for row in rows[1:]]


def is_round_unit(unit: float) -> bool:
    """Whether an axis unit is 1, 2 or 5 × 10^k."""
    exponent = math.floor(math.log10(unit) + 1e-9)
    return round(unit / 10 ** exponent, 9) in (1, 2, 5)
