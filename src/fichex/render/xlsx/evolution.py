"""The « Évolution » sheet: exports, imports and growth by year and by quarter, the main partners year by year,
and a native chart of the points with the January 2022 collection break marked."""

from __future__ import annotations

import math

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from fichex.wording import deck as deck_text, grammar as grammar_text, model_text, workbook as workbook_text
from fichex.aggregation.model import EMEBI_BREAK_YEAR, Evolution, Fiche
from fichex.render import theme
from fichex.render.xlsx.base import (ROW_PX, TABLE_NAMES, Formats, add_table, axis_format, axis_line,
                                     axis_scale, chart_font, color_by_sign, columns_px, fiche_document,
                                     finish_chart, gridlines, page_setup, set_widths, title_block, write_cells,
                                     write_header_row, write_wrapped)

EVOLUTION_COLS = (24.0, 13.0, 15.0, 15.0, 15.0, 15.0, 15.0, 11.0)  # A:H
LAST_COL = len(EVOLUTION_COLS) - 1
EVOLUTION_CHART_PX = 330
# The chart's points, in columns right of the print area, hidden (the chart shows hidden data): x in years
# (a quarter or a year at the middle of its span, so each year's tick is where it begins and the EMEBI line
# falls on the 2022 tick), exports and imports in euros; then the break line's two points.
EVOLUTION_DATA_COL = len(EVOLUTION_COLS) + 1


def chart_points(evolution: Evolution) -> list[tuple[str, float, float, float]]:
    """(label, x in years, exports, imports) of the evolution chart: every quarter when the data has two or
    more, else every year; x is the middle of the period (2024 T1 → 2024.125, 2024 → 2024.5)."""
    if len(evolution.quarters) >= 2:
        return [(grammar_text.quarter_label(q.year, q.quarter), q.year + (q.quarter - 0.5) / 4, q.exports_eur,
                 q.imports_eur) for q in evolution.quarters]
    return [(grammar_text.period_label(y.year, y.quarters), y.year + 0.5, y.exports_eur, y.imports_eur)
            for y in evolution.years]


def write_evolution_sheet(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: Formats, fiche: Fiche) -> None:
    """Exports, imports, balance and growth by year (partial years labelled) with the chart, by quarter, the
    main partners year by year: each on its own printed page, never split."""
    set_widths(ws, EVOLUTION_COLS)
    document = fiche_document(fiche)
    row = title_block(ws, formats, document, workbook_text.XLSX_EVOLUTION_TITLE.format(name=fiche.territory.nom), LAST_COL)
    ws.write_string(row - 1, 0, workbook_text.XLSX_MEUR_NOTE, formats.muted)
    evolution = fiche.evolution
    if evolution is None:
        page_setup(ws, document, row, LAST_COL)
        return
    row = _write_years(ws, formats, evolution, row)
    row = _insert_evolution_chart(workbook, ws, formats, fiche, row)
    breaks = [row]
    if evolution.quarters:
        row = _write_quarters(ws, formats, evolution, row)
        breaks.append(row)
    ws.set_h_pagebreaks(breaks)
    row = _write_partners(ws, formats, fiche, evolution, row)
    page_setup(ws, document, row, LAST_COL)


def _evolution_table(ws: Worksheet, formats: Formats, row: int, title: str, name: str, headers: tuple[str, ...],
                     rows: list[list], col_formats: list) -> tuple[int, int]:
    """A section title, a header row, the rows and an Excel Table; returns (first data row, next free row)."""
    ws.write_string(row, 0, title, formats.section)
    row += 1
    write_header_row(ws, formats, row, list(headers), list(EVOLUTION_COLS))
    header_row, row = row, row + 1
    for cells in rows or [[(workbook_text.XLSX_NONE, formats.text)]]:
        write_cells(ws, formats, row, cells, EVOLUTION_COLS)
        row += 1
    add_table(ws, TABLE_NAMES[name], header_row, 0, max(len(rows), 1), headers, col_formats, formats.header)
    return header_row + 1, row + 1


def _growth_cell(formats: Formats, value: float | None) -> tuple:
    """A growth rate as a percent cell, or « — » when there is none (the first year, a partial year)."""
    return (workbook_text.XLSX_NONE, formats.text) if value is None else (value / 100, formats.pct1)


