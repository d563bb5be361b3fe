"""The « Spécialisation » sheet: the products most over-represented against France and the shift-share
decomposition of the change in exports as native charts (bars; a waterfall of stacked columns on an invisible
base), then Excel Tables of the decomposition, the unit values and every product traded (Fiche.specialisation)."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from fichex.aggregation.model import Fiche, ShiftShare, Specialisation
from fichex.render import theme
from fichex.render.waterfall import value_axis, waterfall_bars
from fichex.render.xlsx.base import (FMT_MEUR, Formats, chart_font, columns_px, finish_chart, fiche_document,
                                     gridlines, page_setup, set_widths, sheet_ref, title_block, titled_table,
                                     write_wrapped)
from fichex.wording import grammar as grammar_text, specialisation as spec_text, workbook as workbook_text
from fichex.wording.numbers import MINUS
from fichex.wording.places import place_of

COLS = (46.0, 12.0, 16.0, 16.0, 16.0, 16.0, 14.0, 16.0, 16.0, 16.0)  # A:J
LAST_COL = len(COLS) - 1
CHART_ROWS = 18  # rows the two charts take
CHART_H_PX = 360
TABLE_NAMES = {"top": "Specialisation_indices", "decomposition": "Specialisation_decomposition",
               "unit_values": "Specialisation_valeurs_unitaires", "products": "Specialisation_produits"}
FMT_RCA = "[<10]0.00;0.0"  # as spec_text.format_rca writes an index: « 1.05 », « 149.1 »
FMT_EUR_KG = '0.00 "' + spec_text.EUR_PER_KG + '"'
FMT_RISE = '"+"' + FMT_MEUR
FMT_FALL = '"' + MINUS + '"' + FMT_MEUR


def write_specialisation_sheet(workbook: Workbook, ws: Worksheet, formats: Formats, fiche: Fiche) -> None:
    """The charts on top, the tables under them (the title alone when the fiche has no specialisation)."""
    set_widths(ws, COLS)
    document = fiche_document(fiche)
    row = title_block(ws, formats, document, spec_text.sheet_title(fiche.territory.nom, grammar_text.period(fiche)),
                      LAST_COL)
    ws.write_string(row - 1, 0, workbook_text.XLSX_MEUR_OR_LESS_NOTE, formats.muted)
    result = fiche.specialisation
    if result is None:
        page_setup(ws, document, row, LAST_COL)
        return
    own = SheetFormats(workbook)
    write_wrapped(ws, row, 0, LAST_COL, spec_text.SHEET_NOTE, formats.muted_wrap, sum(COLS))
    chart_row = row + 1
    row = chart_row + CHART_ROWS + 1
    top_header, row = _write_top(ws, formats, own, result, row)
    ws.set_h_pagebreaks([row])  # the charts and the index on the first printed page, the tables after
    decomposition_header, row = _write_decomposition(ws, formats, result.shift_share, row)
    row = _write_unit_values(ws, formats, own, result, row)
    row = _write_products(ws, formats, own, fiche, result, row)
    extra = {"num_format": theme.XLSX_FMT_AXIS_UNSIGNED}
    if top_header is not None:
        _insert_rca_chart(workbook, ws, top_header, len(result.most_over_represented()), chart_row)
    if decomposition_header is not None:
        _insert_waterfall(workbook, ws, decomposition_header, result.shift_share, chart_row, extra)
    page_setup(ws, document, row, LAST_COL)


def _table(ws: Worksheet, formats: Formats, row: int, title: str, name: str, headers: tuple[str, ...],
           rows: list[list], col_formats: list) -> tuple[int, int]:
    """One of the sheet's titled tables (base.titled_table) on its columns; returns (header row, next free row)."""
    return titled_table(ws, formats, row, title, TABLE_NAMES[name], headers, rows, col_formats, COLS)


class SheetFormats:
    """The sheet's own number formats (an index and €/kg), added to the workbook only when the sheet is written,
    in the style of base.Formats."""

    def __init__(self, workbook: Workbook) -> None:
        base = {"font_name": theme.FONT, "font_size": 10, "font_color": "#" + theme.TEXT, "valign": "vcenter"}
        self.rca = workbook.add_format({**base, "num_format": FMT_RCA})
        self.eur_kg = workbook.add_format({**base, "num_format": FMT_EUR_KG})


