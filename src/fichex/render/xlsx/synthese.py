"""The « Synthèse » sheet (key figures, the model's sentences, the partners' butterfly chart, the top
activities' bar charts) and the « Pays » and « Activités » sheets (every partner, every activity)."""

from __future__ import annotations

import math

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from fichex.wording import deck as deck_text, grammar as grammar_text, levels as levels_text, model_text, workbook as workbook_text
from fichex.aggregation.model import FLOWS, ActivityTrade, Fiche, PartnerTrade
from fichex.render import theme, xlsx_internals
from fichex.render.xlsx.base import (FMT_MEUR, LINE_PT, ROW_PX, TABLE_NAMES, Formats, Widths, add_table, axis_format,
                                     axis_line, axis_scale, chart_font, color_by_sign, demonstration_row,
                                     fiche_document, finish_chart, gridlines, insert_chart_beside, lines_needed,
                                     page_setup, pt_to_px, set_widths, share, title_block, write_header_row,
                                     write_wrapped)
from fichex.wording.numbers import meur_text
from fichex.wording.places import place_of

# Printed one page wide (landscape A4, about 1 045 px of columns at 100 %), each table with its chart
# beside it. Columns are sized to what they hold (headers wrap on two lines), so the sheet prints at
# about 100 % and the charts take the rest of the width; paragraphs stay within their table's columns.
SYNTHESE_COLS = (32.0, 13.0, 13.0, 13.0, 11.0)   # widths of the data columns A:E (« +12 345.6 M€ »)
CHART_COLS = 7                                   # F:L, the room on the right of the widest table
CHART_COL_WIDTH = 9.0
SYNTHESE_LAST_COL = len(SYNTHESE_COLS) + CHART_COLS - 1
HEADER_ROW_PT = 2 * LINE_PT                      # a header row of two lines of 10-pt text


def synthese_col_widths() -> list[float]:
    """The widths of the Synthèse's columns, the tables' then the charts'."""
    return [*SYNTHESE_COLS, *([CHART_COL_WIDTH] * CHART_COLS)]


def _chars(first_col: int, last_col: int) -> float:
    """Width in characters of the Synthèse's columns `first_col` to `last_col`."""
    return sum(synthese_col_widths()[first_col:last_col + 1])


# ---------------------------------------------------------------------------------------------------------
# Synthèse
# ---------------------------------------------------------------------------------------------------------

def write_synthese_sheet(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: Formats, fiche: Fiche) -> None:
    """The fiche at a glance: the cover's title, the key figures and the model's sentences, the Territoires
    d'industrie, then the main partners and the top activities, each table with its chart beside it."""
    set_widths(ws, synthese_col_widths())
    row = _write_heading(ws, formats, fiche)
    row = _write_key_figures(ws, formats, fiche, row)
    row = _write_headlines(ws, formats, fiche, row)
    row = _write_territoires(ws, formats, fiche, row)
    # One printed page per part: key figures, partners, activities (charts never cut by a page break).
    breaks = [row]
    row = _write_partners_block(workbook, ws, formats, fiche, row)
    breaks.append(row)
    row = _write_top_activities_block(workbook, ws, formats, fiche, row)
    page_setup(ws, fiche_document(fiche), row, SYNTHESE_LAST_COL)
    ws.set_h_pagebreaks(breaks)


def _write_heading(ws: Worksheet, formats: Formats, fiche: Fiche) -> int:
    """The cover's title and subtitle, the fiche's period line, the demonstration warning; the next free row."""
    ws.write_string(0, 0, model_text.COVER_TITLE, formats.title)
    ws.set_row(0, 22)
    ws.write_string(1, 0, model_text.cover_subtitle(fiche.territory.nom), formats.subtitle)
    ws.write_string(2, 0, workbook_text.xlsx_fiche_line(fiche), formats.muted)
    return demonstration_row(ws, formats, fiche_document(fiche), 3, SYNTHESE_LAST_COL, 22) + 1


