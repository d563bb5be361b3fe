"""The workbook of a Territoire d'industrie: its départements compared (table and native chart), the detail
rows of every one of them, the method; each sheet says the figures are départemental."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from fichex.wording import grammar as grammar_text, model_text, territoire as territoire_text, workbook as workbook_text
from fichex.aggregation.model import CAVEAT_EMEBI, CAVEAT_PARTIAL_YEAR, Fiche
from fichex.aggregation.territoire import (DepartementFigures, check_same_year, departement_figures, detail_years,
                                          summed_totals, territoire_detail)
from fichex.atomic import atomic_path, private_tmpdir
from fichex.render import theme, xlsx_internals
from fichex.render.xlsx.base import (FMT_MEUR, ROW_PX, Document, Formats, add_table, chart_font, col_px,
                                     color_by_sign, finish_chart, gridlines, open_workbook, page_setup,
                                     set_properties, set_widths, title_block, write_header_row, write_wrapped)
from fichex.render.xlsx.data_sheet import DataSheetInput, write_data_sheet, write_method_sheet
from fichex.render.xlsx.pivot import add_pivot_tables, write_pivot_sheet

TABLE_NAME = "Departements"
NAME_COL = 1  # the département's name: the chart's categories
EXPORTS_COL, IMPORTS_COL = 3, 4
COL_WIDTHS = (7.0, 24.0, 24.0, 14.0, 14.0, 14.0, 12.0, 12.0, 12.0, 12.0, 11.0, 11.0, 18.0, 14.0, 18.0, 14.0)
NOTE_WIDTH_COLS = 10  # the notes above the table span A:J, within one screen
CHART_HEIGHT_PX = 320
PIVOT_TERRITORY_COLUMN = "departement"  # the PivotTables can filter on one département of the territory


def write_territoire_workbook(name: str, fiches: Sequence[Fiche], path: Path | str, *,
                              detail: pd.DataFrame | None = None, command: str = "",
                              version: str | None = None) -> None:
    """Write the Excel workbook of a Territoire d'industrie: « Départements », « Tableau croisé », « Données »,
    « Méthode ».

    Args:
        name: the territory's official name.
        fiches: one fiche per département of the territory, for one year, in the order to show them.
        path: the `.xlsx` file to write (replaced atomically).
        detail: the départements' detail rows for the Données sheet (default: their fiches' `detail`
            together, cut to the years that fit one sheet: `aggregation.territoire.territoire_detail`).
        command: the command line shown on the « Méthode » sheet.
        version: the fichex version shown on the « Méthode » sheet (default: this one).

    Raises:
        OutputError: the folder cannot be created or written, or the disk is full.
        ValueError: no fiche, fiches of different periods or a département twice.
    """
    check_same_year(fiches)
    if version is None:
        from fichex.version import __version__ as version
    data_input = territoire_data_input(name, fiches, territoire_detail(fiches) if detail is None else detail)
    with atomic_path(Path(path)) as tmp, private_tmpdir() as scratch:
        workbook = open_workbook(tmp, scratch)
        try:
            _set_properties(workbook, name, fiches)
            formats = Formats(workbook)
            sheets = {key: workbook.add_worksheet(title) for key, title in _sheet_titles()}
            for ws in sheets.values():  # the same XML, cheaper (render/xlsx_internals.py)
                xlsx_internals.write_rows_faster(ws)
            _write_departements_sheet(workbook, sheets["departements"], formats, data_input.document, name, fiches)
            pivots = write_pivot_sheet(sheets["tableau_croise"], formats, data_input, PIVOT_TERRITORY_COLUMN)
            write_data_sheet(workbook, sheets["donnees"], formats, data_input)
            write_method_sheet(sheets["methode"], formats, data_input, command=command, version=version)
            sheets["departements"].activate()
        finally:
            workbook.close()
        add_pivot_tables(tmp, sheets["tableau_croise"].get_name(), data_input, pivots)


def _sheet_titles() -> list[tuple[str, str]]:
    """The sheets in their order: « Départements », « Tableau croisé », « Données », « Méthode »."""
    titles = list(territoire_text.TI_XLSX_SHEETS.items())
    at = [key for key, _ in titles].index("donnees")
    return [*titles[:at], ("tableau_croise", workbook_text.XLSX_PIVOT_SHEET), *titles[at:]]


def territoire_data_input(name: str, fiches: Sequence[Fiche], rows: pd.DataFrame) -> DataSheetInput:
    """What the territory's Données and Méthode sheets show: its départements' detail `rows` together, their
    totals added up (the control figures above the table), and what their fiches share (period, data source,
    the data's years, France's totals). Customs data stops at the département: nothing here is a figure of
    the territory itself."""
    first = fiches[0]
    period = grammar_text.period(first)
    exports, imports = summed_totals(fiches)
    return DataSheetInput(
        document=_document(name, fiches), rows=rows, year=first.year, period=period,
        years=grammar_text.years_line(first), years_available=first.years_available,  # the data's years, as every fiche's
        detail_years=detail_years(rows, fiches), exports_eur=exports, imports_eur=imports, data=first.data,
        national_gap=tuple(workbook_text.national_gap_of(first)),  # France's totals: every fiche's are the same
        # The model's caveats and the period's; a département's own (Paris's) are in its fiche.
        caveats=(*model_text.CAVEATS, *model_text.caveat_texts(
            {c.kind for c in first.caveats} & {CAVEAT_PARTIAL_YEAR, CAVEAT_EMEBI}, period)))


def _document(name: str, fiches: Sequence[Fiche]) -> Document:
    """The territory's workbook: its name and period, the départements under each sheet's title."""
    period = grammar_text.period(fiches[0])
    return Document(title=workbook_text.xlsx_title(name, period), subtitle=territoire_text.ti_xlsx_period_line(period, _labels(fiches)),
                    demonstration=fiches[0].demonstration)


def _labels(fiches: Sequence[Fiche]) -> list[str]:
    """« Doubs (25) », one per département."""
    return [territoire_text.ti_departement_label(f.territory.nom, f.territory.code) for f in fiches]


def _set_properties(workbook: xlsxwriter.Workbook, name: str, fiches: Sequence[Fiche]) -> None:
    """Title and subject (the territory and its départements), comments, the data's date."""
    first = fiches[0]
    period = grammar_text.period(first)
    set_properties(workbook, title=workbook_text.xlsx_title(name, period), subject=territoire_text.ti_subject(name, _labels(fiches)),
                   period=period, demonstration=first.demonstration, created=first.document_date)


