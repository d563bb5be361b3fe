"""The « Données » sheet (the detail rows of every year, filtered on the document's year, named for
PivotTables) and the « Méthode » sheet (sources, definitions, caveats), written from a `DataSheetInput`:
a fiche's, or a Territoire d'industrie's."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_range_abs
from xlsxwriter.worksheet import Worksheet

from fichex.wording import (grammar as grammar_text, levels as levels_text, model_text, numbers as numbers_text,
                            workbook as workbook_text)
from fichex.aggregation.model import Fiche
from fichex.provenance import DataSource
from fichex.render import xlsx_internals
from fichex.render.xlsx.base import (LINE_PT, Document, Formats, fiche_document, lines_needed, page_setup,
                                     sheet_ref, title_block)

# The Données table is a filtered range (an Excel Table cannot carry a preset filter with XlsxWriter), named
# for pivot tables: every year, and the document's year alone (its rows first), « Donnees_2024 ».
DATA_RANGE_NAME = "Donnees"
DATA_HEADER_ROW = 2  # title, notes, header: defaults.DETAIL_MAX_ROWS counts these three rows
DATA_NOTE_WIDTH = 150.0  # characters: the notes above the Données table span the columns within one screen
METHOD_LABEL_WIDTH, METHOD_TEXT_WIDTH = 28.0, 110.0


@dataclass(frozen=True)
class DataSheetInput:
    """What the « Données » and « Méthode » sheets show, stated outright: a fiche's (`of_fiche`), or a
    Territoire d'industrie's, whose rows are its départements' together (render/xlsx/territoire.py)."""

    document: Document          # the page headers' title, the Méthode's subtitle, demonstration or not
    rows: pd.DataFrame = field(compare=False, repr=False)  # the detail rows (model.DETAIL_COLUMNS), every year held
    year: int                   # the document's year: the filter shows it, its rows come first, « Donnees_<year> »
    period: str                 # the period the sources line names (« 2024 », « 2025 (1er trimestre) »)
    years: str                  # every year of the data, a partial one with its quarters (grammar_text.years_line)
    years_available: tuple[int, ...]  # every year of the data
    detail_years: tuple[int, ...]     # the years `rows` holds: fewer when all would not fit in a sheet
    exports_eur: float          # the year's totals the rows add up to: the control figures above the table
    imports_eur: float
    data: DataSource            # where the data come from
    national_gap: tuple[str, ...]  # the year's national totals beside the regional sums (none without a national file)
    caveats: tuple[str, ...]    # every caveat that applies
    scope_note: str = ""        # what a row sums when it is not one territory's (France's: every territory)

    @classmethod
    def of_fiche(cls, fiche: Fiche) -> DataSheetInput:
        """What a fiche's Données and Méthode sheets show."""
        return cls(document=fiche_document(fiche), rows=fiche.detail, year=fiche.year, period=grammar_text.period(fiche),
                   years=grammar_text.years_line(fiche), years_available=fiche.years_available,
                   detail_years=fiche.detail_years, exports_eur=fiche.exports.total_eur,
                   imports_eur=fiche.imports.total_eur, data=fiche.data,
                   national_gap=tuple(workbook_text.national_gap_of(fiche)), caveats=model_text.caveats_of(fiche),
                   scope_note=(workbook_text.xlsx_data_combined_note(levels_text.BREAKDOWN_SHEET["france"])
                               if fiche.level == "france" else ""))


# ---------------------------------------------------------------------------------------------------------
# Données
# ---------------------------------------------------------------------------------------------------------

def write_data_sheet(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: Formats,
                     data_input: DataSheetInput) -> None:
    """The detail table, every year, filtered on the document's year, named for PivotTables, left out of printing.

    Every year stays in one table so that a PivotTable can compare years; the autofilter on « Année »
    shows the document's year on opening (the other rows hidden, the filter button showing it is on). A
    PivotTable reads hidden rows too (Excel and LibreOffice alike), so that year comes first and has its
    own name, « Donnees_2024 », the source that cannot add years; « Donnees » is every year, and the
    notes above the table say which to choose. An autofilter rather than an Excel Table: XlsxWriter writes a
    table's filter without criteria, and a sheet cannot hold both.
    """
    year = data_input.year
    rows = data_input.rows
    order = _year_first(rows, year)
    ws.write_string(0, 0, workbook_text.XLSX_DATA_TITLE, formats.subtitle)
    headers = data_headers(rows.columns)
    columns, col_widths = _data_columns(ws, formats, rows, order, headers)
    note_last_col = _write_notes(ws, formats, data_input, col_widths, len(rows))
    years = rows["annee"].to_numpy()[order] if "annee" in rows.columns else np.full(len(rows), year)
    hidden = years != year
    _write_rows(ws, formats, headers, columns, hidden)
    last_row = DATA_HEADER_ROW + max(len(rows), 1)
    ws.autofilter(DATA_HEADER_ROW, 0, last_row, len(headers) - 1)
    if "annee" in rows.columns:
        ws.filter_column_list(list(rows.columns).index("annee"), [str(year)])
    _name_ranges(workbook, ws, year, last_row, int((~hidden).sum()), len(headers) - 1)
    ws.set_row(DATA_HEADER_ROW, 30)
    # Printed: the title and the notes only (the table would be dozens of unreadable pages).
    page_setup(ws, data_input.document, 1, note_last_col, screen_gridlines=True)
    ws.freeze_panes(DATA_HEADER_ROW + 1, 0)