def _write_top(ws: Worksheet, formats: Formats, own: SheetFormats, result: Specialisation, row: int) -> tuple[int | None, int]:
    """The products most over-represented, with the chart's label (product and weight)."""
    products = result.most_over_represented()
    rows = [[(p.libelle, formats.text), (p.code, formats.text), (p.share_pct / 100, formats.pct1),
             (p.rca_france, own.rca)] for p in products]
    header, row = _table(ws, formats, row, spec_text.TOP_TITLE, "top", spec_text.TOP_HEADERS, rows,
                         [None, None, formats.pct1, own.rca, None])
    for i, p in enumerate(products):  # the chart's label on one line, spilling right of the table
        ws.write_string(header + 1 + i, 4, spec_text.rca_category(p), formats.label_indent)
    return (header if rows else None), row


def _write_decomposition(ws: Worksheet, formats: Formats, shift: ShiftShare | None, row: int) -> tuple[int | None, int]:
    """The start, the three effects, the end, with the waterfall's series (base, rise, fall, total)."""
    if shift is None:
        ws.write_string(row, 0, spec_text.DECOMPOSITION_TITLE, formats.section)
        ws.write_string(row + 1, 0, spec_text.NO_COMPARABLE_YEAR, formats.muted)
        return None, row + 3
    amounts = (shift.start_exports_eur, shift.national_eur, shift.mix_eur, shift.local_eur, shift.end_exports_eur)
    bars = waterfall_bars(shift.start_exports_eur, amounts[1:4], shift.end_exports_eur)
    rows = [[(step, formats.text), (amount, formats.meur_signed if 0 < i < 4 else formats.meur),
             (bar.base, formats.meur), (bar.rise, formats.meur), (bar.fall, formats.meur), (bar.total, formats.meur)]
            for i, (step, amount, bar) in enumerate(zip(spec_text.decomposition_steps(shift), amounts, bars))]
    header, row = _table(ws, formats, row, spec_text.DECOMPOSITION_TITLE, "decomposition",
                         spec_text.DECOMPOSITION_HEADERS, rows, [None] + [formats.meur] * 5)
    if note := spec_text.break_note(shift):
        ws.write_string(row - 1, 0, note, formats.muted)
        row += 1
    return header, row


def _write_unit_values(ws: Worksheet, formats: Formats, own: SheetFormats, result: Specialisation, row: int) -> int:
    rows = [[(u.libelle, formats.text), (u.code, formats.text), (u.exports_eur, formats.meur),
             (u.unit_value_eur_kg, own.eur_kg), (u.france_unit_value_eur_kg, own.eur_kg),
             (u.mass_coverage_pct / 100, formats.pct1), (u.france_mass_coverage_pct / 100, formats.pct1),
             (workbook_text.XLSX_YES if u.reliable else workbook_text.XLSX_NO, formats.text)]
            for u in result.unit_values]
    _, row = _table(ws, formats, row, spec_text.UNIT_VALUES_TITLE, "unit_values", spec_text.UNIT_VALUES_HEADERS, rows,
                    [None, None, formats.meur, own.eur_kg, own.eur_kg, formats.pct1, formats.pct1, None])
    ws.write_string(row - 1, 0, spec_text.UNIT_VALUES_NOTE, formats.muted)
    return row + 1


def _write_products(ws: Worksheet, formats: Formats, own: SheetFormats, fiche: Fiche, result: Specialisation, row: int) -> int:
    """Every product traded: weight, RCA against France (and the région), rank, imports, coverage; the
    smallest amounts in k€ or € (not « 0.0 M€ »)."""
    with_region = fiche.compares_with_region
    rows = []
    for p in result.products:
        cells = [(p.libelle, formats.text), (p.code, formats.text), (p.exports_eur, formats.meur_or_less),
                 (p.share_pct / 100, formats.pct1), (p.rca_france, own.rca)]
        if with_region:
            cells.append((p.rca_region, own.rca))
        cells += [(p.rank, formats.rank), (p.n_territories, formats.integer), (p.imports_eur, formats.meur_or_less),
                  (None if p.coverage_pct is None else p.coverage_pct / 100, formats.pct1)]
        rows.append(cells)
    headers = spec_text.products_headers(place_of(fiche), with_region)
    col_formats = [None, None, formats.meur_or_less, formats.pct1, own.rca, *([own.rca] if with_region else []),
                   formats.rank, formats.integer, formats.meur_or_less, formats.pct1]
    _, row = _table(ws, formats, row, spec_text.PRODUCTS_TITLE, "products", headers, rows, col_formats)
    return row