# ---------------------------------------------------------------------------------------------------------
# Départements
# ---------------------------------------------------------------------------------------------------------

def departements_row(figures: DepartementFigures) -> list:
    """One département's row of the « Départements » table, in the order of territoire_text.TI_XLSX_HEADERS: euros in
    the amount columns, shares as fractions, ranks as integers."""
    client, supplier = figures.first_client, figures.first_supplier
    return [
        figures.code, figures.nom, figures.region,
        figures.exports.total_eur, figures.imports.total_eur, figures.balance_eur,
        figures.exports.share_of_region_pct / 100, figures.imports.share_of_region_pct / 100,
        figures.exports.share_of_france_pct / 100, figures.imports.share_of_france_pct / 100,
        figures.exports.rank, figures.imports.rank,
        client.nom if client else territoire_text.TI_NONE, client.exports_eur if client else None,
        supplier.nom if supplier else territoire_text.TI_NONE, supplier.imports_eur if supplier else None,
    ]


def _column_formats(formats: Formats) -> list:
    """The formats of the « Départements » table's columns, in the order of departements_row."""
    return [formats.text, formats.text, formats.text, formats.meur, formats.meur, formats.meur_signed,
            formats.pct1, formats.pct1, formats.pct2, formats.pct2, formats.rank, formats.rank,
            formats.label_indent, formats.meur, formats.label_indent, formats.meur]  # names apart from the numbers


