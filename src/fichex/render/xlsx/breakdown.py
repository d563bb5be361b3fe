"""The breakdown sheet of a région's or France's workbook: its départements or its régions, and their chart."""

from __future__ import annotations

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from fichex.wording import grammar as grammar_text, levels as levels_text, workbook as workbook_text
from fichex.aggregation.model import BreakdownPart, Fiche
from fichex.render import theme
from fichex.render.xlsx.base import (FMT_MEUR, ROW_PX, TABLE_NAMES, Formats, add_table, axis_line, chart_font,
                                     color_by_sign, fiche_document, finish_chart, gridlines, header_word_widths,
                                     page_setup, set_widths, share, title_block, write_header_row)

BREAKDOWN_COLS = (6.0, 8.0, 28.0, 16.0, 16.0, 16.0, 12.0, 12.0)
CHART_WIDTH_PX = 760


def write_breakdown_sheet(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: Formats, fiche: Fiche) -> None:
    """One row per part (rank by exports, code, name, exports, imports, balance, shares of the whole), the
    total under it, and a native bar chart of exports and imports by part below, on a printed page of its own."""
    parts = fiche.breakdown
    headers = levels_text.breakdown_headers(fiche.level)
    col_widths = header_word_widths(headers, BREAKDOWN_COLS)
    set_widths(ws, col_widths)
    title = levels_text.breakdown_chart_title(fiche.level, fiche.territory.nom, grammar_text.period(fiche))
    document = fiche_document(fiche)
    row = title_block(ws, formats, document, title, len(headers) - 1)
    ws.write_string(row - 1, 0, workbook_text.XLSX_MEUR_NOTE, formats.muted)
    header_row = row
    write_header_row(ws, formats, row, list(headers), col_widths)
    row = _write_parts(ws, formats, header_row + 1, parts, fiche.exports.total_eur, fiche.imports.total_eur)
    add_table(ws, TABLE_NAMES["repartition"], header_row, 0, len(parts), list(headers),
              [formats.integer, None, None, formats.meur, formats.meur, formats.meur_signed, formats.pct1,
               formats.pct1], formats.header)
    color_by_sign(ws, formats, header_row + 1, 5, row - 1, 5)
    ws.write_string(row, 2, workbook_text.XLSX_TOTAL, formats.total_label)
    ws.write_number(row, 3, sum(p.exports_eur for p in parts), formats.meur)
    ws.write_number(row, 4, sum(p.imports_eur for p in parts), formats.meur)
    ws.write_number(row, 5, sum(p.balance_eur for p in parts), formats.meur_signed)
    chart = _breakdown_chart(workbook, ws.get_name(), header_row + 1, header_row + len(parts), title)
    height = _chart_height(parts)
    chart.set_size({"width": CHART_WIDTH_PX, "height": height})
    chart_row = row + 2
    ws.insert_chart(chart_row, 0, chart, {"object_position": 1})
    page_setup(ws, document, chart_row + int(height / ROW_PX) + 1, len(headers) - 1, header_row, repeat_header=False)
    ws.set_h_pagebreaks([chart_row])  # the chart printed whole on a page of its own


def _write_parts(ws: Worksheet, formats: Formats, row: int, parts: tuple[BreakdownPart, ...], exports: float,
                 imports: float) -> int:
    """One row per part from `row`; returns the next free row."""
    for rank, part in enumerate(parts, start=1):
        ws.write_number(row, 0, rank, formats.integer)
        ws.write_string(row, 1, part.code, formats.text)
        ws.write_string(row, 2, part.nom, formats.text)
        ws.write_number(row, 3, part.exports_eur, formats.meur)
        ws.write_number(row, 4, part.imports_eur, formats.meur)
        ws.write_number(row, 5, part.balance_eur, formats.meur_signed)
        ws.write_number(row, 6, share(part.exports_eur, exports), formats.pct1)
        ws.write_number(row, 7, share(part.imports_eur, imports), formats.pct1)
        row += 1
    return row


def _chart_height(parts: tuple[BreakdownPart, ...]) -> int:
    """Room for every part's two bars, and never less than a readable chart."""
    return max(320, 28 * len(parts) + 110)


def _breakdown_chart(workbook: xlsxwriter.Workbook, sheet: str, first: int, last: int, title: str):
    """Horizontal bars of each part's exports and imports (euros read in M€), in the table's order."""
    chart = workbook.add_chart({"type": "bar"})
    for col, flow in ((3, "E"), (4, "I")):
        chart.add_series({
            "name": grammar_text.FLOW_LABEL[flow],
            "categories": [sheet, first, 2, last, 2],
            "values": [sheet, first, col, last, col],
            "fill": {"color": "#" + theme.FLOW_COLOUR[flow]},
            "border": {"none": True},
            "gap": 40,
        })
    chart.set_x_axis({"num_format": FMT_MEUR, "num_font": chart_font(), "major_gridlines": gridlines()})
    chart.set_y_axis({"reverse": True, "num_font": chart_font(), "line": axis_line()})
    finish_chart(chart, title, legend_on_top=True)
    return chart