def _write_key_figures(ws: Worksheet, formats: Formats, fiche: Fiche, row: int) -> int:
    """Exports and imports (total, shares of the région and of France, rank) and the balance, stored as
    numbers; returns the next free row."""
    ws.write_string(row, 0, workbook_text.XLSX_KEY_FIGURES, formats.section)
    row += 1
    place = place_of(fiche)
    headers = workbook_text.key_headers(place, fiche.exports)
    for j, header in enumerate(headers):
        ws.write_string(row, j, header, formats.header)
    ws.set_row(row, HEADER_ROW_PT)
    row += 1
    for flow in FLOWS:
        flow_share = fiche.share(flow)
        cells = [(flow_share.total_eur, formats.meur)]
        if place.has_region_share:
            cells.append((flow_share.share_of_region_pct / 100.0, formats.pct1))
        if place.has_france_share:
            cells.append((flow_share.share_of_france_pct / 100.0, formats.pct2))
        if place.ranked_among:
            cells.append((flow_share.rank, formats.rank))
        ws.write_string(row, 0, grammar_text.FLOW_LABEL[flow], formats.label)
        for col, (value, cell_format) in enumerate(cells, start=1):
            ws.write_number(row, col, value, cell_format)
        row += 1
    ws.write_string(row, 0, workbook_text.XLSX_BALANCE, formats.label_bold)
    ws.write_number(row, 1, fiche.balance_eur, formats.meur_signed_bold)
    for col in range(2, len(headers)):
        ws.write_blank(row, col, None, formats.label_bold)
    color_by_sign(ws, formats, row, 1, row, 1)
    ws.write_string(row + 1, 0, workbook_text.XLSX_MEUR_NOTE, formats.muted)  # why « (€) » over « 675.8 M€ »
    return row + 3


def _write_headlines(ws: Worksheet, formats: Formats, fiche: Fiche, row: int) -> int:
    """The model's sentences on the totals, ranks and balance, each flow's first in bold; the next free row."""
    lines = []
    for flow in FLOWS:
        headline = model_text.headline_lines(fiche, flow)
        rank = model_text.rank_line(flow, fiche.share(flow), place_of(fiche))
        lines += [(headline[0], True), *((line, False) for line in headline[1:])]
        lines += [(rank, False)] if rank and rank not in headline else []
    lines.append((model_text.balance_line(fiche.balance_eur), True))
    for line, bold in lines:
        ws.write_string(row, 0, line, formats.bold if bold else formats.text)
        row += 1
    return row + 1


def _write_territoires(ws: Worksheet, formats: Formats, fiche: Fiche, row: int) -> int:
    """The Territoires d'industrie of the territory (France's: their count); returns the next free row."""
    ws.write_string(row, 0, workbook_text.territories_heading(place_of(fiche)), formats.section)
    row += 1
    territoires = fiche.territoires_industrie or (deck_text.no_territory(place_of(fiche)),)
    if fiche.level == "france":  # all of them: the count, each has its own fiche
        territoires = (levels_text.territories_summary(place_of(fiche), fiche.territoires_industrie),)
    for name in territoires:
        ws.write_string(row, 0, name, formats.text)
        row += 1
    return row + 1


# ---------------------------------------------------------------------------------------------------------
# Partners: a table and its butterfly chart
# ---------------------------------------------------------------------------------------------------------

def _write_partners_block(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: Formats, fiche: Fiche,
                          row: int) -> int:
    """Main partners table (imports stored negative) and the butterfly chart that reads it, beside the
    paragraph and table; returns the next free row below both."""
    partners = fiche.main_partners
    table_last_col = len(workbook_text.XLSX_BUTTERFLY_HEADERS) - 1
    title = model_text.partners_title(fiche.territory.nom, grammar_text.period(fiche))
    ws.write_string(row, 0, title, formats.section)
    intro_row = row + 1
    intro = model_text.partners_intro(place_of(fiche)) + " " + model_text.PARTNERS_KEY
    intro_px = pt_to_px(write_wrapped(ws, intro_row, 0, table_last_col, intro, formats.wrap,
                                      _chars(0, table_last_col)))
    first = _write_partners_table(ws, formats, intro_row + 1, partners)
    row = first + len(partners)
    if not partners:
        return row + 1
    color_by_sign(ws, formats, first, 3, row - 1, 3)
    chart = _butterfly_chart(workbook, ws.get_name(), first, row - 1, partners, title)
    # As tall as the paragraph and table it stands beside, and room enough for every bar.
    height = max(intro_px + pt_to_px(HEADER_ROW_PT) + ROW_PX * len(partners), 120 + 28 * len(partners))
    insert_chart_beside(ws, chart, intro_row, table_last_col, height, synthese_col_widths())
    covered = intro_row + 1 + math.ceil(max(0.0, height - intro_px) / ROW_PX)
    return max(row, covered) + 1


