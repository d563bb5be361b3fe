"""The « Tableau croisé » sheet: two real PivotTables over the Données range (zones and countries, activities;
flows in columns; the sum of the values in M€), filtered on the document's year.

XlsxWriter cannot write a PivotTable, so the sheet is written by XlsxWriter (title, notes, control totals,
widths) and the PivotTables are added to the closed workbook (`add_pivot_tables`, through
render/xlsx/pivot_package.py). They follow the XML the Go library excelize writes for Excel (its
`pivotTable.go`): a cache per table with `saveData="0"` and `refreshOnLoad="1"`, so it carries no records and
the application computes the table from the source when it opens the file; a `cacheField` per source column,
with a single blank shared item except where an item is preselected (« Année »); `rowItems` a single
`<i><x/></i>`; the value column never also a row or column field (Excel reports a content error).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import quoteattr

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from fichex.wording import grammar as grammar_text, workbook as workbook_text
from fichex.render.xlsx import pivot_package
from fichex.render.xlsx.base import FMT_MEUR, LINE_PT, Formats, lines_needed, page_setup, title_block
from fichex.render.xlsx.data_sheet import DATA_RANGE_NAME, DataSheetInput, data_headers

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
YEAR_COLUMN, FLOW_COLUMN, VALUE_COLUMN = "annee", "libelle_flux", "valeur_eur"
TABLE_ROWS = {"pays": ("zone", "pays"), "activites": ("libelle_a38", "libelle_a129")}
# Columns of the sheet, the tables in tabular form: each one's two row fields, its two flows and their total;
# an empty column between the tables.
COL_WIDTHS = (26.0, 30.0, 15.0, 15.0, 15.0, 3.0, 52.0, 56.0, 15.0, 15.0, 15.0)
TABLE_FIRST_COL = {"pays": 0, "activites": 6}
FLOWS_FIRST_COL = 2  # the control totals stand above the pays table's flow columns
NOTE_LAST_COL = 10
CREATED_VERSION, REFRESHED_VERSION = 3, 8  # excelize's: Excel 2007's pivot format, refreshed by a recent Excel
STYLE = "PivotStyleLight16"
TABULAR = 'compact="0" outline="0"'  # excelize's default: each row field in its own column, as LibreOffice shows it


@dataclass(frozen=True)
class PivotLayout:
    """One PivotTable: its fields as source columns (model.DETAIL_COLUMNS names) and where it stands."""

    key: str                   # "pays" or "activites" (workbook_text.XLSX_PIVOT_* keys)
    rows: tuple[str, ...]      # outer field first
    pages: tuple[str, ...]     # « Année » (preset to the year), then the territory's part, if any
    first_row: int             # the table's top-left cell (0-based), below its page fields
    first_col: int


def pivot_layouts(data_input: DataSheetInput, territory_column: str | None, first_row: int) -> list[PivotLayout]:
    """The sheet's two PivotTables, for the columns the Données rows hold: zone → pays, and A38 → A129, rows;
    the flows in columns; « Année » and the territory's part (`territory_column`: « departement » in a
    région's or a Territoire d'industrie's workbook, « region » in France's) as page fields."""
    columns = list(data_input.rows.columns)
    pages = tuple(c for c in (YEAR_COLUMN, territory_column) if c and c in columns)
    return [PivotLayout(key, tuple(c for c in rows if c in columns), pages, first_row, TABLE_FIRST_COL[key])
            for key, rows in TABLE_ROWS.items()]


def write_pivot_sheet(ws: Worksheet, formats: Formats, data_input: DataSheetInput,
                      territory_column: str | None) -> list[PivotLayout]:
    """The sheet around the PivotTables: title, notes, the year's control totals (the figures the tables'
    grand totals show), each table's heading; their cells stay empty, the application fills them on opening.
    Returns the tables' layouts, for add_pivot_tables once the workbook is closed."""
    for col, width in enumerate(COL_WIDTHS):
        ws.set_column(col, col, width)
    year = data_input.year
    row = title_block(ws, formats, data_input.document, workbook_text.XLSX_PIVOT_TITLE.format(year=year),
                      NOTE_LAST_COL)
    territory_header = (data_headers([territory_column])[0]
                        if territory_column and territory_column in data_input.rows.columns else None)
    note = workbook_text.xlsx_pivot_note(year, territory_header)
    ws.merge_range(row, 0, row, NOTE_LAST_COL, "", formats.note)
    ws.write_string(row, 0, note, formats.note)
    ws.set_row(row, LINE_PT * lines_needed(note, sum(COL_WIDTHS)) + 4)
    row += 2
    ws.write_string(row, 0, workbook_text.XLSX_PIVOT_CHECK.format(year=year), formats.bold)
    for col, (flow, total) in enumerate((("E", data_input.exports_eur), ("I", data_input.imports_eur)),
                                        FLOWS_FIRST_COL):
        ws.write_string(row - 1, col, grammar_text.FLOW_LABEL[flow], formats.muted)
        ws.write_number(row, col, total, formats.meur)  # also puts FMT_MEUR in the styles the tables use
    row += 2
    n_pages = len(pivot_layouts(data_input, territory_column, 0)[0].pages)
    first_row = row + 1 + n_pages + (1 if n_pages else 0)  # a heading, the page fields, an empty row
    layouts = pivot_layouts(data_input, territory_column, first_row)
    for layout in layouts:
        ws.write_string(row, layout.first_col, workbook_text.XLSX_PIVOT_HEADINGS[layout.key], formats.subtitle)
    page_setup(ws, data_input.document, None, NOTE_LAST_COL)
    return layouts