def data_headers(columns) -> list[str]:
    """The Données table's header of each detail column (model.DETAIL_COLUMNS names): the PivotTables' fields."""
    return [workbook_text.XLSX_DATA_HEADERS.get(c, c) for c in columns]


def _year_first(rows: pd.DataFrame, year: int) -> np.ndarray:
    """The order of the rows in the sheet: the rows of `year` first, the other years after in their order
    (applied to each column once it is compact, not to the frame)."""
    if "annee" not in rows.columns:
        return np.arange(len(rows))
    return np.argsort(rows["annee"].to_numpy() != year, kind="stable")


def _as_coded_texts(series: pd.Series, order: np.ndarray) -> xlsx_internals.CodedTexts:
    """A column as the text of its cells (empty for missing) in the sheet's `order`, held as codes and
    distinct texts: one byte or two a cell instead of a string object a cell."""
    codes, uniques = pd.factorize(series)
    texts_of = [str(u) for u in uniques] + [""]  # the last one for missing cells (code -1)
    unique = list(dict.fromkeys(texts_of))
    position_of = {text: i for i, text in enumerate(unique)}
    position = np.array([position_of[text] for text in texts_of], dtype=np.int64)
    return xlsx_internals.CodedTexts(position[codes][order], unique)


def _data_columns(ws: Worksheet, formats: Formats, rows: pd.DataFrame, order: np.ndarray,
                  headers: list[str]) -> tuple[list[tuple[object, Format | None]], list[float]]:
    """Each column's cells in the sheet's `order` (numbers as a float array with their format, texts as a
    `CodedTexts`) and its width, set: as wide as the longest label (a data table: nothing cut, the sheet
    scrolls), the filter button beside the header included. Returns the columns and their widths (characters)."""
    n = len(rows)
    columns: list[tuple[object, Format | None]] = []
    col_widths = []
    for j, column in enumerate(rows.columns):
        series = rows[column]
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            fmt = formats.eur if column == "valeur_eur" else formats.integer
            values = series.astype("float64").fillna(0.0)
            shown = len(numbers_text.integer(values.abs().max())) + 1 if n else 4
            columns.append((values.to_numpy()[order], fmt))  # arrays, not lists: 8 bytes a cell until written
        else:
            strings = _as_coded_texts(series, order)
            shown = max((len(t) for t in strings.texts), default=4) if n else 4
            columns.append((strings, None))
        col_widths.append(min(max(min(len(headers[j]), 14) + 3, shown) * 1.05 + 3, 255.0))
        ws.set_column(j, j, col_widths[-1])
    return columns, col_widths


def _write_notes(ws: Worksheet, formats: Formats, data_input: DataSheetInput, col_widths: list[float],
                 n_rows: int) -> int:
    """One paragraph above the table (defaults.DETAIL_MAX_ROWS leaves room for one row): the demonstration
    warning in bold, what the table holds and its filter, PivotTables, printing. Returns its last column."""
    notes = [workbook_text.xlsx_data_years_note(data_input.years, data_input.year),
             *([data_input.scope_note] if data_input.scope_note else []),
             workbook_text.xlsx_data_pivot_note(data_input.year, data_input.exports_eur, data_input.imports_eur),
             workbook_text.xlsx_data_pivot_sheet_note(),
             workbook_text.xlsx_data_print_note(n_rows)]
    cumulative = np.cumsum(col_widths)
    note_last_col = max(int(np.searchsorted(cumulative, DATA_NOTE_WIDTH, side="right")) - 1,
                        min(3, len(col_widths) - 1))
    note_width = float(cumulative[note_last_col])
    ws.merge_range(1, 0, 1, note_last_col, "", formats.note)
    body = " ".join(notes)
    if data_input.document.demonstration:
        ws.write_rich_string(1, 0, formats.warning_run, model_text.DEMO_WARNING + ". ", formats.note_run, body,
                             formats.note)
        body = model_text.DEMO_WARNING + ". " + body
    else:
        ws.write_string(1, 0, body, formats.note)
    ws.set_row(1, LINE_PT * lines_needed(body, note_width) + 4)
    return note_last_col


