"""The « Comparaison » sheet (render/xlsx/comparison.py): the territory beside its région and France."""

from __future__ import annotations

from xlsx_helpers import find

from fichex.wording import workbook as workbook_text


def test_comparaison_key_figures(workbook_23, fiche_23):
    ws = workbook_23["Comparaison"]
    row = find(ws, workbook_text.XLSX_COMPARISON_ROWS[0])[0]
    assert [ws.cell(row, c).value for c in (2, 3, 4)] == [
        fiche_23.local.exports_eur, fiche_23.region_summary.exports_eur, fiche_23.france_summary.exports_eur]


def test_comparaison_names_are_indented(workbook_23, fiche_23):
    ws = workbook_23["Comparaison"]
    name = fiche_23.region_summary.top_partners_export[0].nom
    rows = [cell for row in ws.iter_rows() for cell in row if cell.value == name and cell.column > 2]
    assert rows and all(cell.alignment.indent >= 1 for cell in rows)