def _write_years(ws: Worksheet, formats: Formats, evolution: Evolution, row: int) -> int:
    """One row per year (partial years labelled), the growth key and the collection-break note under the
    table; returns the next free row."""
    years = [[(grammar_text.period_label(y.year, y.quarters), formats.text), (y.year, formats.integer),
              (y.exports_eur, formats.meur), (y.imports_eur, formats.meur), (y.balance_eur, formats.meur_signed),
              _growth_cell(formats, y.exports_growth_pct), _growth_cell(formats, y.imports_growth_pct),
              (workbook_text.XLSX_YES if y.partial else workbook_text.XLSX_NO, formats.bold if y.partial else formats.text)]
             for y in evolution.years]
    first, row = _evolution_table(ws, formats, row, workbook_text.XLSX_EVOLUTION_YEARS_TITLE, "evolution_annees",
                                  workbook_text.XLSX_EVOLUTION_YEARS_HEADERS, years,
                                  [None, formats.integer, formats.meur, formats.meur, formats.meur_signed,
                                   formats.pct1, formats.pct1, None])
    color_by_sign(ws, formats, first, 4, first + len(years) - 1, 4)
    for text in (workbook_text.XLSX_EVOLUTION_GROWTH_KEY,  # the table's own columns, not the deck's parentheses
                 model_text.EMEBI_BREAK_CAVEAT if evolution.break_inside else deck_text.EVOLUTION_SINCE_BREAK):
        write_wrapped(ws, row - 1, 0, LAST_COL, text, formats.muted_wrap, sum(EVOLUTION_COLS))
        row += 1
    return row


def _write_quarters(ws: Worksheet, formats: Formats, evolution: Evolution, row: int) -> int:
    """One row per quarter of the data; returns the next free row."""
    quarters = [[(grammar_text.quarter_label(q.year, q.quarter), formats.text), (q.year, formats.integer),
                 (q.quarter, formats.integer), (q.exports_eur, formats.meur), (q.imports_eur, formats.meur),
                 (q.exports_eur - q.imports_eur, formats.meur_signed)] for q in evolution.quarters]
    first, row = _evolution_table(ws, formats, row, workbook_text.XLSX_EVOLUTION_QUARTERS_TITLE, "evolution_trimestres",
                                  workbook_text.XLSX_EVOLUTION_QUARTERS_HEADERS, quarters,
                                  [None, formats.integer, formats.integer, formats.meur, formats.meur,
                                   formats.meur_signed])
    color_by_sign(ws, formats, first, 5, first + len(quarters) - 1, 5)
    return row


def _write_partners(ws: Worksheet, formats: Formats, fiche: Fiche, evolution: Evolution, row: int) -> int:
    """The main partners' exports and imports year by year (and, when a year is partial, what its figures
    cover); returns the next free row."""
    partners = [[(p.nom, formats.text), (p.code, formats.text), (year, formats.integer), (exports, formats.meur),
                 (imports, formats.meur), (exports - imports, formats.meur_signed)]
                for p in evolution.partners for year, exports, imports in p.by_year]
    title = workbook_text.XLSX_EVOLUTION_PARTNERS_TITLE.format(year=grammar_text.period(fiche))
    first, row = _evolution_table(ws, formats, row, title, "evolution_partenaires",
                                  workbook_text.XLSX_EVOLUTION_PARTNERS_HEADERS, partners,
                                  [None, None, formats.integer, formats.meur, formats.meur, formats.meur_signed])
    if partners:
        color_by_sign(ws, formats, first, 5, first + len(partners) - 1, 5)
    if any(y.partial for y in evolution.years):  # a partial year's partner figures cover only its quarters
        write_wrapped(ws, row - 1, 0, LAST_COL, workbook_text.xlsx_evolution_years_note(fiche), formats.muted_wrap,
                      sum(EVOLUTION_COLS))
        row += 1
    return row


# ---------------------------------------------------------------------------------------------------------
# The chart
# ---------------------------------------------------------------------------------------------------------

def _insert_evolution_chart(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: Formats, fiche: Fiche,
                            row: int) -> int:
    """The evolution chart below the year table (a scatter with straight lines, x in years) and its points in
    hidden columns; the EMEBI break as a third series, a vertical line at 2022, when the years span it.
    Returns the next free row."""
    evolution = fiche.evolution
    points = chart_points(evolution)
    if len(points) < 2:
        ws.write_string(row, 0, workbook_text.XLSX_EVOLUTION_ONE_PERIOD, formats.muted)
        return row + 2
    first, last = _write_chart_points(ws, formats, row, points)
    half_span = 0.125 if len(evolution.quarters) >= 2 else 0.5  # a point is the middle of its quarter or year
    _, high, unit = axis_scale(0.0, max(max(p[2], p[3]) for p in points))
    chart = workbook.add_chart({"type": "scatter", "subtype": "straight_with_markers"})
    _add_flow_series(chart, ws.get_name(), first, last)
    if evolution.break_inside:
        last = _add_break_line(chart, ws, formats, last + 2, high)
    ws.set_column(EVOLUTION_DATA_COL, EVOLUTION_DATA_COL + 3, EVOLUTION_COLS[2], None, {"hidden": True})
    chart.show_hidden_data()
    _set_axes(chart, points, high, unit, points[-1][1] + half_span)
    finish_chart(chart, deck_text.evolution_chart_title(fiche.territory.nom, len(evolution.quarters) >= 2),
                 legend_on_top=True)
    chart.set_size({"width": columns_px(EVOLUTION_COLS, 0, LAST_COL) - 4, "height": EVOLUTION_CHART_PX})
    ws.insert_chart(row, 0, chart, {"x_offset": 0, "y_offset": 4, "object_position": 1})
    return max(row + math.ceil((EVOLUTION_CHART_PX + 8) / ROW_PX), last + 1) + 1