# ---------------------------------------------------------------------------------------------------------
# The parts: pure functions, text in, XML out
# ---------------------------------------------------------------------------------------------------------

def cache_definition_xml(source_name: str, headers: list[str], preset: dict[int, list[int]]) -> str:
    """The pivotCacheDefinition part: the source a defined name, no records (`saveData="0"`), computed on
    opening (`refreshOnLoad="1"`); a cacheField per source column, named as its header, holding a single
    blank item except the columns of `preset` (position → their numbers, e.g. the years)."""
    fields = "".join(f'<cacheField name={quoteattr(header)} numFmtId="0">{_shared_items(preset.get(i))}</cacheField>'
                     for i, header in enumerate(headers))
    return (f'{XML_DECLARATION}<pivotCacheDefinition xmlns="{MAIN_NS}" saveData="0" refreshOnLoad="1" '
            f'createdVersion="{CREATED_VERSION}" refreshedVersion="{REFRESHED_VERSION}" '
            f'minRefreshableVersion="{CREATED_VERSION}"><cacheSource type="worksheet">'
            f'<worksheetSource name={quoteattr(source_name)}/></cacheSource>'
            f'<cacheFields count="{len(headers)}">{fields}</cacheFields></pivotCacheDefinition>')


def _shared_items(numbers: list[int] | None) -> str:
    """A cache field's items: whole numbers (a preselected field), else one blank item (excelize's)."""
    if not numbers:
        return '<sharedItems containsBlank="1" count="1"><m/></sharedItems>'
    items = "".join(f'<n v="{n}"/>' for n in numbers)
    return (f'<sharedItems containsSemiMixedTypes="0" containsString="0" containsNumber="1" containsInteger="1" '
            f'minValue="{min(numbers)}" maxValue="{max(numbers)}" count="{len(numbers)}">{items}</sharedItems>')


@dataclass(frozen=True)
class TableSource:
    """What a PivotTable's XML needs of its source: the columns (names and headers), the preselected page
    items (column → the numbers of its cache items, and the one to show), the value column's number format."""

    columns: tuple[str, ...]
    headers: tuple[str, ...]
    years: tuple[int, ...]      # « Année »'s cache items
    year: int                   # the one the page field shows
    num_fmt_id: int | None      # the M€ format's id in the workbook's styles (None: not found, none set)


def pivot_table_xml(layout: PivotLayout, source: TableSource, cache_id: int) -> str:
    """The pivotTableDefinition part: location, a pivotField per source column with its axis, rowFields,
    rowItems as `<i><x/></i>`, colFields (the flows), pageFields, dataFields (the sum of the values), style."""
    index = {column: i for i, column in enumerate(source.columns)}
    fields = "".join(_pivot_field(column, layout, source) for column in source.columns)
    rows = "".join(f'<field x="{index[c]}"/>' for c in layout.rows)
    pages = "".join(f'<pageField fld="{index[c]}"/>' for c in layout.pages)
    name = workbook_text.XLSX_PIVOT_NAMES[layout.key]
    top_left = xl_rowcol_to_cell(layout.first_row, layout.first_col)
    bottom_right = xl_rowcol_to_cell(layout.first_row + 2, layout.first_col + 2)
    page_counts = f' rowPageCount="{len(layout.pages)}" colPageCount="1"' if layout.pages else ""
    num_fmt = f' numFmtId="{source.num_fmt_id}"' if source.num_fmt_id is not None else ""
    return (f'{XML_DECLARATION}<pivotTableDefinition xmlns="{MAIN_NS}" name={quoteattr(name)} cacheId="{cache_id}" '
            f'dataCaption={quoteattr(workbook_text.XLSX_PIVOT_VALUES_CAPTION)} '
            f'grandTotalCaption={quoteattr(workbook_text.XLSX_PIVOT_GRAND_TOTAL)} showError="0" '
            f'updatedVersion="{REFRESHED_VERSION}" minRefreshableVersion="{CREATED_VERSION}" showDrill="1" '
            f'useAutoFormatting="1" pageOverThenDown="0" rowGrandTotals="1" colGrandTotals="1" itemPrintTitles="1" '
            f'mergeItem="0" createdVersion="{CREATED_VERSION}" indent="0" compactData="0" '
            f'rowHeaderCaption={quoteattr(workbook_text.XLSX_PIVOT_ROW_CAPTIONS[layout.key])}>'
            f'<location ref="{top_left}:{bottom_right}" firstHeaderRow="1" firstDataRow="1" firstDataCol="1"'
            f'{page_counts}/>'
            f'<pivotFields count="{len(source.columns)}">{fields}</pivotFields>'
            f'<rowFields count="{len(layout.rows)}">{rows}</rowFields>'
            '<rowItems count="1"><i><x/></i></rowItems>'
            f'<colFields count="1"><field x="{index[FLOW_COLUMN]}"/></colFields>'
            '<colItems count="1"><i/></colItems>'
            + (f'<pageFields count="{len(layout.pages)}">{pages}</pageFields>' if layout.pages else "")
            + f'<dataFields count="1"><dataField name={quoteattr(workbook_text.XLSX_PIVOT_VALUE)} '
            f'fld="{index[VALUE_COLUMN]}" subtotal="sum"{num_fmt}/></dataFields>'
            f'<pivotTableStyleInfo name="{STYLE}" showRowHeaders="1" showColHeaders="1" showRowStripes="0" '
            'showColStripes="0" showLastColumn="1"/></pivotTableDefinition>')


