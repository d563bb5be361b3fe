"""The « Exposition » sheet (render/xlsx/exposure.py): its cells equal the aggregate's exposure."""

from __future__ import annotations

import pytest
from xlsx_helpers import find, strings

from fichex.wording import deck as deck_text, grammar as grammar_text, workbook as workbook_text


def test_exposition_cells_equal_the_aggregate(workbook_23, fiche_23):
    ws = workbook_23["Exposition"]
    exposure = fiche_23.exposure
    row, col = find(ws, workbook_text.EXPOSURE_SHARE_LABELS["E"][0])
    assert [ws.cell(row, col + j).value for j in (1, 2, 3)] == pytest.approx(
        [exposure.flow(level, "E").us_pct / 100 for level in ("departement", "region", "france")])
    assert ws.cell(row, col + 1).number_format == "0.0%"
    row, _ = find(ws, workbook_text.EXPOSURE_SHARE_LABELS["I"][2])
    assert ws.cell(row, 2).value == pytest.approx(exposure.local_imports.eu27_pct / 100)
    row, _ = find(ws, workbook_text.EXPOSURE_FIRST_PARTNER_ROWS["E"])
    assert ws.cell(row, 2).value == exposure.local_exports.first_partner_name
    first = exposure.us_products[0]
    row, _ = find(ws, first.libelle)
    assert [ws.cell(row, c).value for c in (2, 3, 4)] == [first.code, first.us_exports_eur, first.exports_eur]
    assert ws.cell(row, 3).number_format == '#,##0.0,, "M€"'
    assert ws.cell(row, 5).value == pytest.approx(first.us_share_pct / 100)
    header, _ = find(ws, workbook_text.EXPOSURE_DEPENDENCE_HEADERS[-1])
    flags = [ws.cell(header + 1 + i, 6).value for i in range(len(exposure.import_dependences))]
    assert flags == [workbook_text.XLSX_YES if d.dependent else workbook_text.XLSX_NO for d in exposure.import_dependences]
    row, _ = find(ws, workbook_text.EXPOSURE_RANK_LABEL)
    assert ws.cell(row, 2).value == exposure.us_rank
    row, _ = find(ws, grammar_text.FLOW_LABEL["E"])
    assert ws.cell(row, 2).value == pytest.approx(exposure.local_exports.hhi_partners)
    assert deck_text.HHI_SOURCE in {text for _, text in strings(ws)}
    assert set(ws.tables) == {"Exposition_parts", "Exposition_etats_unis", "Exposition_dependances",
                              "Exposition_concentration"}