def _insert_rca_chart(workbook: Workbook, ws: Worksheet, header: int, n: int, row: int) -> None:
    """Horizontal bars of the index, the highest at the top, the label carrying the product's weight."""
    chart = workbook.add_chart({"type": "bar"})
    sheet = sheet_ref(ws)
    first, last = header + 1, header + n
    chart.add_series({
        "name": spec_text.RCA_CHART_NAME,
        "categories": f"={sheet}!$E${first + 1}:$E${last + 1}",
        "values": f"={sheet}!$D${first + 1}:$D${last + 1}",
        "fill": {"color": "#" + theme.ACCENT}, "border": {"none": True}, "gap": 50,
        "data_labels": {"value": True, "num_format": FMT_RCA, "position": "outside_end", "font": chart_font()},
    })
    chart.set_y_axis({"reverse": True, "num_font": chart_font(), "major_gridlines": {"visible": False}})
    chart.set_x_axis({"visible": False, "min": 0, "major_gridlines": {"visible": False}})
    finish_chart(chart, spec_text.rca_chart_title(), legend_on_top=False)
    chart.set_size({"width": columns_px(COLS, 0, 2), "height": CHART_H_PX})
    ws.insert_chart(row, 0, chart, {"x_offset": 0, "y_offset": 4, "object_position": 1})


def _insert_waterfall(workbook: Workbook, ws: Worksheet, header: int, shift: ShiftShare, row: int,
                      axis_extra: dict) -> None:
    """Stacked columns on the decomposition's series: the base invisible (no fill, no border)."""
    chart = workbook.add_chart({"type": "column", "subtype": "stacked"})
    sheet = sheet_ref(ws)
    first, last = header + 2, header + 6  # 1-based rows of the five steps
    categories = f"={sheet}!$A${first}:$A${last}"
    looks = {"C": {"fill": {"none": True}, "border": {"none": True}},
             "D": {"fill": {"color": "#" + theme.POSITIVE}, "border": {"none": True}},
             "E": {"fill": {"color": "#" + theme.NEGATIVE}, "border": {"none": True}},
             "F": {"fill": {"color": "#" + theme.ACCENT}, "border": {"none": True}}}
    bars = waterfall_bars(shift.start_exports_eur, (shift.national_eur, shift.mix_eur, shift.local_eur),
                          shift.end_exports_eur)
    fields = {"D": ("rise", FMT_RISE), "E": ("fall", FMT_FALL), "F": ("total", FMT_MEUR)}
    for col, name in zip("CDEF", spec_text.WATERFALL_SERIES):
        series = {"name": name, "categories": categories, "values": f"={sheet}!${col}${first}:${col}${last}",
                  "gap": 40, "overlap": 100, **looks[col]}
        if col in fields:
            field, fmt = fields[col]
            series["data_labels"] = {"value": True, "num_format": fmt, "font": chart_font(color="#FFFFFF", bold=True),
                                     "custom": [None if getattr(bar, field) else {"delete": True} for bar in bars]}
        chart.add_series(series)
    minimum, unit = value_axis(shift.start_exports_eur, (shift.national_eur, shift.mix_eur, shift.local_eur),
                               shift.end_exports_eur)
    if unit is not None:
        axis_extra = {**axis_extra, "major_unit": unit}
    chart.set_y_axis({"min": minimum, "num_font": chart_font(), "major_gridlines": gridlines(),
                      "name": spec_text.MEUR_AXIS, "name_font": chart_font(bold=False), **axis_extra})
    chart.set_x_axis({"num_font": chart_font()})
    title = spec_text.waterfall_title(shift) + (" – " + spec_text.WATERFALL_AXIS_NOTE if minimum > 0 else "")
    finish_chart(chart, title, legend_on_top=False)
    chart.set_size({"width": columns_px(COLS, 3, LAST_COL) - 4, "height": CHART_H_PX})
    ws.insert_chart(row, 3, chart, {"x_offset": 4, "y_offset": 4, "object_position": 1})