def _write_rows(ws: Worksheet, formats: Formats, headers: list[str], columns: list[tuple[object, Format | None]],
                hidden: np.ndarray) -> None:
    """The header row and the table's rows, those `hidden` marks hidden (by the year filter); streamed as
    sheet XML when XlsxWriter's internals allow it (render/xlsx_internals.py), else cell by cell."""
    first = DATA_HEADER_ROW + 1
    for j, header in enumerate(headers):
        ws.write_string(DATA_HEADER_ROW, j, header, formats.header)
    if len(hidden) and xlsx_internals.can_stream(ws, [fmt for _, fmt in columns]):
        xlsx_internals.stream_rows(ws, first, columns, hidden)
        return
    for j, (values, fmt) in enumerate(columns):
        write = ws.write_string if fmt is None else ws.write_number
        for i, value in enumerate(values.cells() if fmt is None else values):
            if fmt is None and value == "":
                continue
            write(first + i, j, value, fmt)
    for i in np.flatnonzero(hidden):
        ws.set_row(first + int(i), None, None, {"hidden": True})


def _name_ranges(workbook: xlsxwriter.Workbook, ws: Worksheet, year: int, last_row: int, n_year: int,
                 last_col: int) -> None:
    """« Donnees », the whole table, and « Donnees_<year> », its header and the year's rows (when it has some)."""
    reference = sheet_ref(ws)
    workbook.define_name(DATA_RANGE_NAME, f"={reference}!{xl_range_abs(DATA_HEADER_ROW, 0, last_row, last_col)}")
    if n_year:
        workbook.define_name(workbook_text.xlsx_data_year_range(year),
                             f"={reference}!{xl_range_abs(DATA_HEADER_ROW, 0, DATA_HEADER_ROW + n_year, last_col)}")


# ---------------------------------------------------------------------------------------------------------
# Méthode
# ---------------------------------------------------------------------------------------------------------

def write_method_sheet(ws: Worksheet, formats: Formats, data_input: DataSheetInput, *, command: str,
                       version: str) -> None:
    """Sources, the data's files and date, the years, definitions, units, the Données sheet, the gap with
    the national file, the caveats, the fichex version and the command: one label, then its paragraphs."""
    ws.set_column(0, 0, METHOD_LABEL_WIDTH)
    ws.set_column(1, 1, METHOD_TEXT_WIDTH)
    row = title_block(ws, formats, data_input.document, workbook_text.XLSX_METHOD_TITLE, 1)
    for label, paragraphs in _method_entries(data_input, command=command, version=version):
        ws.write_string(row, 0, label, formats.bold_top)
        for paragraph in paragraphs:
            ws.write_string(row, 1, paragraph, formats.wrap)
            ws.set_row(row, LINE_PT * lines_needed(paragraph, METHOD_TEXT_WIDTH) + 3)
            row += 1
        row += 1
    page_setup(ws, data_input.document, row, 1)


def _method_entries(data_input: DataSheetInput, *, command: str, version: str) -> list[tuple[str, list[str]]]:
    """The Méthode's entries in their order: (label, paragraphs)."""
    labels = workbook_text.XLSX_METHOD_LABELS
    data, demonstration = data_input.data, data_input.document.demonstration
    return [
        (labels["sources"], [model_text.sources_line(data_input.period)]),
        (labels["source"], [data.source]),
        (labels["files"], list(data.files) or [workbook_text.XLSX_NONE]),
        (labels["created"], [workbook_text.xlsx_data_date(data.created, demonstration)]),
        (labels["demonstration"], [workbook_text.XLSX_YES if demonstration else workbook_text.XLSX_NO]),
        (labels["years"], [data_input.years, *workbook_text.data_sheet_years_note(data_input.years_available,
                                                                           data_input.detail_years,
                                                                           len(data_input.rows))]),
        (labels["concepts"], list(model_text.DATA_CONCEPTS)),
        (labels["units"], [workbook_text.XLSX_METHOD_UNITS]),
        (labels["donnees"], [*workbook_text.xlsx_method_donnees(data_input.years, data_input.year),
                             *([data_input.scope_note] if data_input.scope_note else [])]),
        (workbook_text.XLSX_METHOD_PIVOT_LABEL, workbook_text.xlsx_method_pivot(data_input.year)),
        *([(labels["national"], list(data_input.national_gap))] if data_input.national_gap else []),
        (labels["caveats"], [model_text.CAVEATS_INTRO, *(f"– {c}" for c in data_input.caveats)]),
        (labels["version"], [version or workbook_text.XLSX_NONE]),
        (labels["command"], [command or workbook_text.XLSX_NONE]),
    ]
