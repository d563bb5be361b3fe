"""The workbook of a Territoire d'industrie: its départements compared (table and native chart), the detail
rows of every one of them, the method; each sheet says the figures are départemental."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Sequence

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from fichex import texts
from fichex.aggregation.model import Fiche, Territory
from fichex.aggregation.territoire import (DepartementFigures, check_same_year, departement_figures,
                                          territoire_detail)
from fichex.atomic import atomic_path, private_tmpdir
from fichex.render import theme
from fichex.render import xlsx as wb

TABLE_NAME = "Departements"
NAME_COL = 1  # the département's name: the chart's categories
EXPORTS_COL, IMPORTS_COL = 3, 4
COL_WIDTHS = (7.0, 24.0, 24.0, 14.0, 14.0, 14.0, 12.0, 12.0, 12.0, 12.0, 11.0, 11.0, 18.0, 14.0, 18.0, 14.0)
NOTE_WIDTH_COLS = 10  # the notes above the table span A:J, within one screen
CHART_HEIGHT_PX = 320


def departements_row(figures: DepartementFigures) -> list:
    """One département's row of the « Départements » table, in the order of texts.TI_XLSX_HEADERS: euros in
    the amount columns, shares as fractions, ranks as integers."""
    client, supplier = figures.first_client, figures.first_supplier
    return [
        figures.code, figures.nom, figures.region,
        figures.exports.total_eur, figures.imports.total_eur, figures.balance_eur,
        figures.exports.share_of_region_pct / 100, figures.imports.share_of_region_pct / 100,
        figures.exports.share_of_france_pct / 100, figures.imports.share_of_france_pct / 100,
        figures.exports.rank, figures.imports.rank,
        client.nom if client else texts.TI_NONE, client.exports_eur if client else None,
        supplier.nom if supplier else texts.TI_NONE, supplier.imports_eur if supplier else None,
    ]


def _column_formats(formats: wb._Formats) -> list:
    return [formats.text, formats.text, formats.text, formats.meur, formats.meur, formats.meur_signed,
            formats.pct1, formats.pct1, formats.pct2, formats.pct2, formats.rank, formats.rank,
            formats.label_indent, formats.meur, formats.label_indent, formats.meur]  # names apart from the numbers


def territory_view(name: str, fiches: Sequence[Fiche], detail: pd.DataFrame | None = None) -> Fiche:
    """What the shared « Données » and « Méthode » writers read, for the whole territory: the first fiche's
    year, data source and caveats, the territory's name (page headers), the départements' detail rows
    together and their summed totals (the control figures above the Données table). Nothing else of it is
    read: it is not the territory's fiche, which customs data cannot give."""
    first = fiches[0]
    rows = detail if detail is not None else territoire_detail(fiches)
    years = tuple(sorted(int(y) for y in rows["annee"].unique())) if "annee" in rows.columns else first.detail_years
    return dataclasses.replace(
        first, departement=Territory("territoire", "", name), detail=rows, detail_years=years,
        exports=dataclasses.replace(first.exports, total_eur=sum(f.exports.total_eur for f in fiches)),
        imports=dataclasses.replace(first.imports, total_eur=sum(f.imports.total_eur for f in fiches)))


def _labels(fiches: Sequence[Fiche]) -> list[str]:
    return [texts.ti_departement_label(f.departement.nom, f.departement.code) for f in fiches]


def _write_departements_sheet(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: wb._Formats, name: str,
                              fiches: Sequence[Fiche], view: Fiche) -> None:
    """The départements side by side: one row each (an Excel Table), a native chart of their exports and
    imports below."""
    last_col = len(texts.TI_XLSX_HEADERS) - 1
    for col, width in enumerate(COL_WIDTHS):
        ws.set_column(col, col, width)
    period = texts.period(fiches[0])
    row = wb._title_block(ws, formats, view, texts.TI_XLSX_TITLE.format(name=name, year=period), last_col,
                          texts.ti_xlsx_period_line(period, _labels(fiches)))
    note_last = NOTE_WIDTH_COLS - 1
    code_notes = texts.ti_comparison_notes(fiches)
    notes = [(texts.TI_DEPARTEMENTAL_FIGURES, formats.bold), (texts.INTERDEPARTMENTAL_ADVICE, formats.text),
             *((note, formats.text) for note in code_notes), (texts.XLSX_MEUR_NOTE, formats.muted)]
    for text, fmt in notes:
        wb._write_wrapped(ws, row, 0, note_last, text, fmt, sum(COL_WIDTHS[:note_last + 1]))
        row += 1
    row += 1
    header_row = row
    wb._write_header_row(ws, formats, row, list(texts.TI_XLSX_HEADERS), list(COL_WIDTHS))
    col_formats = _column_formats(formats)
    for figures in (departement_figures(f) for f in fiches):
        row += 1
        for col, (value, fmt) in enumerate(zip(departements_row(figures), col_formats)):
            if value is None:
                ws.write_blank(row, col, None, fmt)
            elif isinstance(value, str):
                ws.write_string(row, col, value, fmt)
            else:
                ws.write_number(row, col, value, fmt)
    wb._add_table(ws, TABLE_NAME, header_row, 0, len(fiches), texts.TI_XLSX_HEADERS, col_formats, formats.header)
    wb._color_by_sign(ws, formats, header_row + 1, 5, row, 5)
    chart_row = row + 2
    _insert_chart(workbook, ws, header_row + 1, row, chart_row)
    last_row = chart_row + CHART_HEIGHT_PX // wb.ROW_PX + 1
    wb._page_setup(ws, view, last_row, last_col, header_row)
    ws.freeze_panes(0, 0)


