"""Excel workbook of a fiche: a synthesis with native charts, detail sheets, the long data table, the method."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_range_abs
from xlsxwriter.worksheet import Worksheet

from fichex import texts
from fichex.aggregation.model import EMEBI_BREAK_YEAR, FLOWS, ActivityTrade, Fiche, FlowMatrix, PartnerTrade, ScopeSummary, hhi_band
from fichex.atomic import atomic_path, private_tmpdir
from fichex.render import text_fit, theme, xlsx_internals
from fichex.render.geometry import EMU_PER_PT

SHEET_ORDER = ("synthese", "pays", "activites", "flux_export", "flux_import", "comparaison", "exposition", "evolution",
               "donnees", "methode")
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
# The Données table is a filtered range (an Excel Table cannot carry a preset filter with XlsxWriter), named
# for pivot tables: every year, and the fiche's year alone (its rows first), « Donnees_2024 ».
DATA_RANGE_NAME = "Donnees"
DATA_HEADER_ROW = 2  # title, notes, header: defaults.DETAIL_MAX_ROWS counts these three rows
PAGE_A4 = 9
ROW_PX = 20          # default row height in pixels
LINE_PT = 15.0       # height of one line of 10-pt text, in points
MAX_WIDTH = 60
# A balance that rounds to 0.0 M€: every section unsigned (a negative section without « - » shows the
# absolute value), so it reads « 0.0 M€ » rather than « -0.0 M€ » or « +0.0 M€ ».
XLSX_FMT_MEUR_NEAR_ZERO = '#,##0.0,,;#,##0.0,,;0.0,,'


def _with_unit(code: str) -> str:
    """A euro amount's format shown in millions with the unit: every section of `code` (scaled by its two
    trailing commas) followed by « M€ », so a cell holding euros never reads as a bare number of millions."""
    return ";".join(f'{section} "{texts.XLSX_MEUR_UNIT}"' for section in code.split(";"))


FMT_MEUR = _with_unit(theme.XLSX_FMT_MEUR)                    # 675 812 345 → « 675.8 M€ »
FMT_MEUR_UNSIGNED = _with_unit(theme.XLSX_FMT_MEUR_UNSIGNED)  # butterfly imports, stored negative
FMT_MEUR_SIGNED = _with_unit(theme.XLSX_FMT_MEUR_SIGNED)      # balances: « +468.8 M€ »
FMT_MEUR_NEAR_ZERO = _with_unit(XLSX_FMT_MEUR_NEAR_ZERO)


def write_workbook(fiche: Fiche, path: Path | str, *, command: str = "", version: str | None = None) -> None:
    """Write the Excel workbook of a fiche.

    Args:
        fiche: the fiche of one département and one year (its `detail` fills the « Données » sheet).
        path: the `.xlsx` file to write; written to a temporary file and renamed, never left half-written.
        command: the command line that produced the file, shown on the « Méthode » sheet.
        version: the fichex version shown on the « Méthode » sheet (default: this one).

    Raises:
        OutputError: the folder cannot be created or written, or the disk is full.
    """
    if version is None:
        from fichex.version import __version__ as version
    with atomic_path(Path(path)) as tmp, private_tmpdir() as scratch:
        # XlsxWriter's scratch files go in a folder of ours, removed even when the build is interrupted.
        workbook = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                                  "strings_to_numbers": False, "tmpdir": str(scratch)})
        try:
            _set_properties(workbook, fiche)
            formats = _Formats(workbook)
            sheets = {key: workbook.add_worksheet(_sheet_name(fiche, key), worksheet_class=_worksheet_class(fiche))
                      for key in _sheet_order(fiche)}
            _write_synthese_sheet(workbook, sheets["synthese"], formats, fiche)
            _write_pays_sheet(sheets["pays"], formats, fiche)
            _write_activites_sheet(sheets["activites"], formats, fiche)
            _write_flux_sheet(sheets["flux_export"], formats, fiche, fiche.local.export_flows)
            _write_flux_sheet(sheets["flux_import"], formats, fiche, fiche.local.import_flows)
            if "comparaison" in sheets:
                _write_comparaison_sheet(sheets["comparaison"], formats, fiche)
            if "repartition" in sheets:
                _write_breakdown_sheet(workbook, sheets["repartition"], formats, fiche)
            _write_exposition_sheet(sheets["exposition"], formats, fiche)
            _write_evolution_sheet(workbook, sheets["evolution"], formats, fiche)
            _write_donnees_sheet(workbook, sheets["donnees"], formats, fiche)
            _write_methode_sheet(sheets["methode"], formats, fiche, command=command, version=version)
            sheets["synthese"].activate()
        finally:
            workbook.close()


def _sheet_order(fiche: Fiche) -> list[str]:
    """The sheets of a fiche: a région's or France's adds its breakdown after the synthesis; France's has no
    comparison (it is the comparison of every other fiche)."""
    order = [key for key in SHEET_ORDER if key != "comparaison" or fiche.compares_with_france]
    if fiche.breakdown:
        order.insert(1, "repartition")
    return order


def _sheet_name(fiche: Fiche, key: str) -> str:
    return texts.BREAKDOWN_SHEET[fiche.level] if key == "repartition" else texts.XLSX_SHEETS[key]


def _worksheet_class(fiche: Fiche) -> type[Worksheet]:
    """Plain worksheets for a département; for a région or France, worksheets that say the model's
    département phrases of the fiche's level (texts.at_level) in every text cell."""
    if fiche.level == "departement":
        return Worksheet
    level = fiche.level

    class LevelledWorksheet(Worksheet):
        def _write_string(self, row, col, string, cell_format=None):
            return super()._write_string(row, col, texts.at_level(string, level), cell_format)

    return LevelledWorksheet


def _set_properties(workbook: xlsxwriter.Workbook, fiche: Fiche) -> None:
    dep = fiche.departement
    name = texts.level_title(fiche.level, dep.nom)
    workbook.set_properties({
        "title": texts.xlsx_title(name, texts.period(fiche)),
        "subject": (texts.xlsx_subject(dep.code, dep.nom, fiche.region.nom) if fiche.level == "departement"
                    else f"{texts.COVER_TITLE} – {name}"),
        "author": texts.XLSX_AUTHOR,
        "company": texts.XLSX_COMPANY,
        "keywords": texts.XLSX_KEYWORDS,
        "category": texts.PROGRAMME,
        "comments": texts.DEMO_WARNING if fiche.demonstration else texts.sources_line(texts.period(fiche)),
        "created": fiche.document_date,
    })
    workbook.set_size(1600, 1000)


# ---------------------------------------------------------------------------------------------------------
# Formats and small writing helpers
# ---------------------------------------------------------------------------------------------------------

class _Formats:
    """Every cell format of the workbook, created once."""

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


class _Widths:
    """Column widths that fit what was written, in characters."""

    def __init__(self) -> None:
        self.chars: dict[int, int] = {}

    def fit(self, col: int, text: str | int) -> None:
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


def _meur_text(value_eur: float, signed: bool = True) -> str:
    """What a cell in millions shows (« +1 234.5 M€ »; the sign room kept when `signed`), to size its column."""
    return f"{'+' if signed else ''}{texts.format_meur_fixed(abs(value_eur))} {texts.XLSX_MEUR_UNIT}"


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


CELL_PADDING_PX = 6  # left and right of a cell's text, indent excluded


def _lines_needed(text: str, width_chars: float, bold: bool = False, indent: int = 0) -> int:
    """Lines a 10-pt Arial text takes when word-wrapped in a cell (or merged cells) `width_chars` wide,
    from the font's advance widths (render/text_fit.py): the row height a wrapped cell needs, which Excel
    does not compute when it opens a file."""
    width = max(_col_px(width_chars) - CELL_PADDING_PX - 9 * indent, 1) * 0.75 * EMU_PER_PT
    lines, current = 1, ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and text_fit.text_width_emu(candidate, 10, bold) > width:
            lines += 1
            candidate = word
        # A word wider than the line is broken over as many lines as it needs.
        extra = math.ceil(text_fit.text_width_emu(candidate, 10, bold) / width) - 1
        lines += extra
        current = candidate if extra == 0 else ""
    return lines


def _write_wrapped(ws: Worksheet, row: int, first_col: int, last_col: int, text: str, fmt: Format,
                   width_chars: float) -> float:
    """A paragraph over merged cells, its row tall enough for the wrapped text (Excel never grows it).

    Returns the row height in points.
    """
    if last_col > first_col:
        ws.merge_range(row, first_col, row, last_col, "", fmt)
    ws.write_string(row, first_col, text, fmt)
    height = LINE_PT * _lines_needed(text, width_chars) + 3
    ws.set_row(row, height)
    return height