def _write_departements_sheet(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: Formats, document: Document,
                              name: str, fiches: Sequence[Fiche]) -> None:
    """The départements side by side: one row each (an Excel Table), a native chart of their exports and
    imports below."""
    last_col = len(territoire_text.TI_XLSX_HEADERS) - 1
    set_widths(ws, COL_WIDTHS)
    row = title_block(ws, formats, document, territoire_text.TI_XLSX_TITLE.format(name=name, year=grammar_text.period(fiches[0])),
                      last_col)
    row = _write_notes(ws, formats, fiches, row) + 1
    header_row = row
    write_header_row(ws, formats, row, list(territoire_text.TI_XLSX_HEADERS), list(COL_WIDTHS))
    row = _write_departements(ws, formats, header_row, fiches)
    col_formats = _column_formats(formats)
    add_table(ws, TABLE_NAME, header_row, 0, len(fiches), territoire_text.TI_XLSX_HEADERS, col_formats, formats.header)
    color_by_sign(ws, formats, header_row + 1, 5, row, 5)
    chart_row = row + 2
    _insert_chart(workbook, ws, header_row + 1, row, chart_row)
    page_setup(ws, document, chart_row + CHART_HEIGHT_PX // ROW_PX + 1, last_col, header_row)
    ws.freeze_panes(0, 0)


def _write_notes(ws: Worksheet, formats: Formats, fiches: Sequence[Fiche], row: int) -> int:
    """The notes above the table: the figures are départemental, the model's advice, the notes on codes
    (Corse…), the unit; returns the next free row."""
    note_last = NOTE_WIDTH_COLS - 1
    notes = [(territoire_text.TI_DEPARTEMENTAL_FIGURES, formats.bold), (territoire_text.INTERDEPARTMENTAL_ADVICE, formats.text),
             *((note, formats.text) for note in territoire_text.ti_comparison_notes(fiches)),
             (workbook_text.XLSX_MEUR_NOTE, formats.muted)]
    for text, fmt in notes:
        write_wrapped(ws, row, 0, note_last, text, fmt, sum(COL_WIDTHS[:note_last + 1]))
        row += 1
    return row


def _write_departements(ws: Worksheet, formats: Formats, header_row: int, fiches: Sequence[Fiche]) -> int:
    """One row per département under `header_row`; returns the last row written."""
    row = header_row
    for figures in (departement_figures(f) for f in fiches):
        row += 1
        for col, (value, fmt) in enumerate(zip(departements_row(figures), _column_formats(formats))):
            if value is None:
                ws.write_blank(row, col, None, fmt)
            elif isinstance(value, str):
                ws.write_string(row, col, value, fmt)
            else:
                ws.write_number(row, col, value, fmt)
    return row


def _insert_chart(workbook: xlsxwriter.Workbook, ws: Worksheet, first: int, last: int, at_row: int) -> None:
    """Clustered columns: each département's exports and imports (euros read in M€)."""
    sheet = ws.get_name()
    chart = workbook.add_chart({"type": "column"})
    for col, flow in ((EXPORTS_COL, "E"), (IMPORTS_COL, "I")):
        chart.add_series({
            "name": grammar_text.FLOW_LABEL[flow],
            "categories": [sheet, first, NAME_COL, last, NAME_COL],
            "values": [sheet, first, col, last, col],
            "fill": {"color": "#" + theme.FLOW_COLOUR[flow]},
            "border": {"none": True},
            "gap": 60,
            "data_labels": {"value": True, "num_format": FMT_MEUR, "font": chart_font(8)},
        })
    chart.set_y_axis({"num_format": theme.XLSX_FMT_AXIS_UNSIGNED, "num_font": chart_font(),
                      "major_gridlines": gridlines(), "min": 0})
    chart.set_x_axis({"num_font": chart_font()})
    finish_chart(chart, territoire_text.TI_XLSX_CHART_TITLE, legend_on_top=True)
    chart.set_size({"width": col_px(sum(COL_WIDTHS[:NOTE_WIDTH_COLS])), "height": CHART_HEIGHT_PX})
    ws.insert_chart(at_row, 0, chart, {"object_position": 1})