def _write_partners_table(ws: Worksheet, formats: Formats, row: int, partners: tuple[PartnerTrade, ...]) -> int:
    """The header, then per partner its name, imports (negative), exports and balance; the first data row."""
    for j, header in enumerate(workbook_text.XLSX_BUTTERFLY_HEADERS):
        ws.write_string(row, j, header, formats.header)
    ws.set_row(row, HEADER_ROW_PT)
    first = row + 1
    for row, partner in enumerate(partners, start=first):
        ws.write_string(row, 0, partner.nom, formats.label)
        ws.write_number(row, 1, -partner.imports_eur, formats.meur_unsigned)
        ws.write_number(row, 2, partner.exports_eur, formats.meur)
        ws.write_number(row, 3, partner.balance_eur, formats.meur_signed)
    return first


def _butterfly_chart(workbook: xlsxwriter.Workbook, sheet: str, first: int, last: int,
                     partners: tuple[PartnerTrade, ...], title: str):
    """Horizontal bars on one shared axis, imports to the left of 0 and exports to the right, ticks on
    round values with 0 among them (the format hides the minus sign of the import side)."""
    chart = workbook.add_chart({"type": "bar"})
    for col, flow in ((1, "I"), (2, "E")):
        chart.add_series({
            "name": grammar_text.FLOW_LABEL[flow],  # the header says « (€) », the chart reads in M€
            "categories": [sheet, first, 0, last, 0],
            "values": [sheet, first, col, last, col],
            "fill": {"color": "#" + theme.FLOW_COLOUR[flow]},
            "border": {"none": True},
            "gap": 40,
            "overlap": 100,
        })
    low, high, unit = axis_scale(max(p.imports_eur for p in partners), max(p.exports_eur for p in partners))
    chart.set_x_axis({
        "min": low, "max": high, "major_unit": unit,
        "num_format": axis_format(unit), "num_font": chart_font(),
        "major_gridlines": gridlines(),
        "name": workbook_text.XLSX_BUTTERFLY_AXIS, "name_font": chart_font(bold=False),
    })
    chart.set_y_axis({"reverse": True, "label_position": "low", "num_font": chart_font(), "line": axis_line()})
    # No legend: LibreOffice lists a bar chart's legend in reverse series order, Excel in the order its bars
    # appear (series order here, the categories being reversed), so no series order reads « Importations,
    # Exportations » in both; the axis title names the sides, left to right, instead.
    finish_chart(chart, title, legend_on_top=False)
    return chart


# ---------------------------------------------------------------------------------------------------------
# Top activities: two tables and their bar charts
# ---------------------------------------------------------------------------------------------------------

def _write_top_activities_block(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: Formats, fiche: Fiche,
                                row: int) -> int:
    """Top 10 activities exported and imported: two tables and two sorted bar charts (instead of a treemap)."""
    table_last_col = len(workbook_text.XLSX_TOP_HEADERS["E"]) - 1
    ws.write_string(row, 0, model_text.activities_title(fiche.territory.nom, grammar_text.period(fiche)), formats.section)
    row += 1
    write_wrapped(ws, row, 0, table_last_col, workbook_text.activities_key(place_of(fiche)), formats.wrap, _chars(0, table_last_col))
    row += 1
    for flow in FLOWS:
        row = _write_top_block(workbook, ws, formats, row, flow, fiche.local.top_activities(flow),
                               fiche.share(flow).total_eur) + 1
    return row