def _insert_chart(workbook: xlsxwriter.Workbook, ws: Worksheet, first: int, last: int, at_row: int) -> None:
    """Clustered columns: each département's exports and imports (euros read in M€)."""
    sheet = ws.get_name()
    chart = workbook.add_chart({"type": "column"})
    for col, flow in ((EXPORTS_COL, "E"), (IMPORTS_COL, "I")):
        chart.add_series({
            "name": texts.FLOW_LABEL[flow],
            "categories": [sheet, first, NAME_COL, last, NAME_COL],
            "values": [sheet, first, col, last, col],
            "fill": {"color": "#" + theme.FLOW_COLOUR[flow]},
            "border": {"none": True},
            "gap": 60,
            "data_labels": {"value": True, "num_format": wb.FMT_MEUR, "font": {"size": 8, "name": theme.FONT}},
        })
    chart.set_title({"name": texts.TI_XLSX_CHART_TITLE, "name_font": {"size": 10, "bold": True, "name": theme.FONT}})
    chart.set_y_axis({"num_format": theme.XLSX_FMT_AXIS_UNSIGNED, "num_font": {"size": 9, "name": theme.FONT},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}, "min": 0})
    chart.set_x_axis({"num_font": {"size": 9, "name": theme.FONT}})
    chart.set_legend({"position": "top", "font": {"size": 9, "name": theme.FONT}})
    chart.set_chartarea({"border": {"none": True}})
    width = wb._col_px(sum(COL_WIDTHS[:NOTE_WIDTH_COLS]))
    chart.set_size({"width": width, "height": CHART_HEIGHT_PX})
    ws.insert_chart(at_row, 0, chart, {"object_position": 1})


def write_territoire_workbook(name: str, fiches: Sequence[Fiche], path: Path | str, *,
                              detail: pd.DataFrame | None = None, command: str = "",
                              version: str | None = None) -> None:
    """Write the Excel workbook of a Territoire d'industrie: « Départements », « Données », « Méthode ».

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
    view = territory_view(name, fiches, detail)
    with atomic_path(Path(path)) as tmp, private_tmpdir() as scratch:
        workbook = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                                  "strings_to_numbers": False, "tmpdir": str(scratch)})
        try:
            _set_properties(workbook, name, fiches)
            formats = wb._Formats(workbook)
            sheets = {key: workbook.add_worksheet(title) for key, title in texts.TI_XLSX_SHEETS.items()}
            _write_departements_sheet(workbook, sheets["departements"], formats, name, fiches, view)
            wb._write_donnees_sheet(workbook, sheets["donnees"], formats, view)
            wb._write_methode_sheet(sheets["methode"], formats, view, command=command, version=version,
                                    subtitle=texts.ti_xlsx_period_line(texts.period(view), _labels(fiches)))
            sheets["departements"].activate()
        finally:
            workbook.close()


def _set_properties(workbook: xlsxwriter.Workbook, name: str, fiches: Sequence[Fiche]) -> None:
    first = fiches[0]
    workbook.set_properties({
        "title": texts.xlsx_title(name, texts.period(first)),
        "subject": texts.ti_subject(name, _labels(fiches)),
        "author": texts.XLSX_AUTHOR,
        "company": texts.XLSX_COMPANY,
        "keywords": texts.XLSX_KEYWORDS,
        "category": texts.PROGRAMME,
        "comments": texts.DEMO_WARNING if first.demonstration else texts.sources_line(texts.period(first)),
        "created": first.document_date,
    })
    workbook.set_size(1600, 1000)
