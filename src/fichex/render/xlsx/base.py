"""The workbooks' toolkit: cell formats, column widths, wrapped text, page setup, tables, title blocks, charts'
style, scale and place; what every sheet writer of render/xlsx/ uses, the Territoire d'industrie's included."""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Sequence

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from fichex.wording import grammar as grammar_text, model_text, workbook as workbook_text
from fichex.aggregation.model import Fiche
from fichex.render import text_fit, theme, xlsx_internals
from fichex.render.geometry import EMU_PER_PT

TABLE_NAMES = {
    "pays": "Pays",
    "activites": "Activites",
    "comparaison_chiffres": "Comparaison_chiffres",
    "comparaison_partners_E": "Comparaison_pays_export",
    "comparaison_partners_I": "Comparaison_pays_import",
    "comparaison_activities_E": "Comparaison_activites_export",
    "comparaison_activities_I": "Comparaison_activites_import",
    "exposition_parts": "Exposition_parts",
    "exposition_etats_unis": "Exposition_etats_unis",
    "exposition_dependances": "Exposition_dependances",
    "exposition_concentration": "Exposition_concentration",
    "repartition": "Repartition",
    "evolution_annees": "Evolution_annees",
    "evolution_trimestres": "Evolution_trimestres",
    "evolution_partenaires": "Evolution_partenaires",
}
PAGE_A4 = 9
ROW_PX = 20          # default row height in pixels
LINE_PT = 15.0       # height of one line of 10-pt text, in points
MAX_WIDTH = 60
CELL_PADDING_PX = 6  # left and right of a cell's text, indent excluded
CHART_GAP_PX = 10    # between a table and the chart beside it
AXIS_MAX_INTERVALS = 10  # a value axis: at most this many major units
GRIDLINE_COLOUR = "#D9D9D9"
AXIS_LINE_COLOUR = "#BFBFBF"
# A balance that rounds to 0.0 M€: every section unsigned (a negative section without « - » shows the
# absolute value), so it reads « 0.0 M€ » rather than « -0.0 M€ » or « +0.0 M€ ».
XLSX_FMT_MEUR_NEAR_ZERO = '#,##0.0,,;#,##0.0,,;0.0,,'


def _with_unit(code: str) -> str:
    """A euro amount's format shown in millions with the unit: every section of `code` (scaled by its two
    trailing commas) followed by « M€ », so a cell holding euros never reads as a bare number of millions."""
    return ";".join(f'{section} "{workbook_text.XLSX_MEUR_UNIT}"' for section in code.split(";"))


FMT_MEUR = _with_unit(theme.XLSX_FMT_MEUR)                    # 675 812 345 → « 675.8 M€ »
FMT_MEUR_UNSIGNED = _with_unit(theme.XLSX_FMT_MEUR_UNSIGNED)  # butterfly imports, stored negative
FMT_MEUR_SIGNED = _with_unit(theme.XLSX_FMT_MEUR_SIGNED)      # balances: « +468.8 M€ »
FMT_MEUR_NEAR_ZERO = _with_unit(XLSX_FMT_MEUR_NEAR_ZERO)
FMT_MEUR_OR_LESS = ";".join(f'{section} "{unit}"' for section, unit in zip(  # 12 345 → « 12.3 k€ »
    theme.XLSX_FMT_MEUR_OR_LESS,
    (workbook_text.XLSX_MEUR_UNIT, workbook_text.XLSX_KEUR_UNIT, workbook_text.XLSX_EUR_UNIT)))
FMT_KEUR_SIGNED = ";".join(f'{section} "{unit}"' for section, unit in zip(  # −12 345 → « -12.3 k€ »
    theme.XLSX_FMT_KEUR_SIGNED, (workbook_text.XLSX_KEUR_UNIT, workbook_text.XLSX_KEUR_UNIT, workbook_text.XLSX_EUR_UNIT)))


# ---------------------------------------------------------------------------------------------------------
# The workbook and what every sheet repeats
# ---------------------------------------------------------------------------------------------------------