def _write_top_block(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: Formats, row: int, flow: str,
                     top: tuple[ActivityTrade, ...], total: float) -> int:
    """One flow's top activities (name, value, share of the total) and their bar chart beside; the next free row."""
    title, headers = workbook_text.XLSX_TOP_TITLE[flow], workbook_text.XLSX_TOP_HEADERS[flow]
    ws.write_string(row, 0, title, formats.bold)
    header_row = row + 1
    for j, header in enumerate(headers):
        ws.write_string(header_row, j, header, formats.header)
    ws.set_row(header_row, HEADER_ROW_PT)
    first = header_row + 1
    for row, activity in enumerate(top, start=first):
        value = activity.value(flow)
        ws.write_string(row, 0, activity.libelle_court, formats.label)
        ws.write_number(row, 1, value, formats.meur)
        ws.write_number(row, 2, share(value, total), formats.pct1)
    row = first + len(top)
    if not top:
        return row
    chart = _top_chart(workbook, ws.get_name(), first, row - 1, flow)
    # From the block's title down to its last row: title, two-line header, one row per activity.
    height = max(ROW_PX + pt_to_px(HEADER_ROW_PT) + ROW_PX * len(top), 60 + 20 * len(top))
    insert_chart_beside(ws, chart, header_row - 1, len(headers) - 1, height, synthese_col_widths())
    return max(row, header_row + 1 + math.ceil((height - ROW_PX - pt_to_px(HEADER_ROW_PT)) / ROW_PX))


def _top_chart(workbook: xlsxwriter.Workbook, sheet: str, first: int, last: int, flow: str):
    """Bars of one flow's top activities, largest on top, each labelled with its value in M€."""
    title = workbook_text.XLSX_TOP_TITLE[flow]
    chart = workbook.add_chart({"type": "bar"})
    chart.add_series({
        "name": title,
        "categories": [sheet, first, 0, last, 0],
        "values": [sheet, first, 1, last, 1],
        "fill": {"color": "#" + theme.FLOW_COLOUR[flow]},
        "border": {"none": True},
        "gap": 50,
        "data_labels": {"value": True, "num_format": FMT_MEUR, "font": chart_font(color="#" + theme.TEXT)},
    })
    chart.set_x_axis({"visible": False, "major_gridlines": {"visible": False}, "min": 0})
    chart.set_y_axis({"reverse": True, "num_font": chart_font(), "line": axis_line()})
    finish_chart(chart, title, legend_on_top=False)
    return chart


# ---------------------------------------------------------------------------------------------------------
# Pays and Activités
# ---------------------------------------------------------------------------------------------------------

def write_partners_sheet(ws: Worksheet, formats: Formats, fiche: Fiche) -> None:
    """« Pays »: every partner, by total trade."""
    _write_trade_sheet(ws, formats, fiche, headers=workbook_text.XLSX_PARTNER_HEADERS,
                       title=workbook_text.XLSX_PARTNERS_SHEET_TITLE, items=fiche.partners, table="pays",
                       labels=lambda p: [p.code, p.nom, p.zone], max_width=30)


def write_activities_sheet(ws: Worksheet, formats: Formats, fiche: Fiche) -> None:
    """« Activités »: every A129 activity traded, by total trade."""
    _write_trade_sheet(ws, formats, fiche, headers=workbook_text.XLSX_ACTIVITY_HEADERS,
                       title=workbook_text.XLSX_ACTIVITIES_SHEET_TITLE, items=fiche.activities, table="activites",
                       labels=lambda a: [a.code, a.libelle, a.libelle_court, a.code_a38, a.libelle_a38],
                       max_width=30)