def _page_setup(ws: Worksheet, fiche: Fiche, last_row: int, last_col: int, header_row: int | None = None, *,
                portrait: bool = False, screen_gridlines: bool = False) -> None:
    """A4 one page wide, the print area, the document's title (and « démonstration ») in the page header,
    the sheet's name and « Page n sur N » in the footer; gridlines never printed, and hidden on screen too
    unless the sheet is a data table (`screen_gridlines`); a table's header row repeated and frozen."""
    if portrait:
        ws.set_portrait()
    else:
        ws.set_landscape()
    ws.set_paper(PAGE_A4)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)
    ws.print_area(0, 0, last_row, last_col)
    title = texts.xlsx_title(fiche.departement.nom, texts.period(fiche)).replace("&", "&&")
    demo = f"&R&8{texts.XLSX_DEMO_HEADER}" if fiche.demonstration else ""
    ws.set_header(f"&L&8{title}{demo}")
    ws.set_footer(f"&L&8&A&R&8{texts.XLSX_PAGE_FOOTER}")
    ws.hide_gridlines(1 if screen_gridlines else 2)
    if header_row is not None:
        ws.repeat_rows(header_row)
        ws.freeze_panes(header_row + 1, 0)


def _add_table(ws: Worksheet, name: str, first_row: int, first_col: int, n_rows: int,
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


def _title_block(ws: Worksheet, formats: _Formats, fiche: Fiche, title: str, last_col: int,
                 subtitle: str | None = None) -> int:
    """Title, subtitle (default: the fiche's period and territory, texts.xlsx_fiche_line) and (demonstration
    data) warning; returns the next free row."""
    ws.write_string(0, 0, title, formats.title)
    ws.set_row(0, 22)
    if subtitle is None:
        subtitle = texts.xlsx_fiche_line(fiche)
    ws.write_string(1, 0, subtitle, formats.muted)
    row = _demonstration_row(ws, formats, fiche, 2, last_col, 30)
    return row + 1


def _demonstration_row(ws: Worksheet, formats: _Formats, fiche: Fiche, row: int, last_col: int,
                       height: float) -> int:
    """The demonstration-data warning across the sheet, when relevant; returns the next free row."""
    if not fiche.demonstration:
        return row
    ws.merge_range(row, 0, row, last_col, "", formats.warning)
    ws.write_string(row, 0, texts.DEMO_WARNING, formats.warning)
    ws.set_row(row, height)
    return row + 1


# ---------------------------------------------------------------------------------------------------------
# Synthèse
# ---------------------------------------------------------------------------------------------------------

# Printed one page wide (landscape A4, about 1 045 px of columns at 100 %), each table with its chart
# beside it. Columns are sized to what they hold (headers wrap on two lines), so the sheet prints at
# about 100 % and the charts take the rest of the width; paragraphs stay within their table's columns.
SYNTHESE_COLS = (32.0, 13.0, 13.0, 13.0, 11.0)   # widths of the data columns A:E (« +12 345.6 M€ »)
CHART_COLS = 7                                   # F:L, the room on the right of the widest table
CHART_COL_WIDTH = 9.0
CHART_GAP_PX = 10                                # between a table and its chart
SYNTHESE_LAST_COL = len(SYNTHESE_COLS) + CHART_COLS - 1
HEADER_ROW_PT = 2 * LINE_PT                      # a header row of two lines of 10-pt text
AXIS_MAX_INTERVALS = 10                          # butterfly value axis: at most this many major units


def _col_px(width_chars: float) -> int:
    """Width in pixels of a column `width_chars` wide (XlsxWriter's rule for the default font)."""
    return int(width_chars * 7 + 0.5) + 5


def _synthese_col_widths() -> list[float]:
    return [*SYNTHESE_COLS, *([CHART_COL_WIDTH] * CHART_COLS)]


def _synthese_px(first_col: int, last_col: int) -> int:
    return sum(_col_px(w) for w in _synthese_col_widths()[first_col:last_col + 1])


def _synthese_chars(first_col: int, last_col: int) -> float:
    return sum(_synthese_col_widths()[first_col:last_col + 1])


def _write_synthese_sheet(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: _Formats, fiche: Fiche) -> None:
    dep = fiche.departement
    last_col = SYNTHESE_LAST_COL
    for col, width in enumerate(_synthese_col_widths()):
        ws.set_column(col, col, width)

    ws.write_string(0, 0, texts.COVER_TITLE, formats.title)
    ws.set_row(0, 22)
    ws.write_string(1, 0, texts.cover_subtitle(dep.nom), formats.subtitle)
    ws.write_string(2, 0, texts.xlsx_fiche_line(fiche), formats.muted)
    row = _demonstration_row(ws, formats, fiche, 3, last_col, 22) + 1

    # Key figures: numbers stored as numbers, then the model's sentences.
    ws.write_string(row, 0, texts.XLSX_KEY_FIGURES, formats.section)
    row += 1
    for j, header in enumerate(texts.XLSX_KEY_HEADERS):
        ws.write_string(row, j, header, formats.header)
    ws.set_row(row, HEADER_ROW_PT)
    row += 1
    for flow in FLOWS:
        share = fiche.share(flow)
        ws.write_string(row, 0, texts.FLOW_LABEL[flow], formats.label)
        ws.write_number(row, 1, share.total_eur, formats.meur)
        ws.write_number(row, 2, share.share_of_region_pct / 100.0, formats.pct1)
        ws.write_number(row, 3, share.share_of_france_pct / 100.0, formats.pct2)
        ws.write_number(row, 4, share.rank, formats.rank)
        row += 1
    ws.write_string(row, 0, texts.XLSX_BALANCE, formats.label_bold)
    ws.write_number(row, 1, fiche.balance_eur, formats.meur_signed_bold)
    for col in (2, 3, 4):
        ws.write_blank(row, col, None, formats.label_bold)
    _color_by_sign(ws, formats, row, 1, row, 1)
    row += 2

    lines = [*texts.headline_lines(fiche, "E"), texts.rank_line("E", fiche.exports),
             *texts.headline_lines(fiche, "I"), texts.rank_line("I", fiche.imports),
             texts.balance_line(fiche.balance_eur)]
    for i, line in enumerate(lines):
        fmt = formats.bold if i in (0, 4, 8) else formats.text
        ws.write_string(row, 0, line, fmt)
        row += 1
    row += 1

    ws.write_string(row, 0, texts.XLSX_TERRITOIRES, formats.section)
    row += 1
    territoires = fiche.territoires_industrie or (texts.XLSX_NO_TERRITOIRE,)
    if fiche.level == "france":  # all of them: the count, each has its own fiche
        territoires = (texts.territories_summary(fiche.level, fiche.territoires_industrie),)
    for name in territoires:
        ws.write_string(row, 0, name, formats.text)
        row += 1
    row += 1

    # One printed page per part: key figures, partners, activities (charts never cut by a page break).
    breaks = [row]
    row = _write_partners_block(workbook, ws, formats, fiche, row)
    breaks.append(row)
    row = _write_top_activities_block(workbook, ws, formats, fiche, row)
    _page_setup(ws, fiche, row, last_col)
    ws.set_h_pagebreaks(breaks)


def _color_by_sign(ws: Worksheet, formats: _Formats, first_row: int, first_col: int, last_row: int,
                   last_col: int) -> None:
    """Balances in red or green; one smaller than half the display unit reads « 0.0 », in the text colour.

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
                           "format": formats.near_zero})


def _insert_chart_beside(ws: Worksheet, chart, row: int, table_last_col: int, height_px: float) -> None:
    """A chart from `row`, right of a table ending at `table_last_col`, up to the sheet's last column."""
    left = _synthese_px(0, table_last_col) + CHART_GAP_PX
    width = _synthese_px(0, SYNTHESE_LAST_COL) - left - 4
    chart.set_size({"width": width, "height": int(height_px)})
    ws.insert_chart(row, table_last_col + 1, chart, {"x_offset": CHART_GAP_PX, "y_offset": 0,
                                                      "object_position": 1})


def _pt_to_px(points: float) -> float:
    return points * 4 / 3


def _write_partners_block(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: _Formats, fiche: Fiche,
                          row: int) -> int:
    """Main partners table (imports stored negative) and the butterfly chart that reads it."""
    sheet = ws.get_name()
    dep = fiche.departement
    table_last_col = len(texts.XLSX_BUTTERFLY_HEADERS) - 1
    ws.write_string(row, 0, texts.partners_title(dep.nom, texts.period(fiche)), formats.section)
    row += 1
    intro_row = row
    intro = texts.PARTNERS_INTRO + " " + texts.PARTNERS_KEY
    intro_px = _pt_to_px(_write_wrapped(ws, row, 0, table_last_col, intro, formats.wrap,
                                        _synthese_chars(0, table_last_col)))
    row += 1
    for j, header in enumerate(texts.XLSX_BUTTERFLY_HEADERS):
        ws.write_string(row, j, header, formats.header)
    ws.set_row(row, HEADER_ROW_PT)
    row += 1
    partners = fiche.main_partners
    first = row
    for partner in partners:
        ws.write_string(row, 0, partner.nom, formats.label)
        ws.write_number(row, 1, -partner.imports_eur, formats.meur_unsigned)
        ws.write_number(row, 2, partner.exports_eur, formats.meur)
        ws.write_number(row, 3, partner.balance_eur, formats.meur_signed)
        row += 1
    last = row - 1
    if not partners:
        return row + 1
    _color_by_sign(ws, formats, first, 3, last, 3)

    chart = workbook.add_chart({"type": "bar"})
    for col, flow in ((1, "I"), (2, "E")):
        chart.add_series({
            "name": texts.FLOW_LABEL[flow],  # the header says « (€) », the chart reads in M€
            "categories": [sheet, first, 0, last, 0],
            "values": [sheet, first, col, last, col],
            "fill": {"color": "#" + theme.FLOW_COLOUR[flow]},
            "border": {"none": True},
            "gap": 40,
            "overlap": 100,
        })
    # One shared axis, imports to the left of 0 and exports to the right, ticks on round values with 0
    # among them (the format hides the minus sign of the import side).
    low, high, unit = _butterfly_axis(max(p.imports_eur for p in partners), max(p.exports_eur for p in partners))
    chart.set_x_axis({
        "min": low, "max": high, "major_unit": unit,
        "num_format": _axis_format(unit), "num_font": {"size": 9, "name": theme.FONT},
        "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
        "name": texts.XLSX_BUTTERFLY_AXIS, "name_font": {"size": 9, "bold": False, "name": theme.FONT},
    })
    chart.set_y_axis({"reverse": True, "label_position": "low", "num_font": {"size": 9, "name": theme.FONT},
                      "line": {"color": "#BFBFBF"}})
    chart.set_title({"name": texts.partners_title(dep.nom, texts.period(fiche)),
                     "name_font": {"size": 10, "bold": True, "name": theme.FONT}})
    # No legend: LibreOffice lists a bar chart's legend in reverse series order, Excel in the order its bars
    # appear (series order here, the categories being reversed), so no series order reads « Importations,
    # Exportations » in both; the axis title names the sides, left to right, instead.
    chart.set_legend({"none": True})
    chart.set_chartarea({"border": {"none": True}})
    # As tall as the paragraph and table it stands beside, and room enough for every bar.
    height = max(intro_px + _pt_to_px(HEADER_ROW_PT) + ROW_PX * len(partners), 120 + 28 * len(partners))
    _insert_chart_beside(ws, chart, intro_row, table_last_col, height)
    covered = intro_row + 1 + math.ceil(max(0.0, height - intro_px) / ROW_PX)
    return max(row, covered) + 1


def _butterfly_axis(imports_max: float, exports_max: float) -> tuple[float, float, float]:
    """(min, max, major unit) of a value axis holding -imports_max and exports_max, in euros.

    The unit is the smallest 1, 2 or 5 × 10^k giving at most AXIS_MAX_INTERVALS intervals once both ends
    are rounded up to a multiple of it, so 0 is a tick and every tick label is a round value.
    """
    imports_max, exports_max = max(imports_max, 0.0), max(exports_max, 0.0)
    span = imports_max + exports_max
    if span <= 0:
        return -1e6, 1e6, 1e6
    exponent = math.floor(math.log10(span / AXIS_MAX_INTERVALS))
    while True:
        for step in (1, 2, 5):
            unit = step * 10.0 ** exponent
            low, high = math.ceil(imports_max / unit - 1e-9), math.ceil(exports_max / unit - 1e-9)
            if low + high <= AXIS_MAX_INTERVALS:
                return -low * unit, high * unit, unit
        exponent += 1


def _axis_format(unit_eur: float) -> str:
    """Axis labels in M€ without sign, with as many decimals as the unit needs (0.5 M€ → one)."""
    decimals = max(0, -math.floor(math.log10(unit_eur / 1e6) + 1e-9))
    if decimals == 0:
        return theme.XLSX_FMT_AXIS_UNSIGNED
    number = "#,##0." + "0" * decimals + ",,"
    return f"{number};{number};0"


def _write_top_activities_block(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: _Formats, fiche: Fiche,
                                row: int) -> int:
    """Top 10 activities exported and imported: two tables and two sorted bar charts (instead of a treemap)."""
    dep = fiche.departement
    table_last_col = len(texts.XLSX_TOP_HEADERS["E"]) - 1
    ws.write_string(row, 0, texts.activities_title(dep.nom, texts.period(fiche)), formats.section)
    row += 1
    _write_wrapped(ws, row, 0, table_last_col, texts.XLSX_ACTIVITIES_KEY, formats.wrap,
                   _synthese_chars(0, table_last_col))
    row += 1
    for flow in FLOWS:
        row = _write_top_block(workbook, ws, formats, row, flow, fiche.local.top_activities(flow),
                               fiche.share(flow).total_eur) + 1
    return row


def _write_top_block(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: _Formats, row: int, flow: str,
                     top: tuple[ActivityTrade, ...], total: float) -> int:
    sheet = ws.get_name()
    title, color = texts.XLSX_TOP_TITLE[flow], theme.FLOW_COLOUR[flow]
    headers = texts.XLSX_TOP_HEADERS[flow]
    ws.write_string(row, 0, title, formats.bold)
    row += 1
    header_row = row
    for j, header in enumerate(headers):
        ws.write_string(row, j, header, formats.header)
    ws.set_row(row, HEADER_ROW_PT)
    row += 1
    first = row
    for activity in top:
        value = activity.value(flow)
        ws.write_string(row, 0, activity.libelle_court, formats.label)
        ws.write_number(row, 1, value, formats.meur)
        ws.write_number(row, 2, _share(value, total), formats.pct1)
        row += 1
    last = row - 1
    if not top:
        return row
    chart = workbook.add_chart({"type": "bar"})
    chart.add_series({
        "name": title,
        "categories": [sheet, first, 0, last, 0],
        "values": [sheet, first, 1, last, 1],
        "fill": {"color": "#" + color},
        "border": {"none": True},
        "gap": 50,
        "data_labels": {"value": True, "num_format": FMT_MEUR,
                        "font": {"size": 9, "name": theme.FONT, "color": "#" + theme.TEXT}},
    })
    chart.set_x_axis({"visible": False, "major_gridlines": {"visible": False}, "min": 0})
    chart.set_y_axis({"reverse": True, "num_font": {"size": 9, "name": theme.FONT}, "line": {"color": "#BFBFBF"}})
    chart.set_title({"name": title, "name_font": {"size": 10, "bold": True, "name": theme.FONT}})
    chart.set_legend({"none": True})
    chart.set_chartarea({"border": {"none": True}})
    # From the block's title down to its last row: title, two-line header, one row per activity.
    height = max(ROW_PX + _pt_to_px(HEADER_ROW_PT) + ROW_PX * len(top), 60 + 20 * len(top))
    _insert_chart_beside(ws, chart, header_row - 1, len(headers) - 1, height)
    return max(row, header_row + 1 + math.ceil((height - ROW_PX - _pt_to_px(HEADER_ROW_PT)) / ROW_PX))


# ---------------------------------------------------------------------------------------------------------
# Pays and Activités
# ---------------------------------------------------------------------------------------------------------

def _write_pays_sheet(ws: Worksheet, formats: _Formats, fiche: Fiche) -> None:
    _write_trade_sheet(ws, formats, fiche, headers=texts.XLSX_PARTNER_HEADERS,
                       title=texts.XLSX_PARTNERS_SHEET_TITLE, items=fiche.partners, table="pays",
                       labels=lambda p: [p.code, p.nom, p.zone], max_width=30)


def _write_activites_sheet(ws: Worksheet, formats: _Formats, fiche: Fiche) -> None:
    _write_trade_sheet(ws, formats, fiche, headers=texts.XLSX_ACTIVITY_HEADERS,
                       title=texts.XLSX_ACTIVITIES_SHEET_TITLE, items=fiche.activities, table="activites",
                       labels=lambda a: [a.code, a.libelle, a.libelle_court, a.code_a38, a.libelle_a38],
                       max_width=30)


def _write_trade_sheet(ws: Worksheet, formats: _Formats, fiche: Fiche, *, headers: list[str], title: str,
                       items: tuple, table: str, labels, max_width: float) -> None:
    """One row per partner or activity: rank, labels, imports, exports, balance, [total], shares, totals.

    Columns are sized to their longest label up to `max_width`; a longer label wraps, its row heightened.
    """
    widths = _Widths()
    label_rows = [[rank, *labels(item)] for rank, item in enumerate(items, start=1)]
    for cells, item in zip(label_rows, items):
        for col, value in enumerate(cells):
            widths.fit(col, len(str(value)))
        amounts = [item.imports_eur, item.exports_eur, item.balance_eur]
        for col, value in enumerate(amounts, start=len(cells)):
            widths.fit(col, len(_meur_text(value)))
    for j, header in enumerate(headers):
        widths.fit(j, min(len(header), 9))  # a longer header wraps in its header row
    column_chars = widths.apply(ws, maximum=max_width)

    row = _title_block(ws, formats, fiche, title.format(name=fiche.departement.nom, year=texts.period(fiche)),
                       len(headers) - 1)
    ws.write_string(row - 1, 0, texts.XLSX_MEUR_NOTE, formats.muted)
    header_row = row
    _write_header_row(ws, formats, row, headers, [column_chars[j] for j in range(len(headers))])
    row += 1
    exports, imports = fiche.exports.total_eur, fiche.imports.total_eur
    for cells, item in zip(label_rows, items):
        _write_trade_row(ws, formats, row, cells, item, imports, exports, column_chars)
        row += 1
    # Columns: rank and labels, then imports, exports, balance, [total trade, partners only], two shares.
    with_total = table == "pays"
    n_labels = len(headers) - (6 if with_total else 5)
    amounts = [formats.meur, formats.meur, formats.meur_signed] + ([formats.meur] if with_total else [])
    col_formats = [formats.integer, *[None] * (n_labels - 1), *amounts, formats.pct1, formats.pct1]
    _add_table(ws, TABLE_NAMES[table], header_row, 0, len(items), headers, col_formats, formats.header)
    balance_col = n_labels + 2
    _color_by_sign(ws, formats, header_row + 1, balance_col, row - 1, balance_col)
    row = _write_totals_row(ws, formats, row + 1, n_labels - 1, n_labels, imports, exports)
    _page_setup(ws, fiche, row, len(headers) - 1, header_row, screen_gridlines=True)


def _write_trade_row(ws: Worksheet, formats: _Formats, row: int, labels: list, item: PartnerTrade | ActivityTrade,
                     imports_total: float, exports_total: float, column_chars: dict[int, float]) -> None:
    """Leading label cells, then imports, exports, balance, [total], shares; a label wider than its column
    wraps and the row grows to show it whole."""
    lines = 1
    col = 0
    for value in labels:
        if isinstance(value, int):
            ws.write_number(row, col, value, formats.integer)
        else:
            needed = _lines_needed(value, column_chars.get(col, 8.43))
            ws.write_string(row, col, value, formats.text_wrap if needed > 1 else formats.text)
            lines = max(lines, needed)
        col += 1
    amounts = [(item.imports_eur, formats.meur), (item.exports_eur, formats.meur),
               (item.balance_eur, formats.meur_signed)]
    if isinstance(item, PartnerTrade):
        amounts.append((item.imports_eur + item.exports_eur, formats.meur))
    for value, fmt in amounts:
        ws.write_number(row, col, value, fmt)
        col += 1
    ws.write_number(row, col, _share(item.imports_eur, imports_total), formats.pct1)
    ws.write_number(row, col + 1, _share(item.exports_eur, exports_total), formats.pct1)
    if lines > 1:
        ws.set_row(row, LINE_PT * lines + 2)


def _write_totals_row(ws: Worksheet, formats: _Formats, row: int, label_col: int, first_amount_col: int,
                      imports: float, exports: float) -> int:
    """Totals in their own cells under a table (not a table totals row): computed values, not formulas."""
    ws.write_string(row, label_col, texts.XLSX_TOTAL, formats.total_label)
    ws.write_number(row, first_amount_col, imports, formats.total_meur)
    ws.write_number(row, first_amount_col + 1, exports, formats.total_meur)
    ws.write_number(row, first_amount_col + 2, exports - imports, formats.meur_signed_bold)
    _color_by_sign(ws, formats, row, first_amount_col + 2, row, first_amount_col + 2)
    return row


# ---------------------------------------------------------------------------------------------------------
# Flux export / Flux import
# ---------------------------------------------------------------------------------------------------------

def _write_flux_sheet(ws: Worksheet, formats: _Formats, fiche: Fiche, matrix: FlowMatrix) -> None:
    """The top 10 × top 10 (+ « Autres ») matrix as a heat map, the five main flows in red, totals around it."""
    flow = matrix.flow
    dep = fiche.departement
    n_cols = len(matrix.targets) + 2
    last_col = max(n_cols - 1, 6)
    # The first column as wide as its longest label, the value columns as their widest figure (the total).
    label_width = min(max((len(s.label) for s in matrix.sources), default=10) * 1.05 + 2, 40.0)
    label_width = max(label_width, 24.0)
    cells = [v for values in matrix.values for v in values] + list(matrix.source_totals) + list(matrix.target_totals)
    value_width = max(11.0, max((len(_meur_text(v, signed=False)) for v in cells), default=0) * 1.1 + 2)
    total_width = max(value_width, len(_meur_text(fiche.share(flow).total_eur, signed=False)) * 1.15 + 2)
    ws.set_column(0, 0, label_width)
    ws.set_column(1, last_col, value_width)
    ws.set_column(n_cols - 1, n_cols - 1, total_width)  # the grand total, bold
    row = _title_block(ws, formats, fiche, texts.flows_title(flow, dep.nom, texts.period(fiche)), last_col)
    text_width = label_width + value_width * last_col
    _write_wrapped(ws, row, 0, last_col, texts.FLOWS_KEY[flow] + " " + texts.FLOWS_SIDES[flow], formats.wrap,
                   text_width)
    row += 1
    share = fiche.share(flow)
    for i, line in enumerate(texts.headline_lines(fiche, flow)):
        ws.write_string(row, 0, line, formats.bold if i == 0 else formats.text)
        row += 1
    ws.write_string(row, 0, texts.XLSX_FLOW_UNIT, formats.muted)
    row += 2

    header_row = row
    ws.write_string(row, 0, texts.XLSX_FLOW_CORNER[flow], formats.header)
    for j, target in enumerate(matrix.targets, start=1):
        ws.write_string(row, j, target.label, formats.header)
    ws.write_string(row, len(matrix.targets) + 1, texts.XLSX_TOTAL, formats.header)
    longest = max((_lines_needed(t.label, value_width, bold=True) for t in matrix.targets), default=1)
    ws.set_row(row, LINE_PT * longest + 4)
    row += 1
    first = row
    for i, source in enumerate(matrix.sources):
        lines = _lines_needed(source.label, label_width)
        ws.write_string(row, 0, source.label, formats.text_wrap if lines > 1 else formats.label)
        if lines > 1:
            ws.set_row(row, LINE_PT * lines + 2)
        for j, value in enumerate(matrix.values[i]):
            ws.write_number(row, j + 1, value, formats.highlight if (i, j) in matrix.highlighted else formats.meur)
        ws.write_number(row, len(matrix.targets) + 1, matrix.source_totals[i], formats.total_meur)
        row += 1
    last = row - 1
    ws.write_string(row, 0, texts.XLSX_TOTAL, formats.total_label)
    for j, value in enumerate(matrix.target_totals, start=1):
        ws.write_number(row, j, value, formats.total_meur)
    ws.write_number(row, len(matrix.targets) + 1, share.total_eur if matrix.values else 0.0, formats.total_meur)
    if matrix.values and matrix.targets:
        ws.conditional_format(first, 1, last, len(matrix.targets), {
            "type": "2_color_scale",
            "min_color": "#" + theme.XLSX_HEAT_LOW,
            "max_color": "#" + theme.XLSX_HEAT[flow],
        })
    _page_setup(ws, fiche, row, last_col, header_row)
    ws.freeze_panes(header_row + 1, 1)


# ---------------------------------------------------------------------------------------------------------
# Comparaison
# ---------------------------------------------------------------------------------------------------------

# Columns: A the indicator or the rank, then per territory its name, its amount and its share; the key
# figures use A:D. Names and indicators wrap rather than widen the sheet, so it prints near 90 %.
COMPARISON_LABEL_WIDTH = 20.0
COMPARISON_NAME_WIDTH = 24.0
COMPARISON_SHARE_WIDTH = 9.0


def _write_comparaison_sheet(ws: Worksheet, formats: _Formats, fiche: Fiche) -> None:
    scopes = _compared_scopes(fiche)
    france = fiche.france_summary
    last_col = 3 * len(scopes)
    amount_width = max(12.0, max(len(_meur_text(v)) for s in scopes
                                 for v in (s.exports_eur, s.imports_eur, s.balance_eur)) * 1.1 + 1)
    col_widths = [COMPARISON_LABEL_WIDTH] + [COMPARISON_NAME_WIDTH, amount_width, COMPARISON_SHARE_WIDTH] * len(scopes)
    col_widths[len(scopes)] = max(col_widths[len(scopes)], amount_width)  # France's key figures
    for col, width in enumerate(col_widths):
        ws.set_column(col, col, width)
    row = _title_block(ws, formats, fiche, texts.XLSX_COMPARISON_TITLE.format(year=texts.period(fiche)), last_col)
    ws.write_string(row - 1, 0, texts.XLSX_MEUR_NOTE, formats.muted)

    # Key figures, one column per territory.
    header_row = row
    names = [texts.scope_name(s.territory.level, s.territory.nom) for s in scopes]
    headers = [texts.XLSX_COMPARISON_FIGURES[0]] + [texts.xlsx_scope_header(_scope_level(s), name)
                                                    for s, name in zip(scopes, names)]
    _write_header_row(ws, formats, row, headers, col_widths)
    row += 1
    values = [
        [s.exports_eur for s in scopes], [s.imports_eur for s in scopes], [s.balance_eur for s in scopes],
        [_share(s.exports_eur, france.exports_eur) for s in scopes],
        [_share(s.imports_eur, france.imports_eur) for s in scopes],
    ]
    row_formats = [formats.meur, formats.meur, formats.meur_signed, formats.pct2, formats.pct2]
    for label, numbers, fmt in zip(texts.XLSX_COMPARISON_ROWS, values, row_formats):
        lines = _lines_needed(label, COMPARISON_LABEL_WIDTH)
        ws.write_string(row, 0, label, formats.text_wrap if lines > 1 else formats.text)
        for j, value in enumerate(numbers, start=1):
            ws.write_number(row, j, value, fmt)
        if lines > 1:
            ws.set_row(row, LINE_PT * lines + 2)
        row += 1
    _add_table(ws, TABLE_NAMES["comparaison_chiffres"], header_row, 0, len(values), headers,
               [None] * (len(scopes) + 1), formats.header)
    _color_by_sign(ws, formats, header_row + 3, 1, header_row + 3, len(scopes))
    row += 1

    # Partners on the first page, activities on the second: a block never split by a page break.
    breaks = []
    for kind in ("partners", "activities"):
        if kind == "activities":
            breaks.append(row)
        for flow in FLOWS:
            row = _write_comparison_block(ws, formats, row, scopes, kind, flow, col_widths) + 1
    _page_setup(ws, fiche, row, last_col)
    ws.set_h_pagebreaks(breaks)
    ws.freeze_panes(0, 0)


def _write_header_row(ws: Worksheet, formats: _Formats, row: int, headers: list[str],
                      col_widths: list[float]) -> None:
    """A header row, tall enough for its longest wrapped header."""
    lines = 1
    for j, header in enumerate(headers):
        ws.write_string(row, j, header, formats.header)
        lines = max(lines, _lines_needed(header, col_widths[j], bold=True))
    ws.set_row(row, LINE_PT * lines + 3)


def _write_comparison_block(ws: Worksheet, formats: _Formats, row: int, scopes: tuple[ScopeSummary, ...],
                            kind: str, flow: str, col_widths: list[float]) -> int:
    """Top 10 of each territory side by side: rank, then name, amount and share for each territory."""
    key = f"{kind}_{flow}"
    ws.write_string(row, 0, texts.XLSX_COMPARISON_BLOCKS[key], formats.section)
    row += 1
    item = texts.XLSX_COMPARISON_ITEM[kind]
    headers = [texts.XLSX_RANK]
    for scope in scopes:
        headers += texts.xlsx_comparison_headers(_scope_level(scope), item, flow)
    header_row = row
    _write_header_row(ws, formats, row, headers, col_widths)
    row += 1
    tops = [scope.top_partners(flow) if kind == "partners" else scope.top_activities(flow) for scope in scopes]
    n = max((len(t) for t in tops), default=0)
    for i in range(n):
        ws.write_number(row, 0, i + 1, formats.integer)
        lines = 1
        for s, (scope, top) in enumerate(zip(scopes, tops)):
            col = 1 + 3 * s
            total = scope.total(flow)
            if i < len(top):
                entry = top[i]
                name = entry.nom if kind == "partners" else entry.libelle_court
                value = entry.value(flow)
                needed = _lines_needed(name, col_widths[col], indent=1)
                ws.write_string(row, col, name, formats.label_indent_wrap if needed > 1 else formats.label_indent)
                lines = max(lines, needed)
                ws.write_number(row, col + 1, value, formats.meur)
                ws.write_number(row, col + 2, _share(value, total), formats.pct1)
        if lines > 1:
            ws.set_row(row, LINE_PT * lines + 2)
        row += 1
    _add_table(ws, TABLE_NAMES[f"comparaison_{key}"], header_row, 0, n, headers,
               [formats.integer] + [None, formats.meur, formats.pct1] * len(scopes), formats.header)
    return row


def _compared_scopes(fiche: Fiche) -> tuple[ScopeSummary, ...]:
    """The territories side by side: the département, its région and France; a région and France."""
    if fiche.level == "region":
        return (fiche.local, fiche.france_summary)
    return (fiche.local, fiche.region_summary, fiche.france_summary)


def _scope_level(scope: ScopeSummary) -> str:
    """« Département », « Région » or « France », as the comparison's headers name a territory."""
    return texts.XLSX_SCOPE_LEVELS[("departement", "region", "france").index(scope.territory.level)]


# ---------------------------------------------------------------------------------------------------------
# Exposition
# ---------------------------------------------------------------------------------------------------------

EXPOSITION_COLS = (44.0, 16.0, 20.0, 18.0, 20.0, 14.0)  # A:F


def _write_cells(ws: Worksheet, formats: _Formats, row: int, cells: list, col_widths: tuple[float, ...]) -> None:
    """One table row: numbers with their format, texts wrapped (and the row heightened) when they need it; a
    text right of the first column is indented, apart from the right-aligned number before it."""
    lines = 1
    for col, (value, fmt) in enumerate(cells):
        if value is None:
            continue
        if isinstance(value, str):
            bold = fmt is formats.bold
            indent = 1 if col else 0
            needed = _lines_needed(value, col_widths[col], bold=bold, indent=indent)
            lines = max(lines, needed)
            if col:
                fmt = formats.bold_indent if bold else (formats.label_indent_wrap if needed > 1 else formats.label_indent)
            elif needed > 1:
                fmt = formats.text_wrap
            ws.write_string(row, col, value, fmt)
        else:
            ws.write_number(row, col, value, fmt)
    if lines > 1:
        ws.set_row(row, LINE_PT * lines + 2)


def _exposition_table(ws: Worksheet, formats: _Formats, row: int, title: str, name: str, headers: tuple[str, ...],
                      rows: list[list], col_formats: list) -> int:
    """A section title, a header row, the rows, an Excel Table over them; returns the next free row."""
    ws.write_string(row, 0, title, formats.section)
    row += 1
    header_row = row
    _write_header_row(ws, formats, row, list(headers), list(EXPOSITION_COLS))
    row += 1
    if not rows:
        ws.write_string(row, 0, texts.XLSX_NONE, formats.text)
        rows = [[]]
    for cells in rows:
        _write_cells(ws, formats, row, cells, EXPOSITION_COLS)
        row += 1
    _add_table(ws, TABLE_NAMES[name], header_row, 0, len(rows), headers, col_formats, formats.header)
    return row + 1


def _write_exposition_sheet(ws: Worksheet, formats: _Formats, fiche: Fiche) -> None:
    """Partner shares beside the région and France, US-exposed products, import dependences, concentration."""
    exposure = fiche.exposure
    last_col = len(EXPOSITION_COLS) - 1
    for col, width in enumerate(EXPOSITION_COLS):
        ws.set_column(col, col, width)
    row = _title_block(ws, formats, fiche, texts.EXPOSURE_SHEET_TITLE.format(name=fiche.departement.nom,
                                                                            year=texts.period(fiche)), last_col)
    ws.write_string(row - 1, 0, texts.XLSX_MEUR_NOTE, formats.muted)
    if exposure is None:
        _page_setup(ws, fiche, row, last_col)
        return
    # A région's fiche: the région (its « departement » level) and France; France's: France alone.
    levels = {"region": ("departement", "france"), "france": ("departement",)}.get(fiche.level,
                                                                                ("departement", "region", "france"))
    headers = (texts.EXPOSURE_SHARES_HEADERS if fiche.level == "departement"
               else (texts.EXPOSURE_SHARES_HEADERS[0], *texts.level_headers(fiche.level)))
    shares = []
    for flow in FLOWS:
        flows = [exposure.flow(level, flow) for level in levels]
        for label, attr in zip(texts.EXPOSURE_SHARE_LABELS[flow], ("us_pct", "china_pct", "eu27_pct",
                                                                   "first_partner_pct")):
            shares.append([(label, formats.text)] + [(getattr(f, attr) / 100, formats.pct1) for f in flows])
        shares.append([(texts.EXPOSURE_FIRST_PARTNER_ROWS[flow], formats.text)]
                      + [(f.first_partner_name or texts.XLSX_NONE, formats.text) for f in flows])
    row = _exposition_table(ws, formats, row, texts.EXPOSURE_SHARES_TITLE, "exposition_parts",
                            headers, shares, [None] * len(headers))
    _write_wrapped(ws, row - 1, 0, last_col, texts.EXPOSURE_SHARE_NOTE, formats.muted_wrap,
                   sum(EXPOSITION_COLS))
    row += 1

    us_rows = [[(p.libelle, formats.text), (p.code, formats.text), (p.us_exports_eur, formats.meur),
                (p.exports_eur, formats.meur), (p.us_share_pct / 100, formats.pct1)] for p in exposure.us_products]
    row = _exposition_table(ws, formats, row, texts.EXPOSURE_US_TITLE, "exposition_etats_unis",
                            texts.EXPOSURE_US_HEADERS, us_rows, [None, None, formats.meur, formats.meur, formats.pct1])
    ws.write_number(row - 1, 1, exposure.us_rank, formats.rank)
    ws.write_string(row - 1, 2, texts.exposure_rank_of(exposure.n_ranked, fiche.exports.rank_level), formats.text)
    ws.set_row(row - 1, LINE_PT * _lines_needed(texts.EXPOSURE_RANK_LABEL, EXPOSITION_COLS[0], bold=True) + 2)
    ws.write_string(row - 1, 0, texts.EXPOSURE_RANK_LABEL, formats.text_wrap)
    row += 1

    ws.set_h_pagebreaks([row])  # the dependences and the concentration on the second page, never split
    dependence_rows = [[(d.libelle, formats.text), (d.code, formats.text), (d.imports_eur, formats.meur),
                        (d.supplier_name or texts.XLSX_NONE, formats.text), (d.supplier_share_pct / 100, formats.pct1),
                        (texts.XLSX_YES if d.dependent else texts.XLSX_NO, formats.bold if d.dependent else formats.text)]
                       for d in exposure.import_dependences]
    row = _exposition_table(ws, formats, row, texts.EXPOSURE_DEPENDENCE_TITLE, "exposition_dependances",
                            texts.EXPOSURE_DEPENDENCE_HEADERS, dependence_rows,
                            [None, None, formats.meur, None, formats.pct1, None])

    hhi_rows = []
    for flow in FLOWS:
        f = exposure.flow("departement", flow)
        hhi_rows.append([(texts.FLOW_LABEL[flow], formats.text), (f.hhi_partners, formats.eur),
                         (texts.HHI_BAND_LABEL[hhi_band(f.hhi_partners)], formats.text),
                         (f.hhi_products, formats.eur),
                         (texts.HHI_BAND_LABEL[hhi_band(f.hhi_products)], formats.text),
                         (f.top3_pct / 100, formats.pct1)])
    row = _exposition_table(ws, formats, row, texts.EXPOSURE_HHI_TITLE, "exposition_concentration",
                            texts.EXPOSURE_HHI_HEADERS, hhi_rows,
                            [None, formats.eur, None, formats.eur, None, formats.pct1])
    _write_wrapped(ws, row - 1, 0, last_col, texts.HHI_SOURCE, formats.muted_wrap, sum(EXPOSITION_COLS))
    _page_setup(ws, fiche, row, last_col)


# ---------------------------------------------------------------------------------------------------------
# Évolution
# ---------------------------------------------------------------------------------------------------------

EVOLUTION_COLS = (24.0, 13.0, 15.0, 15.0, 15.0, 15.0, 15.0, 11.0)  # A:H
EVOLUTION_CHART_PX = 330
# The chart's points, in columns right of the print area, hidden (the chart shows hidden data): x in years
# (a quarter or a year at the middle of its span, so each year's tick is where it begins and the EMEBI line
# falls on the 2022 tick), exports and imports in euros; then the break line's two points.
EVOLUTION_DATA_COL = len(EVOLUTION_COLS) + 1


def _evolution_table(ws: Worksheet, formats: _Formats, row: int, title: str, name: str, headers: tuple[str, ...],
                     rows: list[list], col_formats: list) -> tuple[int, int]:
    """A section title, a header row, the rows and an Excel Table; returns (first data row, next free row)."""
    ws.write_string(row, 0, title, formats.section)
    row += 1
    _write_header_row(ws, formats, row, list(headers), list(EVOLUTION_COLS))
    header_row, row = row, row + 1
    for cells in rows or [[(texts.XLSX_NONE, formats.text)]]:
        _write_cells(ws, formats, row, cells, EVOLUTION_COLS)
        row += 1
    _add_table(ws, TABLE_NAMES[name], header_row, 0, max(len(rows), 1), headers, col_formats, formats.header)
    return header_row + 1, row + 1


def _growth_cell(formats: _Formats, value: float | None) -> tuple:
    return (texts.XLSX_NONE, formats.text) if value is None else (value / 100, formats.pct1)


def chart_points(evolution) -> list[tuple[str, float, float, float]]:
    """(label, x in years, exports, imports) of the evolution chart: every quarter when the data has two or
    more, else every year; x is the middle of the period (2024 T1 → 2024.125, 2024 → 2024.5)."""
    if len(evolution.quarters) >= 2:
        return [(texts.quarter_label(q.year, q.quarter), q.year + (q.quarter - 0.5) / 4, q.exports_eur,
                 q.imports_eur) for q in evolution.quarters]
    return [(texts.period_label(y.year, y.quarters), y.year + 0.5, y.exports_eur, y.imports_eur)
            for y in evolution.years]


def _write_evolution_sheet(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: _Formats, fiche: Fiche) -> None:
    """Exports, imports, balance and growth by year (partial years labelled), by quarter, the main partners
    year by year, and a native chart of the points with the January 2022 collection break marked."""
    evolution = fiche.evolution
    last_col = len(EVOLUTION_COLS) - 1
    for col, width in enumerate(EVOLUTION_COLS):
        ws.set_column(col, col, width)
    row = _title_block(ws, formats, fiche, texts.XLSX_EVOLUTION_TITLE.format(name=fiche.departement.nom), last_col)
    ws.write_string(row - 1, 0, texts.XLSX_MEUR_NOTE, formats.muted)
    if evolution is None:
        _page_setup(ws, fiche, row, last_col)
        return
    years = [[(texts.period_label(y.year, y.quarters), formats.text), (y.year, formats.integer),
              (y.exports_eur, formats.meur), (y.imports_eur, formats.meur), (y.balance_eur, formats.meur_signed),
              _growth_cell(formats, y.exports_growth_pct), _growth_cell(formats, y.imports_growth_pct),
              (texts.XLSX_YES if y.partial else texts.XLSX_NO, formats.bold if y.partial else formats.text)]
             for y in evolution.years]
    first, row = _evolution_table(ws, formats, row, texts.XLSX_EVOLUTION_YEARS_TITLE, "evolution_annees",
                                  texts.XLSX_EVOLUTION_YEARS_HEADERS, years,
                                  [None, formats.integer, formats.meur, formats.meur, formats.meur_signed,
                                   formats.pct1, formats.pct1, None])
    _color_by_sign(ws, formats, first, 4, first + len(years) - 1, 4)
    for text in (texts.EVOLUTION_GROWTH_KEY,
                 texts.EMEBI_BREAK_CAVEAT if evolution.break_inside else texts.EVOLUTION_SINCE_BREAK):
        _write_wrapped(ws, row - 1, 0, last_col, text, formats.muted_wrap, sum(EVOLUTION_COLS))
        row += 1
    row = _insert_evolution_chart(workbook, ws, formats, fiche, row)

    breaks = [row]  # years and chart, quarters, partners: each on its own printed page, never split
    quarters = [[(texts.quarter_label(q.year, q.quarter), formats.text), (q.year, formats.integer),
                 (q.quarter, formats.integer), (q.exports_eur, formats.meur), (q.imports_eur, formats.meur),
                 (q.exports_eur - q.imports_eur, formats.meur_signed)] for q in evolution.quarters]
    if quarters:
        first, row = _evolution_table(ws, formats, row, texts.XLSX_EVOLUTION_QUARTERS_TITLE, "evolution_trimestres",
                                      texts.XLSX_EVOLUTION_QUARTERS_HEADERS, quarters,
                                      [None, formats.integer, formats.integer, formats.meur, formats.meur,
                                       formats.meur_signed])
        _color_by_sign(ws, formats, first, 5, first + len(quarters) - 1, 5)
        breaks.append(row)
    ws.set_h_pagebreaks(breaks)
    partners = [[(p.nom, formats.text), (p.code, formats.text), (year, formats.integer), (exports, formats.meur),
                 (imports, formats.meur), (exports - imports, formats.meur_signed)]
                for p in evolution.partners for year, exports, imports in p.by_year]
    first, row = _evolution_table(ws, formats, row, texts.XLSX_EVOLUTION_PARTNERS_TITLE.format(year=texts.period(fiche)),
                                  "evolution_partenaires", texts.XLSX_EVOLUTION_PARTNERS_HEADERS, partners,
                                  [None, None, formats.integer, formats.meur, formats.meur, formats.meur_signed])
    if partners:
        _color_by_sign(ws, formats, first, 5, first + len(partners) - 1, 5)
    if any(y.partial for y in evolution.years):  # a partial year's partner figures cover only its quarters
        _write_wrapped(ws, row - 1, 0, last_col, texts.xlsx_evolution_years_note(fiche), formats.muted_wrap,
                       sum(EVOLUTION_COLS))
        row += 1
    _page_setup(ws, fiche, row, last_col)


def _insert_evolution_chart(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: _Formats, fiche: Fiche,
                            row: int) -> int:
    """The evolution chart below the year table (a scatter with straight lines, x in years) and its points in
    hidden columns; the EMEBI break as a third series, a vertical line at 2022, when the years span it.
    Returns the next free row."""
    evolution = fiche.evolution
    points = chart_points(evolution)
    if len(points) < 2:
        ws.write_string(row, 0, texts.XLSX_EVOLUTION_ONE_PERIOD, formats.muted)
        return row + 2
    sheet, col = ws.get_name(), EVOLUTION_DATA_COL
    ws.write_string(row, col, texts.XLSX_EVOLUTION_CHART_DATA, formats.muted)
    for j, header in enumerate(("Période", "Abscisse", *texts.XLSX_EVOLUTION_QUARTERS_HEADERS[3:5])):
        ws.write_string(row + 1, col + j, header, formats.bold)
    first = row + 2
    for i, (label, x, exports, imports) in enumerate(points):
        ws.write_string(first + i, col, label, formats.text)
        ws.write_number(first + i, col + 1, x, formats.text)
        ws.write_number(first + i, col + 2, exports, formats.meur)
        ws.write_number(first + i, col + 3, imports, formats.meur)
    last = first + len(points) - 1
    low_x, high_x = math.floor(points[0][1]), math.ceil(points[-1][1])
    _, high, unit = _butterfly_axis(0.0, max(max(p[2], p[3]) for p in points))
    chart = workbook.add_chart({"type": "scatter", "subtype": "straight_with_markers"})
    for j, flow in ((2, "E"), (3, "I")):
        colour = "#" + theme.FLOW_COLOUR[flow]
        chart.add_series({
            "name": texts.FLOW_LABEL[flow],
            "categories": [sheet, first, col + 1, last, col + 1],
            "values": [sheet, first, col + j, last, col + j],
            "line": {"color": colour, "width": 2.25},
            "marker": {"type": "circle", "size": 5, "fill": {"color": colour}, "border": {"color": colour}},
        })
    if evolution.break_inside:
        break_row = last + 2
        ws.write_string(break_row - 1, col, texts.EVOLUTION_BREAK_LABEL, formats.bold)
        for i, y in enumerate((0.0, high)):
            ws.write_number(break_row + i, col + 1, float(EMEBI_BREAK_YEAR), formats.text)
            ws.write_number(break_row + i, col + 2, y, formats.meur)
        chart.add_series({
            "name": texts.EVOLUTION_BREAK_LABEL,
            "categories": [sheet, break_row, col + 1, break_row + 1, col + 1],
            "values": [sheet, break_row, col + 2, break_row + 1, col + 2],
            "line": {"color": "#" + theme.HIGHLIGHT, "width": 1.5, "dash_type": "dash"},
            "marker": {"type": "none"},
            "data_labels": {"custom": [{"delete": True}, {"value": texts.EVOLUTION_BREAK_LABEL}],
                            "position": "right",
                            "font": {"size": 9, "bold": True, "name": theme.FONT, "color": "#" + theme.HIGHLIGHT}},
        })
        last = break_row + 1
    ws.set_column(col, col + 3, EVOLUTION_COLS[2], None, {"hidden": True})
    chart.show_hidden_data()
    chart.set_x_axis({"min": low_x, "max": high_x, "major_unit": 1, "num_format": "0",
                      "num_font": {"size": 9, "name": theme.FONT}, "line": {"color": "#BFBFBF"},
                      "major_gridlines": {"visible": False},
                      "name": texts.XLSX_EVOLUTION_CHART_X, "name_font": {"size": 9, "bold": False, "name": theme.FONT}})
    chart.set_y_axis({"min": 0, "max": high, "major_unit": unit, "num_format": _axis_format(unit),
                      "num_font": {"size": 9, "name": theme.FONT},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
                      "name": texts.XLSX_EVOLUTION_CHART_AXIS, "name_font": {"size": 9, "bold": False, "name": theme.FONT}})
    by_quarter = len(evolution.quarters) >= 2
    chart.set_title({"name": texts.evolution_chart_title(fiche.departement.nom, by_quarter),
                     "name_font": {"size": 10, "bold": True, "name": theme.FONT}})
    chart.set_legend({"position": "top", "font": {"size": 9, "name": theme.FONT}})
    chart.set_chartarea({"border": {"none": True}})
    width = sum(_col_px(w) for w in EVOLUTION_COLS) - 4
    chart.set_size({"width": width, "height": EVOLUTION_CHART_PX})
    ws.insert_chart(row, 0, chart, {"x_offset": 0, "y_offset": 4, "object_position": 1})
    return max(row + math.ceil((EVOLUTION_CHART_PX + 8) / ROW_PX), last + 1) + 1


# ---------------------------------------------------------------------------------------------------------
# Données
# ---------------------------------------------------------------------------------------------------------

def _as_text_categorical(series: pd.Series) -> pd.Categorical:
    """A column as the text of its cells (empty for missing), held as codes and distinct texts: one
    byte or two a cell instead of a string object a cell."""
    categorical = series.astype("category")
    texts_of = [str(c) for c in categorical.cat.categories] + [""]
    unique = list(dict.fromkeys(texts_of))
    position = np.array([unique.index(t) for t in texts_of], dtype=np.int64)
    codes = categorical.cat.codes.to_numpy()
    return pd.Categorical.from_codes(position[np.where(codes < 0, len(texts_of) - 1, codes)], categories=unique)


DATA_NOTE_WIDTH = 150.0  # characters: the notes above the Données table span the columns within one screen


def _write_donnees_sheet(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: _Formats, fiche: Fiche) -> None:
    """The detail table, every year, filtered on the fiche's year, named for PivotTables, left out of printing.

    Every year stays in one table so that a PivotTable can compare years; the autofilter on « Année »
    shows the fiche's year on opening (the other rows hidden, the filter button showing it is on). A
    PivotTable reads hidden rows too (Excel and LibreOffice alike), so the fiche's year comes first and has
    its own name, « Donnees_2024 », the source that cannot add years; « Donnees » is every year, and the
    notes above the table say which to choose. An autofilter rather than an Excel Table: XlsxWriter writes a
    table's filter without criteria, and a sheet cannot hold both.
    """
    long_rows = fiche.detail
    if "annee" in long_rows.columns:  # the fiche's year first, the other years after in their order
        order = np.argsort(long_rows["annee"].to_numpy() != fiche.year, kind="stable")
        long_rows = long_rows.iloc[order].reset_index(drop=True)
    ws.write_string(0, 0, texts.XLSX_DATA_TITLE, formats.subtitle)
    header_row = DATA_HEADER_ROW
    first = header_row + 1
    headers = [texts.XLSX_DATA_HEADERS.get(c, c) for c in long_rows.columns]
    n = len(long_rows)
    columns: list[tuple[list, Format | None]] = []
    col_widths = []
    for j, column in enumerate(long_rows.columns):
        series = long_rows[column]
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            fmt = formats.eur if column == "valeur_eur" else formats.integer
            values = series.astype("float64").fillna(0.0)
            shown = len(f"{values.abs().max():,.0f}") + 1 if n else 4
            columns.append((values.to_numpy(), fmt))  # arrays, not lists: 8 bytes a cell until written
        else:
            strings = _as_text_categorical(series)
            shown = max((len(c) for c in strings.categories), default=4) if n else 4
            columns.append((strings, None))
        # As wide as the longest label (a data table: nothing cut, the sheet scrolls), the filter button
        # beside the header included.
        col_widths.append(min(max(min(len(headers[j]), 14) + 3, shown) * 1.05 + 3, 255.0))
        ws.set_column(j, j, col_widths[-1])

    # One paragraph above the table (defaults.DETAIL_MAX_ROWS leaves room for one row): the demonstration
    # warning in bold, what the table holds and its filter, PivotTables, printing.
    notes = [texts.xlsx_data_years_note(fiche), texts.xlsx_data_pivot_note(fiche), texts.xlsx_data_print_note(n)]
    cumulative = np.cumsum(col_widths)
    note_last_col = max(int(np.searchsorted(cumulative, DATA_NOTE_WIDTH, side="right")) - 1, min(3, len(headers) - 1))
    note_width = float(cumulative[note_last_col])
    ws.merge_range(1, 0, 1, note_last_col, "", formats.note)
    body = " ".join(notes)
    if fiche.demonstration:
        ws.write_rich_string(1, 0, formats.warning_run, texts.DEMO_WARNING + ". ", formats.note_run, body,
                             formats.note)
        body = texts.DEMO_WARNING + ". " + body
    else:
        ws.write_string(1, 0, body, formats.note)
    ws.set_row(1, LINE_PT * _lines_needed(body, note_width) + 4)

    col_formats = [fmt for _, fmt in columns]
    years = long_rows["annee"].to_numpy() if "annee" in long_rows.columns else np.full(n, fiche.year)
    hidden = years != fiche.year
    for j, header in enumerate(headers):
        ws.write_string(header_row, j, header, formats.header)
    if n and xlsx_internals.can_stream(ws, col_formats):
        xlsx_internals.stream_rows(ws, first, columns, hidden)
    else:
        for j, (values, fmt) in enumerate(columns):
            write = ws.write_string if fmt is None else ws.write_number
            for i, value in enumerate(values):
                if fmt is None and value == "":
                    continue
                write(first + i, j, value, fmt)
        for i in np.flatnonzero(hidden):
            ws.set_row(first + int(i), None, None, {"hidden": True})
    last_row = header_row + max(n, 1)
    ws.autofilter(header_row, 0, last_row, len(headers) - 1)
    if "annee" in long_rows.columns:
        ws.filter_column_list(list(long_rows.columns).index("annee"), [str(fiche.year)])
    sheet_ref = _sheet_ref(ws)
    workbook.define_name(DATA_RANGE_NAME, f"={sheet_ref}!{xl_range_abs(header_row, 0, last_row, len(headers) - 1)}")
    n_year = int((~hidden).sum())
    if n_year:
        workbook.define_name(texts.xlsx_data_year_range(fiche.year),
                             f"={sheet_ref}!{xl_range_abs(header_row, 0, header_row + n_year, len(headers) - 1)}")
    ws.set_row(header_row, 30)
    # Printed: the title and the notes only (the table would be dozens of unreadable pages).
    _page_setup(ws, fiche, 1, note_last_col, screen_gridlines=True)
    ws.freeze_panes(header_row + 1, 0)


def _sheet_ref(ws: Worksheet) -> str:
    """A sheet's name as a formula reference: quoted, its quotes doubled."""
    return "'" + ws.get_name().replace("'", "''") + "'"


# ---------------------------------------------------------------------------------------------------------
# Méthode
# ---------------------------------------------------------------------------------------------------------

def _write_methode_sheet(ws: Worksheet, formats: _Formats, fiche: Fiche, *, command: str, version: str,
                         subtitle: str | None = None) -> None:
    labels = texts.XLSX_METHOD_LABELS
    label_width, text_width = 28.0, 110.0
    ws.set_column(0, 0, label_width)
    ws.set_column(1, 1, text_width)
    row = _title_block(ws, formats, fiche, texts.XLSX_METHOD_TITLE, 1, subtitle)
    data = fiche.data
    entries: list[tuple[str, list[str]]] = [
        (labels["sources"], [texts.sources_line(texts.period(fiche))]),
        (labels["source"], [data.source]),
        (labels["files"], list(data.files) or [texts.XLSX_NONE]),
        (labels["created"], [texts.xlsx_data_date(data.created, fiche.demonstration)]),
        (labels["demonstration"], [texts.XLSX_YES if fiche.demonstration else texts.XLSX_NO]),
        (labels["years"], [texts.years_line(fiche),
                           *texts.detail_years_note(fiche)]),
        (labels["concepts"], list(texts.DATA_CONCEPTS)),
        (labels["units"], [texts.XLSX_METHOD_UNITS]),
        (labels["donnees"], texts.xlsx_method_donnees(fiche)),
        *([(labels["national"], texts.national_gap_of(fiche))] if texts.national_gap_of(fiche) else []),
        (labels["caveats"], [texts.CAVEATS_INTRO, *(f"– {c}" for c in texts.caveats_of(fiche))]),
        (labels["version"], [version or texts.XLSX_NONE]),
        (labels["command"], [command or texts.XLSX_NONE]),
    ]
    for label, paragraphs in entries:
        ws.write_string(row, 0, label, formats.bold_top)
        for paragraph in paragraphs:
            ws.write_string(row, 1, paragraph, formats.wrap)
            ws.set_row(row, LINE_PT * _lines_needed(paragraph, text_width) + 3)
            row += 1
        row += 1
    _page_setup(ws, fiche, row, 1)


# ---------------------------------------------------------------------------------------------------------
# Répartition: a région's départements, France's régions
# ---------------------------------------------------------------------------------------------------------
BREAKDOWN_COLS = (6.0, 8.0, 28.0, 16.0, 16.0, 16.0, 12.0, 12.0)


def _write_breakdown_sheet(workbook: xlsxwriter.Workbook, ws: Worksheet, formats: _Formats, fiche: Fiche) -> None:
    """One row per part (rank by exports, code, name, exports, imports, balance, shares of the whole), the
    total under it, and a native bar chart of exports and imports by part beside."""
    parts = fiche.breakdown
    headers = texts.breakdown_headers(fiche.level)
    for col, width in enumerate(BREAKDOWN_COLS):
        ws.set_column(col, col, width)
    title = texts.breakdown_chart_title(fiche.level, fiche.departement.nom, texts.period(fiche))
    row = _title_block(ws, formats, fiche, title, len(headers) - 1)
    ws.write_string(row - 1, 0, texts.XLSX_MEUR_NOTE, formats.muted)
    header_row = row
    _write_header_row(ws, formats, row, list(headers), list(BREAKDOWN_COLS))
    row += 1
    exports, imports = fiche.exports.total_eur, fiche.imports.total_eur
    for rank, part in enumerate(parts, start=1):
        ws.write_number(row, 0, rank, formats.integer)
        ws.write_string(row, 1, part.code, formats.text)
        ws.write_string(row, 2, part.nom, formats.text)
        ws.write_number(row, 3, part.exports_eur, formats.meur)
        ws.write_number(row, 4, part.imports_eur, formats.meur)
        ws.write_number(row, 5, part.balance_eur, formats.meur_signed)
        ws.write_number(row, 6, _share(part.exports_eur, exports), formats.pct1)
        ws.write_number(row, 7, _share(part.imports_eur, imports), formats.pct1)
        row += 1
    _add_table(ws, TABLE_NAMES["repartition"], header_row, 0, len(parts), list(headers),
               [formats.integer, None, None, formats.meur, formats.meur, formats.meur_signed, formats.pct1,
                formats.pct1], formats.header)
    _color_by_sign(ws, formats, header_row + 1, 5, row - 1, 5)
    ws.write_string(row, 2, texts.XLSX_TOTAL, formats.total_label)
    ws.write_number(row, 3, sum(p.exports_eur for p in parts), formats.meur)
    ws.write_number(row, 4, sum(p.imports_eur for p in parts), formats.meur)
    ws.write_number(row, 5, sum(p.balance_eur for p in parts), formats.meur_signed)
    first, last = header_row + 1, header_row + len(parts)
    sheet = ws.get_name()
    chart = workbook.add_chart({"type": "bar"})
    for col, flow in ((3, "E"), (4, "I")):
        chart.add_series({
            "name": texts.FLOW_LABEL[flow],
            "categories": [sheet, first, 2, last, 2],
            "values": [sheet, first, col, last, col],
            "fill": {"color": "#" + theme.FLOW_COLOUR[flow]},
            "border": {"none": True},
            "gap": 40,
        })
    chart.set_x_axis({"num_format": FMT_MEUR, "num_font": {"size": 9, "name": theme.FONT},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_y_axis({"reverse": True, "num_font": {"size": 9, "name": theme.FONT}, "line": {"color": "#BFBFBF"}})
    chart.set_title({"name": title, "name_font": {"size": 10, "bold": True, "name": theme.FONT}})
    chart.set_legend({"position": "top", "font": {"size": 9, "name": theme.FONT}})
    chart.set_chartarea({"border": {"none": True}})
    chart.set_size({"width": 760, "height": max(320, 28 * len(parts) + 110)})
    chart_row = row + 2
    ws.insert_chart(chart_row, 0, chart, {"object_position": 1})
    last_row = chart_row + int(max(320, 28 * len(parts) + 110) / ROW_PX) + 1
    _page_setup(ws, fiche, last_row, len(headers) - 1, header_row)
    ws.set_h_pagebreaks([chart_row])  # the chart printed whole on a page of its own