def open_workbook(path: Path | BytesIO, scratch: Path | None) -> xlsxwriter.Workbook:
    """A new workbook at `path` that keeps every text as text (no formula, link or number read into it) and
    puts XlsxWriter's scratch files in `scratch`, a folder of ours removed even when a build is interrupted.
    A `BytesIO` instead of a path: the workbook saved in memory, its parts never written to scratch files
    (no `scratch` needed; the PivotTable step then dates its entries as a file-based save does:
    render.xlsx.pivot_package)."""
    in_memory = isinstance(path, BytesIO)
    if not in_memory and scratch is None:
        raise ValueError("a workbook saved to a file needs a scratch folder")
    return xlsxwriter.Workbook(path if in_memory else str(path), {
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        "tmpdir": str(scratch) if scratch is not None else None, "in_memory": in_memory})


def set_properties(workbook: xlsxwriter.Workbook, *, title: str, subject: str, period: str, demonstration: bool,
                   created: dt.datetime) -> None:
    """The document properties (dated from the data, `created`, never from the clock) and the window size."""
    workbook.set_properties({
        "title": title,
        "subject": subject,
        "author": workbook_text.XLSX_AUTHOR,
        "company": workbook_text.XLSX_COMPANY,
        "keywords": workbook_text.XLSX_KEYWORDS,
        "category": model_text.PROGRAMME,
        "comments": model_text.DEMO_WARNING if demonstration else model_text.sources_line(period),
        "created": created,
    })
    workbook.set_size(1600, 1000)


@dataclass(frozen=True)
class Document:
    """What every sheet of one workbook says of the document: its title (in the printed page header), the
    line under each sheet's title, and whether its figures are demonstration data."""

    title: str          # « Commerce extérieur – Creuse (2024) »
    subtitle: str       # « Année 2024 – département 23 – région Nouvelle-Aquitaine »
    demonstration: bool


def fiche_document(fiche: Fiche) -> Document:
    """The document of a fiche's workbook."""
    return Document(title=workbook_text.xlsx_title(fiche.territory.nom, grammar_text.period(fiche)),
                    subtitle=workbook_text.xlsx_fiche_line(fiche), demonstration=fiche.demonstration)


# ---------------------------------------------------------------------------------------------------------
# Formats and widths
# ---------------------------------------------------------------------------------------------------------