def _write_chart_points(ws: Worksheet, formats: Formats, row: int, points: list[tuple]) -> tuple[int, int]:
    """The chart's points in the hidden columns, under a title and headers; returns their first and last rows."""
    col = EVOLUTION_DATA_COL
    ws.write_string(row, col, workbook_text.XLSX_EVOLUTION_CHART_DATA, formats.muted)
    for j, header in enumerate(("Période", "Abscisse", *workbook_text.XLSX_EVOLUTION_QUARTERS_HEADERS[3:5])):
        ws.write_string(row + 1, col + j, header, formats.bold)
    first = row + 2
    for i, (label, x, exports, imports) in enumerate(points):
        ws.write_string(first + i, col, label, formats.text)
        ws.write_number(first + i, col + 1, x, formats.text)
        ws.write_number(first + i, col + 2, exports, formats.meur)
        ws.write_number(first + i, col + 3, imports, formats.meur)
    return first, first + len(points) - 1


def _add_flow_series(chart, sheet: str, first: int, last: int) -> None:
    """Exports and imports, lines with round markers in their flow's colour."""
    col = EVOLUTION_DATA_COL
    for j, flow in ((2, "E"), (3, "I")):
        colour = "#" + theme.FLOW_COLOUR[flow]
        chart.add_series({
            "name": grammar_text.FLOW_LABEL[flow],
            "categories": [sheet, first, col + 1, last, col + 1],
            "values": [sheet, first, col + j, last, col + j],
            "line": {"color": colour, "width": 2.25},
            "marker": {"type": "circle", "size": 5, "fill": {"color": colour}, "border": {"color": colour}},
        })


def _add_break_line(chart, ws: Worksheet, formats: Formats, break_row: int, high: float) -> int:
    """The collection break: two points at x = 2022 from 0 to the axis's top, written at `break_row` under
    its label, drawn as a dashed line labelled at its top; returns the last row written."""
    col = EVOLUTION_DATA_COL
    ws.write_string(break_row - 1, col, deck_text.EVOLUTION_BREAK_LABEL, formats.bold)
    for i, y in enumerate((0.0, high)):
        ws.write_number(break_row + i, col + 1, float(EMEBI_BREAK_YEAR), formats.text)
        ws.write_number(break_row + i, col + 2, y, formats.meur)
    sheet = ws.get_name()
    chart.add_series({
        "name": deck_text.EVOLUTION_BREAK_LABEL,
        "categories": [sheet, break_row, col + 1, break_row + 1, col + 1],
        "values": [sheet, break_row, col + 2, break_row + 1, col + 2],
        "line": {"color": "#" + theme.HIGHLIGHT, "width": 1.5, "dash_type": "dash"},
        "marker": {"type": "none"},
        "data_labels": {"custom": [{"delete": True}, {"value": deck_text.EVOLUTION_BREAK_LABEL}],
                        "position": "right",
                        "font": chart_font(bold=True, color="#" + theme.HIGHLIGHT)},
    })
    return break_row + 1


def _set_axes(chart, points: list[tuple], high: float, unit: float, end_x: float) -> None:
    """Years on x, one tick each from the first point's year, the axis ending where the last period ends
    (`end_x`: 2025.25 after the first quarter of 2025, not an empty 2025 running to 2026); M€ on y from 0,
    round ticks."""
    low_x, high_x = math.floor(points[0][1]), end_x
    chart.set_x_axis({"min": low_x, "max": high_x, "major_unit": 1, "num_format": "0",
                      "num_font": chart_font(), "line": axis_line(), "major_gridlines": {"visible": False},
                      "name": workbook_text.XLSX_EVOLUTION_CHART_X, "name_font": chart_font(bold=False)})
    chart.set_y_axis({"min": 0, "max": high, "major_unit": unit, "num_format": axis_format(unit),
                      "num_font": chart_font(), "major_gridlines": gridlines(),
                      "name": workbook_text.XLSX_EVOLUTION_CHART_AXIS, "name_font": chart_font(bold=False)})
