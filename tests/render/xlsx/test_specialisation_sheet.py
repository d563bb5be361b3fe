"""The « Spécialisation » sheet (render/xlsx/specialisation.py): after the exposure sheet, its Excel Tables equal to
Fiche.specialisation, the bars and the waterfall native (its base series without fill or border), none in
France's workbook."""

from __future__ import annotations

import pytest
from xlsx_helpers import SHEETS

from fichex.render.waterfall import waterfall_bars
from fichex.render.xlsx import specialisation as sheet
from fichex.wording import specialisation as spec_text
from fichex.wording.places import place_of

NAME = spec_text.SPECIALISATION_SHEET


def table_rows(ws, name: str) -> list[tuple]:
    """The data rows of an Excel Table of the sheet (header row left out)."""
    ref = ws.tables[name].ref
    return [tuple(cell.value for cell in row) for row in ws[ref]][1:]


def test_the_sheet_follows_the_exposure(workbook_23):
    assert SHEETS.index(NAME) == SHEETS.index("Exposition") + 1
    assert workbook_23.sheetnames == SHEETS


def test_products_table_equals_the_fiche(workbook_23, fiche_23):
    ws = workbook_23[NAME]
    rows = table_rows(ws, sheet.TABLE_NAMES["products"])
    products = fiche_23.specialisation.products
    assert len(rows) == len(products)
    header = [cell.value for cell in ws[ws.tables[sheet.TABLE_NAMES["products"]].ref][0]]
    assert tuple(header) == spec_text.products_headers(place_of(fiche_23), True)
    for row, p in zip(rows, products):
        libelle, code, exports, share, rca_france, rca_region, rank, n, imports, coverage = row
        assert (libelle, code, rank, n) == (p.libelle, p.code, p.rank, p.n_territories)
        assert exports == pytest.approx(p.exports_eur) and imports == pytest.approx(p.imports_eur)
        assert share == pytest.approx(p.share_pct / 100)
        assert rca_france == pytest.approx(p.rca_france) if p.rca_france is not None else rca_france is None
        assert rca_region == pytest.approx(p.rca_region) if p.rca_region is not None else rca_region is None
        if p.coverage_pct is None:
            assert coverage is None
        else:
            assert coverage == pytest.approx(p.coverage_pct / 100)


def test_decomposition_table_sums_and_feeds_the_waterfall(workbook_23, fiche_23):
    shift = fiche_23.specialisation.shift_share
    rows = table_rows(workbook_23[NAME], sheet.TABLE_NAMES["decomposition"])
    assert [r[0] for r in rows] == list(spec_text.decomposition_steps(shift))
    amounts = [r[1] for r in rows]
    assert amounts == pytest.approx([shift.start_exports_eur, shift.national_eur, shift.mix_eur, shift.local_eur,
                                     shift.end_exports_eur])
    assert amounts[0] + sum(amounts[1:4]) == pytest.approx(amounts[4], abs=1e-3)  # to the euro
    bars = waterfall_bars(shift.start_exports_eur, tuple(amounts[1:4]), shift.end_exports_eur)
    assert [v for r in rows for v in r[2:]] == pytest.approx([v for b in bars for v in b])


def test_unit_values_table_equals_the_fiche(workbook_23, fiche_23):
    rows = table_rows(workbook_23[NAME], sheet.TABLE_NAMES["unit_values"])
    values = fiche_23.specialisation.unit_values
    assert [r[1] for r in rows] == [u.code for u in values]
    for row, u in zip(rows, values):
        assert row[3] == pytest.approx(u.unit_value_eur_kg) if u.unit_value_eur_kg is not None else row[3] is None
        assert row[4] == pytest.approx(u.france_unit_value_eur_kg) if u.reliable else True


def test_top_table_and_bars(workbook_23, fiche_23):
    ws = workbook_23[NAME]
    rows = table_rows(ws, sheet.TABLE_NAMES["top"])
    products = fiche_23.specialisation.most_over_represented()
    assert [r[1] for r in rows] == [p.code for p in products]
    assert [r[3] for r in rows] == pytest.approx([p.rca_france for p in products])
    assert [r[4] for r in rows] == [spec_text.rca_category(p) for p in products]


def test_two_native_charts_the_waterfall_base_invisible(workbook_23_path):
    import zipfile

    with zipfile.ZipFile(workbook_23_path) as package:
        charts = [package.read(n).decode() for n in package.namelist() if n.startswith("xl/charts/chart")]
    (waterfall,) = [c for c in charts if "<c:v>Base</c:v>" in c]
    base = waterfall.split("<c:ser>")[1]
    assert "<a:noFill/>" in base.split("</c:spPr>")[0]
    assert "<a:ln><a:noFill/></a:ln>" in base.split("</c:spPr>")[0].replace(" ", "")
    assert '<c:overlap val="100"/>' in waterfall


def test_france_workbook_has_no_specialisation_sheet(level_documents):
    import openpyxl

    assert NAME not in openpyxl.load_workbook(level_documents["fr.xlsx"]).sheetnames
    region = openpyxl.load_workbook(level_documents["r75.xlsx"])
    ws = region[NAME]
    header = [cell.value for cell in ws[ws.tables[sheet.TABLE_NAMES["products"]].ref][0]]
    assert "RCA région" not in header and "Rang parmi les régions" in header