class Formats:
    """Every cell format of a workbook, created once (in a fixed order: a format's index is in the file)."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        base = {"font_name": theme.FONT, "font_size": 10, "font_color": "#" + theme.TEXT, "valign": "vcenter"}

        def add(**props) -> Format:
            return workbook.add_format({**base, **props})

        self.text = add()
        self.text_wrap = add(text_wrap=True)  # a long label over several lines, its row heightened
        self.label_indent_wrap = add(indent=1, text_wrap=True)
        self.bold = add(bold=True)
        self.bold_top = add(bold=True, valign="top")
        self.bold_indent = add(bold=True, indent=1)
        self.wrap = add(text_wrap=True, valign="top")
        self.muted = add(font_color="#" + theme.MUTED, italic=True)
        self.muted_wrap = add(font_color="#" + theme.MUTED, italic=True, text_wrap=True, valign="top")
        self.title = add(bold=True, font_size=16, font_color="#" + theme.ACCENT)
        self.subtitle = add(bold=True, font_size=12, font_color="#" + theme.ACCENT)
        self.section = add(bold=True, font_size=11, font_color="#" + theme.ACCENT, bottom=2,
                           bottom_color="#" + theme.ACCENT)
        self.warning = add(bold=True, font_color="#" + theme.WARNING_TEXT, bg_color="#" + theme.WARNING_FILL,
                           border=1, border_color="#" + theme.WARNING_TEXT, text_wrap=True)
        self.note = add(font_color="#" + theme.TEXT, bg_color="#" + theme.WARNING_FILL, border=1,
                        border_color="#" + theme.WARNING_TEXT, text_wrap=True, valign="top")
        # Runs of a rich string carry their whole font (a run without one falls back to the workbook's).
        self.warning_run = workbook.add_format({"bold": True, "font_name": theme.FONT, "font_size": 10,
                                                "font_color": "#" + theme.WARNING_TEXT})
        self.note_run = workbook.add_format({"font_name": theme.FONT, "font_size": 10, "font_color": "#" + theme.TEXT})
        self.header = add(bold=True, font_color="#FFFFFF", bg_color="#" + theme.ACCENT, text_wrap=True,
                          valign="top", border=1, border_color="#FFFFFF")
        self.label = add()
        self.label_indent = add(indent=1)  # a name right after a right-aligned number: keep them apart
        self.label_bold = add(bold=True, top=1)
        self.meur = add(num_format=FMT_MEUR)
        self.meur_bold = add(num_format=FMT_MEUR, bold=True, top=1)
        self.meur_unsigned = add(num_format=FMT_MEUR_UNSIGNED)
        self.meur_signed = add(num_format=FMT_MEUR_SIGNED)
        self.meur_or_less = add(num_format=FMT_MEUR_OR_LESS)
        self.meur_signed_bold = add(num_format=FMT_MEUR_SIGNED, bold=True, top=1)
        self.pct1 = add(num_format=theme.XLSX_FMT_PCT)
        self.pct2 = add(num_format=theme.XLSX_FMT_PCT2)
        self.pct1_bold = add(num_format=theme.XLSX_FMT_PCT, bold=True, top=1)
        self.rank = add(num_format=theme.XLSX_FMT_RANK, align="right")
        self.integer = add(num_format=theme.XLSX_FMT_INT, align="left")
        self.eur = add(num_format=theme.XLSX_FMT_EUR)
        self.highlight = add(num_format=FMT_MEUR, bold=True, font_color="#" + theme.HIGHLIGHT,
                             border=2, border_color="#" + theme.HIGHLIGHT)
        self.total_label = add(bold=True, top=1, bg_color="#" + theme.BACKGROUND_ALT)
        self.total_meur = add(num_format=FMT_MEUR, bold=True, top=1, bg_color="#" + theme.BACKGROUND_ALT)
        # Conditional formats only carry the differences (dxf).
        self.positive = workbook.add_format({"font_color": "#" + theme.POSITIVE, "bold": True})
        self.negative = workbook.add_format({"font_color": "#" + theme.NEGATIVE, "bold": True})
        self.near_zero = workbook.add_format({"num_format": FMT_MEUR_NEAR_ZERO})
        self.near_zero_keur = workbook.add_format({"num_format": FMT_KEUR_SIGNED})


class Widths:
    """Column widths that fit what was written, in characters."""

    def __init__(self) -> None:
        self.chars: dict[int, int] = {}

    def fit(self, col: int, text: str | int) -> None:
        """Make room in `col` for `text` (or for that many characters)."""
        n = text if isinstance(text, int) else len(text)
        if n > self.chars.get(col, 0):
            self.chars[col] = n

    def apply(self, ws: Worksheet, minimum: float = 8, maximum: float = MAX_WIDTH) -> dict[int, float]:
        """Set the widths; returns them (characters) by column."""
        applied = {}
        for col, n in sorted(self.chars.items()):
            applied[col] = min(max(n * 1.1 + 2, minimum), maximum)
            ws.set_column(col, col, applied[col])
        return applied


def header_word_widths(headers: Sequence[str], col_widths: Sequence[float]) -> list[float]:
    """`col_widths` widened where a header's longest word would not fit its column on one line: a header
    wraps between its words (« Code / département ») or after a hyphen, never inside a word (« Code
    départemen / t »)."""
    widths = list(col_widths)
    for j, header in enumerate(headers):
        while max(lines_needed(word, widths[j], bold=True) for word in header.replace("-", "- ").split()) > 1:
            widths[j] += 0.5
    return widths


def set_widths(ws: Worksheet, col_widths: tuple[float, ...] | list[float]) -> None:
    """One width (characters) per column from A."""
    for col, width in enumerate(col_widths):
        ws.set_column(col, col, width)


def col_px(width_chars: float) -> int:
    """Width in pixels of a column `width_chars` wide (XlsxWriter's rule for the default font)."""
    return int(width_chars * 7 + 0.5) + 5


def columns_px(col_widths: tuple[float, ...] | list[float], first_col: int, last_col: int) -> int:
    """Width in pixels of the columns `first_col` to `last_col` of a sheet whose widths are `col_widths`."""
    return sum(col_px(w) for w in col_widths[first_col:last_col + 1])


def pt_to_px(points: float) -> float:
    """A height in points, in pixels (at 96 dpi)."""
    return points * 4 / 3


def share(part: float, whole: float) -> float:
    """`part` as a fraction of `whole` (0 when `whole` is 0): what a percent cell holds."""
    return part / whole if whole else 0.0


@functools.lru_cache(maxsize=32768)
def lines_needed(text: str, width_chars: float, bold: bool = False, indent: int = 0) -> int:
    """Lines a 10-pt Arial text takes when word-wrapped in a cell (or merged cells) `width_chars` wide,
    from the font's advance widths (render/text_fit.py): the row height a wrapped cell needs, which Excel
    does not compute when it opens a file. Remembered: every workbook of a run measures the same labels."""
    width = max(col_px(width_chars) - CELL_PADDING_PX - 9 * indent, 1) * 0.75 * EMU_PER_PT
    lines, current = 1, ""
    for word in text_fit.words_of(text):
        candidate = f"{current} {word}" if current else word
        if current and text_fit.text_width_emu(candidate, 10, bold) > width:
            lines += 1
            candidate = word
        # A word wider than the line is broken over as many lines as it needs.
        extra = math.ceil(text_fit.text_width_emu(candidate, 10, bold) / width) - 1
        lines += extra
        current = candidate if extra == 0 else ""
    return lines


# ---------------------------------------------------------------------------------------------------------
# Writing cells
# ---------------------------------------------------------------------------------------------------------

def write_wrapped(ws: Worksheet, row: int, first_col: int, last_col: int, text: str, fmt: Format,
                  width_chars: float) -> float:
    """A paragraph over merged cells, its row tall enough for the wrapped text (Excel never grows it).

    Returns:
        The row height in points.
    """
    if last_col > first_col:
        ws.merge_range(row, first_col, row, last_col, "", fmt)
    ws.write_string(row, first_col, text, fmt)
    height = LINE_PT * lines_needed(text, width_chars) + 3
    ws.set_row(row, height)
    return height


def write_header_row(ws: Worksheet, formats: Formats, row: int, headers: list[str],
                     col_widths: list[float]) -> None:
    """A header row, tall enough for its longest wrapped header."""
    lines = 1
    for j, header in enumerate(headers):
        ws.write_string(row, j, header, formats.header)
        lines = max(lines, lines_needed(header, col_widths[j], bold=True))
    ws.set_row(row, LINE_PT * lines + 3)


def titled_table(ws: Worksheet, formats: Formats, row: int, title: str, table_name: str, headers: Sequence[str],
                 rows: list[list], col_formats: list, col_widths: Sequence[float]) -> tuple[int, int]:
    """A section title, a header row, the rows (« aucun » when there is none), an Excel Table named `table_name`
    over them; returns (header row, next free row after a blank one)."""
    ws.write_string(row, 0, title, formats.section)
    row += 1
    header_row = row
    write_header_row(ws, formats, row, list(headers), list(col_widths))
    row += 1
    if not rows:
        ws.write_string(row, 0, workbook_text.XLSX_NONE, formats.text)
        rows = [[]]
    for cells in rows:
        write_cells(ws, formats, row, cells, tuple(col_widths))
        row += 1
    add_table(ws, table_name, header_row, 0, len(rows), headers, col_formats, formats.header)
    return header_row, row + 1


def write_cells(ws: Worksheet, formats: Formats, row: int, cells: list, col_widths: tuple[float, ...]) -> None:
    """One table row of (value, format) cells: numbers with their format, texts wrapped (and the row
    heightened) when they need it; a text right of the first column is indented, apart from the
    right-aligned number before it. A None value leaves its cell empty."""
    lines = 1
    written = []
    for col, (value, fmt) in enumerate(cells):
        if value is None:
            continue
        if isinstance(value, str):
            bold = fmt is formats.bold
            indent = 1 if col else 0
            needed = lines_needed(value, col_widths[col], bold=bold, indent=indent)
            lines = max(lines, needed)
            if col:
                wrapped = formats.label_indent_wrap if needed > 1 else formats.label_indent
                fmt = formats.bold_indent if bold else wrapped
            elif needed > 1:
                fmt = formats.text_wrap
        written.append((col, value, fmt))
    xlsx_internals.put_row(ws, row, written)  # write_string / write_number, cheaper
    if lines > 1:
        ws.set_row(row, LINE_PT * lines + 2)


def title_block(ws: Worksheet, formats: Formats, document: Document, title: str, last_col: int) -> int:
    """The sheet's title, the document's subtitle and (demonstration data) the warning; returns the next free row."""
    ws.write_string(0, 0, title, formats.title)
    ws.set_row(0, 22)
    ws.write_string(1, 0, document.subtitle, formats.muted)
    row = demonstration_row(ws, formats, document, 2, last_col, 30)
    return row + 1


def demonstration_row(ws: Worksheet, formats: Formats, document: Document, row: int, last_col: int,
                      height: float) -> int:
    """The demonstration-data warning across the sheet, when relevant; returns the next free row."""
    if not document.demonstration:
        return row
    ws.merge_range(row, 0, row, last_col, "", formats.warning)
    ws.write_string(row, 0, model_text.DEMO_WARNING, formats.warning)
    ws.set_row(row, height)
    return row + 1


def add_table(ws: Worksheet, name: str, first_row: int, first_col: int, n_rows: int,
              headers: tuple[str, ...] | list[str], formats: list[Format | None],
              header_format: Format | None = None) -> None:
    """Declare an Excel Table with filters and no totals row over cells already written.

    The header cells get `header_format` explicitly: LibreOffice does not draw Excel table styles.
    """
    ws.add_table(first_row, first_col, first_row + max(n_rows, 1), first_col + len(headers) - 1, {
        "name": name,
        "style": theme.XLSX_TABLE_STYLE,
        "autofilter": True,
        "total_row": False,
        "columns": [{"header": h, **({"format": f} if f is not None else {}),
                     **({"header_format": header_format} if header_format is not None else {})}
                    for h, f in zip(headers, formats)],
    })


def color_by_sign(ws: Worksheet, formats: Formats, first_row: int, first_col: int, last_row: int,
                  last_col: int, *, small_in_keur: bool = False) -> None:
    """Balances in red or green; one smaller than half the display unit reads « 0.0 », in the text colour
    (with `small_in_keur`, as a detail table shows its smallest amounts: in k€, « -12.3 k€ »).

    Such a balance would otherwise show as « -0.0 » or « +0.0 » (the sign comes from the format's section,
    chosen before rounding). The cell keeps its exact value; only the shown format changes. `stop_if_true`
    makes Excel apply one rule per cell, as LibreOffice always does.
    """
    half_unit = 0.05e6  # 0.1 M€ shown
    for criteria, value, fmt in (("<=", -half_unit, formats.negative), (">=", half_unit, formats.positive)):
        ws.conditional_format(first_row, first_col, last_row, last_col,
                              {"type": "cell", "criteria": criteria, "value": value, "format": fmt,
                               "stop_if_true": True})
    ws.conditional_format(first_row, first_col, last_row, last_col,
                          {"type": "cell", "criteria": "between", "minimum": -half_unit, "maximum": half_unit,
                           "format": formats.near_zero_keur if small_in_keur else formats.near_zero})


def sheet_ref(ws: Worksheet) -> str:
    """A sheet's name as a formula reference: quoted, its quotes doubled."""
    return "'" + ws.get_name().replace("'", "''") + "'"


# ---------------------------------------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------------------------------------

def page_setup(ws: Worksheet, document: Document, last_row: int | None, last_col: int, header_row: int | None = None, *,
               portrait: bool = False, screen_gridlines: bool = False, repeat_header: bool = True) -> None:
    """A4 one page wide, the print area, the document's title (and « démonstration ») in the page header,
    the sheet's name and « Page n sur N » in the footer; gridlines never printed, and hidden on screen too
    unless the sheet is a data table (`screen_gridlines`); a table's header row repeated and frozen. No print
    area when `last_row` is None (a sheet whose size the application decides: the PivotTables'). A table that
    fits its page with a chart on the next (`repeat_header` False) has its header frozen, not repeated: a
    header band alone above the chart would say nothing."""
    if portrait:
        ws.set_portrait()
    else:
        ws.set_landscape()
    ws.set_paper(PAGE_A4)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)
    if last_row is not None:
        ws.print_area(0, 0, last_row, last_col)
    title = document.title.replace("&", "&&")
    demo = f"&R&8{workbook_text.XLSX_DEMO_HEADER}" if document.demonstration else ""
    ws.set_header(f"&L&8{title}{demo}")
    ws.set_footer(f"&L&8&A&R&8{workbook_text.XLSX_PAGE_FOOTER}")
    ws.hide_gridlines(1 if screen_gridlines else 2)
    if header_row is not None:
        if repeat_header:
            ws.repeat_rows(header_row)
        ws.freeze_panes(header_row + 1, 0)