def _pivot_field(column: str, layout: PivotLayout, source: TableSource) -> str:
    """One source column's pivotField: its axis and items (excelize's: the blank cache item, a subtotal
    for the outer row field; « Année »'s years, all hidden but the document's, several selectable)."""
    if column in layout.rows:
        if column == layout.rows[0] and len(layout.rows) > 1:
            return (f'<pivotField axis="axisRow" {TABULAR} showAll="0"><items count="1"><item t="default"/></items>'
                    '</pivotField>')
        return (f'<pivotField axis="axisRow" {TABULAR} showAll="0" defaultSubtotal="0"><items count="1">'
                '<item x="0"/></items></pivotField>')
    if column == FLOW_COLUMN:
        return (f'<pivotField axis="axisCol" {TABULAR} showAll="0" defaultSubtotal="0"><items count="1">'
                '<item x="0"/></items></pivotField>')
    if column == YEAR_COLUMN and column in layout.pages and source.years:
        items = "".join(f'<item x="{i}"/>' if year == source.year else f'<item h="1" x="{i}"/>'
                        for i, year in enumerate(source.years))
        return (f'<pivotField axis="axisPage" multipleItemSelectionAllowed="1" showAll="0">'
                f'<items count="{len(source.years) + 1}">{items}<item t="default"/></items></pivotField>')
    if column in layout.pages:
        return '<pivotField axis="axisPage" showAll="0"><items count="1"><item t="default"/></items></pivotField>'
    if column == VALUE_COLUMN:
        return '<pivotField dataField="1" showAll="0"/>'
    return '<pivotField showAll="0"/>'


def number_format_id(styles_xml: str, code: str) -> int | None:
    """The id of number format `code` among a workbook's styles (None when the workbook does not hold it)."""
    for match in re.finditer(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles_xml):
        if unescape(match[2]) == code:
            return int(match[1])
    return None


def table_source(data_input: DataSheetInput, styles_xml: str) -> TableSource:
    """The source columns of the Données range, the years it holds, the M€ format's id."""
    rows = data_input.rows
    columns = tuple(rows.columns)
    years = tuple(sorted(int(y) for y in rows[YEAR_COLUMN].unique())) if YEAR_COLUMN in columns else ()
    if data_input.year not in years:
        years = ()  # no row of the year: nothing to preselect
    return TableSource(columns=columns, headers=tuple(data_headers(columns)), years=years, year=data_input.year,
                       num_fmt_id=number_format_id(styles_xml, FMT_MEUR))


def add_pivot_tables(path: Path, sheet_name: str, data_input: DataSheetInput, layouts: list[PivotLayout], *,
                     saved: BytesIO | None = None) -> None:
    """Add the PivotTables to the closed workbook at `path` (rewritten in place, entries dated as XlsxWriter
    dated them): one cache each on the « Donnees » range, on the sheet `sheet_name`. `saved`: the workbook
    XlsxWriter saved in memory, written to `path` with its PivotTables (entries dated as a file-based save)."""
    source = table_source(data_input, pivot_package.read_part(saved or path, "xl/styles.xml").decode("utf-8"))
    parts = []
    if {FLOW_COLUMN, VALUE_COLUMN} <= set(source.columns) and all(layout.rows for layout in layouts):
        preset = {source.columns.index(YEAR_COLUMN): list(source.years)} if source.years else {}
        cache = cache_definition_xml(DATA_RANGE_NAME, list(source.headers), preset)
        parts = [(cache.encode("utf-8"), pivot_table_xml(layout, source, cache_id).encode("utf-8"))
                 for cache_id, layout in enumerate(layouts, 1)]
    # else a Données table without the fields (never written by fichex): nothing to pivot
    if parts or saved is not None:
        pivot_package.add_pivot_parts(path, sheet_name, parts, saved=saved)
