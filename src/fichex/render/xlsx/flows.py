"""The « Flux export » and « Flux import » sheets: the flow matrix (activities × countries) as a heat map."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from fichex.wording import grammar as grammar_text, model_text, workbook as workbook_text
from fichex.aggregation.model import Fiche, FlowMatrix
from fichex.render import theme
from fichex.render.xlsx.base import (LINE_PT, Formats, fiche_document, lines_needed, page_setup, title_block,
                                     write_wrapped)
from fichex.wording.numbers import meur_text
from fichex.wording.places import place_of


def write_flows_sheet(ws: Worksheet, formats: Formats, fiche: Fiche, matrix: FlowMatrix) -> None:
    """The top 10 × top 10 (+ « Autres ») matrix as a heat map, the five main flows in red, totals around it."""
    flow = matrix.flow
    n_cols = len(matrix.targets) + 2
    last_col = max(n_cols - 1, 6)
    label_width, value_width = _fit_columns(ws, fiche, matrix, last_col)
    document = fiche_document(fiche)
    row = title_block(ws, formats, document, model_text.flows_title(flow, fiche.territory.nom, grammar_text.period(fiche)),
                      last_col)
    row = _write_key(ws, formats, fiche, flow, row, last_col, label_width + value_width * last_col)
    header_row = row
    _write_targets_header(ws, formats, row, matrix, value_width)
    row = _write_sources(ws, formats, row + 1, matrix, label_width)
    last = row - 1
    ws.write_string(row, 0, workbook_text.XLSX_TOTAL, formats.total_label)
    for j, value in enumerate(matrix.target_totals, start=1):
        ws.write_number(row, j, value, formats.total_meur)
    ws.write_number(row, len(matrix.targets) + 1, fiche.share(flow).total_eur if matrix.values else 0.0,
                    formats.total_meur)
    if matrix.values and matrix.targets:
        ws.conditional_format(header_row + 1, 1, last, len(matrix.targets), {
            "type": "2_color_scale",
            "min_color": "#" + theme.XLSX_HEAT_LOW,
            "max_color": "#" + theme.XLSX_HEAT[flow],
        })
    page_setup(ws, document, row, last_col, header_row)
    ws.freeze_panes(header_row + 1, 1)


def _fit_columns(ws: Worksheet, fiche: Fiche, matrix: FlowMatrix, last_col: int) -> tuple[float, float]:
    """The first column as wide as its longest label, the value columns as their widest figure, the last
    one as the grand total (bold); returns the label and value widths (characters)."""
    n_cols = len(matrix.targets) + 2
    label_width = min(max((len(s.label) for s in matrix.sources), default=10) * 1.05 + 2, 40.0)
    label_width = max(label_width, 24.0)
    cells = [v for values in matrix.values for v in values] + list(matrix.source_totals) + list(matrix.target_totals)
    value_width = max(11.0, max((len(meur_text(v, signed=False)) for v in cells), default=0) * 1.1 + 2)
    total_width = max(value_width, len(meur_text(fiche.share(matrix.flow).total_eur, signed=False)) * 1.15 + 2)
    ws.set_column(0, 0, label_width)
    ws.set_column(1, last_col, value_width)
    ws.set_column(n_cols - 1, n_cols - 1, total_width)  # the grand total, bold
    return label_width, value_width


def _write_key(ws: Worksheet, formats: Formats, fiche: Fiche, flow: str, row: int, last_col: int,
               text_width: float) -> int:
    """How to read the matrix, the model's sentences on the flow, the unit; returns the matrix's first row."""
    write_wrapped(ws, row, 0, last_col, model_text.flows_key(flow, place_of(fiche)) + " " + model_text.flows_sides(flow, place_of(fiche)), formats.wrap,
                  text_width)
    row += 1
    for i, line in enumerate(model_text.headline_lines(fiche, flow)):
        ws.write_string(row, 0, line, formats.bold if i == 0 else formats.text)
        row += 1
    ws.write_string(row, 0, workbook_text.XLSX_FLOW_UNIT, formats.muted)
    return row + 2


def _write_targets_header(ws: Worksheet, formats: Formats, row: int, matrix: FlowMatrix, value_width: float) -> None:
    """The corner, one header per country and the total column, the row tall enough for the longest name."""
    ws.write_string(row, 0, workbook_text.XLSX_FLOW_CORNER[matrix.flow], formats.header)
    for j, target in enumerate(matrix.targets, start=1):
        ws.write_string(row, j, target.label, formats.header)
    ws.write_string(row, len(matrix.targets) + 1, workbook_text.XLSX_TOTAL, formats.header)
    longest = max((lines_needed(t.label, value_width, bold=True) for t in matrix.targets), default=1)
    ws.set_row(row, LINE_PT * longest + 4)


def _write_sources(ws: Worksheet, formats: Formats, row: int, matrix: FlowMatrix, label_width: float) -> int:
    """One row per activity: its label (wrapped when long), its flows (the main ones highlighted), its
    total; returns the next free row."""
    for i, source in enumerate(matrix.sources):
        lines = lines_needed(source.label, label_width)
        ws.write_string(row, 0, source.label, formats.text_wrap if lines > 1 else formats.label)
        if lines > 1:
            ws.set_row(row, LINE_PT * lines + 2)
        for j, value in enumerate(matrix.values[i]):
            ws.write_number(row, j + 1, value, formats.highlight if (i, j) in matrix.highlighted else formats.meur)
        ws.write_number(row, len(matrix.targets) + 1, matrix.source_totals[i], formats.total_meur)
        row += 1
    return row
