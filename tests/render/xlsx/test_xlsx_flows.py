"""The « Flux export » and « Flux import » sheets (render/xlsx/flows.py): the matrix's totals equal the fiche's, the
main flows highlighted, a heat map."""

from __future__ import annotations

import pytest
from xlsx_helpers import find

from fichex.wording import workbook as workbook_text


@pytest.mark.parametrize("sheet, flow", [("Flux export", "E"), ("Flux import", "I")])
def test_flow_totals_equal_the_fiche(workbook_23, fiche_23, sheet, flow):
    ws = workbook_23[sheet]
    matrix = fiche_23.local.export_flows if flow == "E" else fiche_23.local.import_flows
    total = (fiche_23.exports if flow == "E" else fiche_23.imports).total_eur
    header, _ = find(ws, workbook_text.XLSX_FLOW_CORNER[flow])
    n_s, n_t = len(matrix.sources), len(matrix.targets)
    total_row, total_col = header + n_s + 1, n_t + 2
    row_totals = [ws.cell(header + 1 + i, total_col).value for i in range(n_s)]
    col_totals = [ws.cell(total_row, 2 + j).value for j in range(n_t)]
    assert sum(row_totals) == pytest.approx(total)
    assert sum(col_totals) == pytest.approx(total)
    assert ws.cell(total_row, total_col).value == total
    red = {(i, j) for i in range(n_s) for j in range(n_t)
           if ws.cell(header + 1 + i, 2 + j).font.color is not None
           and ws.cell(header + 1 + i, 2 + j).font.color.rgb.endswith("D62828")}
    assert red == set(matrix.highlighted)
    assert any(cf.rules[0].type == "colorScale" for cf in ws.conditional_formatting)
