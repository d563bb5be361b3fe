"""The « Comparaison » sheet: the territory beside its région and France, key figures and top 10s side by side."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from fichex.wording.places import place_of
from fichex.wording import grammar as grammar_text, workbook as workbook_text
from fichex.aggregation.model import FLOWS, Fiche, FlowShare, ScopeSummary
from fichex.territories import MONACO_CODE
from fichex.render.xlsx.base import (LINE_PT, TABLE_NAMES, Formats, add_table, color_by_sign, fiche_document,
                                     lines_needed, page_setup, set_widths, share, title_block, write_header_row)
from fichex.wording.numbers import meur_text

# Columns: A the indicator or the rank (at least COMPARISON_LABEL_WIDTH, as wide as the key figures' labels),
# then per territory its name, its amount and its share; the key figures use A:D. Names wrap rather than
# widen the sheet, so it prints near 90 %.
COMPARISON_LABEL_WIDTH = 20.0
COMPARISON_NAME_WIDTH = 24.0
COMPARISON_SHARE_WIDTH = 9.0


def write_comparison_sheet(ws: Worksheet, formats: Formats, fiche: Fiche) -> None:
    """The key figures of the territory, its région and France in columns, then their top partners (first
    printed page) and top activities (second page), exported and imported."""
    scopes = _compared_scopes(fiche)
    last_col = 3 * len(scopes)
    col_widths = _col_widths(scopes)
    set_widths(ws, col_widths)
    document = fiche_document(fiche)
    row = title_block(ws, formats, document, workbook_text.comparison_title(place_of(fiche), grammar_text.period(fiche)), last_col)
    ws.write_string(row - 1, 0, workbook_text.XLSX_MEUR_NOTE, formats.muted)
    row = _write_key_figures(ws, formats, row, scopes, fiche.france_summary, col_widths, fiche.exports) + 1
    # Partners on the first page, activities on the second: a block never split by a page break.
    breaks = []
    for kind in ("partners", "activities"):
        if kind == "activities":
            breaks.append(row)
        for flow in FLOWS:
            row = _write_comparison_block(ws, formats, row, scopes, kind, flow, col_widths) + 1
    page_setup(ws, document, row, last_col)
    ws.set_h_pagebreaks(breaks)
    ws.freeze_panes(0, 0)


def _col_widths(scopes: tuple[ScopeSummary, ...]) -> list[float]:
    """The label column, then name, amount and share per territory, the amounts as wide as the widest."""
    amount_width = max(12.0, max(len(meur_text(v)) for s in scopes
                                 for v in (s.exports_eur, s.imports_eur, s.balance_eur)) * 1.1 + 1)
    label_width = COMPARISON_LABEL_WIDTH  # each key figure's label on one line
    while any(lines_needed(label, label_width) > 1 for label in workbook_text.XLSX_COMPARISON_ROWS):
        label_width += 0.5
    col_widths = [label_width] + [COMPARISON_NAME_WIDTH, amount_width, COMPARISON_SHARE_WIDTH] * len(scopes)
    col_widths[len(scopes)] = max(col_widths[len(scopes)], amount_width)  # France's key figures
    return col_widths


def _write_key_figures(ws: Worksheet, formats: Formats, row: int, scopes: tuple[ScopeSummary, ...],
                       france: ScopeSummary, col_widths: list[float], coverage: FlowShare) -> int:
    """Exports, imports, balance and shares of France, one column per territory, an Excel Table (France named
    for what the data covers, `coverage`); returns the next free row."""
    header_row = row
    names = [grammar_text.scope_name(s.territory.level, s.territory.nom, coverage) for s in scopes]
    headers = [workbook_text.XLSX_COMPARISON_FIGURES[0]] + [workbook_text.xlsx_scope_header(_scope_level(s), name)
                                                            for s, name in zip(scopes, names)]
    write_header_row(ws, formats, row, headers, col_widths)
    row += 1
    values = [
        [s.exports_eur for s in scopes], [s.imports_eur for s in scopes], [s.balance_eur for s in scopes],
        [share(s.exports_eur, france.exports_eur) for s in scopes],
        [share(s.imports_eur, france.imports_eur) for s in scopes],
    ]
    row_formats = [formats.meur, formats.meur, formats.meur_signed, formats.pct2, formats.pct2]
    for label, numbers, fmt in zip(workbook_text.XLSX_COMPARISON_ROWS, values, row_formats):
        lines = lines_needed(label, col_widths[0])
        ws.write_string(row, 0, label, formats.text_wrap if lines > 1 else formats.text)
        for j, value in enumerate(numbers, start=1):
            ws.write_number(row, j, value, fmt)
        if lines > 1:
            ws.set_row(row, LINE_PT * lines + 2)
        row += 1
    add_table(ws, TABLE_NAMES["comparaison_chiffres"], header_row, 0, len(values), headers,
              [None] * (len(scopes) + 1), formats.header)
    color_by_sign(ws, formats, header_row + 3, 1, header_row + 3, len(scopes))
    return row


def _write_comparison_block(ws: Worksheet, formats: Formats, row: int, scopes: tuple[ScopeSummary, ...],
                            kind: str, flow: str, col_widths: list[float]) -> int:
    """Top 10 of each territory side by side: rank, then name, amount and share for each territory."""
    key = f"{kind}_{flow}"
    ws.write_string(row, 0, workbook_text.XLSX_COMPARISON_BLOCKS[key], formats.section)
    row += 1
    item = workbook_text.XLSX_COMPARISON_ITEM[kind]
    headers = [workbook_text.XLSX_RANK]
    for scope in scopes:
        headers += workbook_text.xlsx_comparison_headers(_scope_level(scope), item, flow)
    header_row = row
    write_header_row(ws, formats, row, headers, col_widths)
    row += 1
    tops = [scope.top_partners(flow) if kind == "partners" else scope.top_activities(flow) for scope in scopes]
    n = max((len(t) for t in tops), default=0)
    for i in range(n):
        ws.write_number(row, 0, i + 1, formats.integer)
        lines = 1
        for s, (scope, top) in enumerate(zip(scopes, tops)):
            if i < len(top):
                lines = max(lines, _write_entry(ws, formats, row, 1 + 3 * s, top[i], kind, flow, scope.total(flow),
                                                col_widths))
        if lines > 1:
            ws.set_row(row, LINE_PT * lines + 2)
        row += 1
    add_table(ws, TABLE_NAMES[f"comparaison_{key}"], header_row, 0, n, headers,
              [formats.integer] + [None, formats.meur, formats.pct1] * len(scopes), formats.header)
    return row


def _write_entry(ws: Worksheet, formats: Formats, row: int, col: int, entry, kind: str, flow: str, total: float,
                 col_widths: list[float]) -> int:
    """One territory's entry of a top 10: name (indented, wrapped when long), amount, share of its total;
    returns the lines the name takes."""
    name = entry.nom if kind == "partners" else entry.libelle_court
    value = entry.value(flow)
    needed = lines_needed(name, col_widths[col], indent=1)
    ws.write_string(row, col, name, formats.label_indent_wrap if needed > 1 else formats.label_indent)
    ws.write_number(row, col + 1, value, formats.meur)
    ws.write_number(row, col + 2, share(value, total), formats.pct1)
    return needed


def _compared_scopes(fiche: Fiche) -> tuple[ScopeSummary, ...]:
    """The territories side by side: the département, its région and France; a région and France."""
    if fiche.level == "region":
        return (fiche.local, fiche.france_summary)
    return (fiche.local, fiche.region_summary, fiche.france_summary)


def _scope_level(scope: ScopeSummary) -> str:
    """« Département », « Région » or « France », as the comparison's headers name a territory."""
    if scope.territory.level == "departement" and scope.territory.code == MONACO_CODE:
        return "Territoire"  # Monaco is not a département
    return workbook_text.XLSX_SCOPE_LEVELS[("departement", "region", "france").index(scope.territory.level)]