# ---------------------------------------------------------------------------------------------------------
# Charts: style, scale, place
# ---------------------------------------------------------------------------------------------------------

def chart_font(size: int = 9, **more) -> dict:
    """A chart text's font: Arial at `size` points, and `more` (bold, color…)."""
    return {"size": size, "name": theme.FONT, **more}


def gridlines() -> dict:
    """Light major gridlines of a value axis."""
    return {"visible": True, "line": {"color": GRIDLINE_COLOUR}}


def axis_line() -> dict:
    """The grey line of a category axis."""
    return {"color": AXIS_LINE_COLOUR}


def finish_chart(chart, title: str, *, legend_on_top: bool) -> None:
    """A chart's title (10 pt, bold), its legend on top or none, and no border around it."""
    chart.set_title({"name": title, "name_font": chart_font(10, bold=True)})
    chart.set_legend({"position": "top", "font": chart_font()} if legend_on_top else {"none": True})
    chart.set_chartarea({"border": {"none": True}})


def axis_scale(negative_max: float, positive_max: float) -> tuple[float, float, float]:
    """(min, max, major unit) of a value axis holding -negative_max and positive_max, in euros.

    The unit is the smallest 1, 2 or 5 × 10^k giving at most AXIS_MAX_INTERVALS intervals once both ends
    are rounded up to a multiple of it, so 0 is a tick and every tick label is a round value.
    """
    negative_max, positive_max = max(negative_max, 0.0), max(positive_max, 0.0)
    span = negative_max + positive_max
    if span <= 0:
        return -1e6, 1e6, 1e6
    exponent = math.floor(math.log10(span / AXIS_MAX_INTERVALS))
    while True:
        for step in (1, 2, 5):
            unit = step * 10.0 ** exponent
            low, high = math.ceil(negative_max / unit - 1e-9), math.ceil(positive_max / unit - 1e-9)
            if low + high <= AXIS_MAX_INTERVALS:
                return -low * unit, high * unit, unit
        exponent += 1


def axis_format(unit_eur: float) -> str:
    """Axis labels in M€ without sign, with as many decimals as the unit needs (0.5 M€ → one)."""
    decimals = max(0, -math.floor(math.log10(unit_eur / 1e6) + 1e-9))
    if decimals == 0:
        return theme.XLSX_FMT_AXIS_UNSIGNED
    number = "#,##0." + "0" * decimals + ",,"
    return f"{number};{number};0"


def insert_chart_beside(ws: Worksheet, chart, row: int, table_last_col: int, height_px: float,
                        col_widths: tuple[float, ...] | list[float]) -> None:
    """A chart from `row`, right of a table ending at `table_last_col`, up to the sheet's last column (the
    sheet's columns being `col_widths` wide)."""
    left = columns_px(col_widths, 0, table_last_col) + CHART_GAP_PX
    width = columns_px(col_widths, 0, len(col_widths) - 1) - left - 4
    chart.set_size({"width": width, "height": int(height_px)})
    ws.insert_chart(row, table_last_col + 1, chart, {"x_offset": CHART_GAP_PX, "y_offset": 0,
                                                      "object_position": 1})