def _write_trade_sheet(ws: Worksheet, formats: Formats, fiche: Fiche, *, headers: list[str], title: str,
                       items: tuple, table: str, labels, max_width: float) -> None:
    """One row per partner or activity: rank, labels, imports, exports, balance, [total], shares, totals."""
    label_rows = [[rank, *labels(item)] for rank, item in enumerate(items, start=1)]
    column_chars = _fit_trade_columns(ws, headers, label_rows, items, max_width)
    document = fiche_document(fiche)
    row = title_block(ws, formats, document, title.format(name=fiche.territory.nom, year=grammar_text.period(fiche)),
                      len(headers) - 1)
    ws.write_string(row - 1, 0, workbook_text.XLSX_MEUR_OR_LESS_NOTE, formats.muted)
    header_row = row
    write_header_row(ws, formats, row, headers, [column_chars[j] for j in range(len(headers))])
    row += 1
    exports, imports = fiche.exports.total_eur, fiche.imports.total_eur
    for cells, item in zip(label_rows, items):
        _write_trade_row(ws, formats, row, cells, item, imports, exports, column_chars)
        row += 1
    # Columns: rank and labels, then imports, exports, balance, [total trade, partners only], two shares.
    with_total = table == "pays"
    n_labels = len(headers) - (6 if with_total else 5)
    amounts = [formats.meur_or_less, formats.meur_or_less, formats.meur_signed] + ([formats.meur_or_less] if with_total else [])
    col_formats = [formats.integer, *[None] * (n_labels - 1), *amounts, formats.pct1, formats.pct1]
    add_table(ws, TABLE_NAMES[table], header_row, 0, len(items), headers, col_formats, formats.header)
    balance_col = n_labels + 2
    color_by_sign(ws, formats, header_row + 1, balance_col, row - 1, balance_col, small_in_keur=True)
    row = _write_totals_row(ws, formats, row + 1, n_labels - 1, n_labels, imports, exports)
    page_setup(ws, document, row, len(headers) - 1, header_row, screen_gridlines=True)


def _fit_trade_columns(ws: Worksheet, headers: list[str], label_rows: list[list], items: tuple,
                       max_width: float) -> dict[int, float]:
    """Columns sized to their longest label up to `max_width` (a longer label wraps, its row heightened),
    and to their widest amount; returns the widths set (characters) by column."""
    widths = Widths()
    for cells in label_rows:
        for col, value in enumerate(cells):
            widths.fit(col, len(str(value)))
    if items:
        # A cell's text in millions (meur_text: « +1 234.5 M€ ») grows with the amount's size: the largest
        # amount of a column has its longest text.
        amounts = ([item.imports_eur for item in items], [item.exports_eur for item in items],
                   [item.balance_eur for item in items])
        for col, values in enumerate(amounts, start=len(label_rows[0])):
            widths.fit(col, len(meur_text(max(values, key=abs))))
    for j, header in enumerate(headers):  # a longer header wraps in its header row, between its words
        widths.fit(j, max(min(len(header), 9), *(len(word) for word in header.split())))
    return widths.apply(ws, maximum=max_width)


def _write_trade_row(ws: Worksheet, formats: Formats, row: int, labels: list, item: PartnerTrade | ActivityTrade,
                     imports_total: float, exports_total: float, column_chars: dict[int, float]) -> None:
    """Leading label cells, then imports, exports, balance, [total], shares; a label wider than its column
    wraps and the row grows to show it whole."""
    lines = 1
    cells = []
    for col, value in enumerate(labels):
        if isinstance(value, int):
            cells.append((col, value, formats.integer))
        else:
            needed = lines_needed(value, column_chars.get(col, 8.43))
            cells.append((col, value, formats.text_wrap if needed > 1 else formats.text))
            lines = max(lines, needed)
    amounts = [(item.imports_eur, formats.meur_or_less), (item.exports_eur, formats.meur_or_less),
               (item.balance_eur, formats.meur_signed)]
    if isinstance(item, PartnerTrade):
        amounts.append((item.imports_eur + item.exports_eur, formats.meur_or_less))
    amounts += [(share(item.imports_eur, imports_total), formats.pct1),
                (share(item.exports_eur, exports_total), formats.pct1)]
    cells += [(col, value, fmt) for col, (value, fmt) in enumerate(amounts, start=len(labels))]
    xlsx_internals.put_row(ws, row, cells)  # write_string / write_number, cheaper
    if lines > 1:
        ws.set_row(row, LINE_PT * lines + 2)


def _write_totals_row(ws: Worksheet, formats: Formats, row: int, label_col: int, first_amount_col: int,
                      imports: float, exports: float) -> int:
    """Totals in their own cells under a table (not a table totals row): computed values, not formulas."""
    ws.write_string(row, label_col, workbook_text.XLSX_TOTAL, formats.total_label)
    ws.write_number(row, first_amount_col, imports, formats.total_meur)
    ws.write_number(row, first_amount_col + 1, exports, formats.total_meur)
    ws.write_number(row, first_amount_col + 2, exports - imports, formats.meur_signed_bold)
    color_by_sign(ws, formats, row, first_amount_col + 2, row, first_amount_col + 2)
    return row
