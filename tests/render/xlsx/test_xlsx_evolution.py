"""The « Évolution » sheet (render/xlsx/evolution.py): years, quarters and partners equal to the JSON, the chart and
the January 2022 collection break."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from xlsx_helpers import find, strings, table_rows

from fichex.wording import deck as deck_text, model_text, workbook as workbook_text
from fichex.render.xlsx import base, write_workbook


def test_evolution_sheet_equals_the_json(workbook_23, fiche_23):
    from fichex.api import figures_json

    evolution = figures_json(fiche_23)["evolution"]
    ws = workbook_23["Évolution"]
    years = table_rows(ws, "Evolution_annees")
    assert [r[0] for r in years] == [y["periode"] for y in evolution["annees"]]
    for cells, year in zip(years, evolution["annees"], strict=True):
        period, number, exports, imports, balance, growth_e, growth_i, partial = cells
        assert number == year["annee"]
        assert (exports, imports) == (year["exportations_eur"], year["importations_eur"])
        assert balance == pytest.approx(year["solde_eur"])
        for cell, value in ((growth_e, year["croissance_exportations_pct"]),
                            (growth_i, year["croissance_importations_pct"])):
            assert cell == workbook_text.XLSX_NONE if value is None else round(cell * 100, 1) == value
        assert partial == (workbook_text.XLSX_YES if year["annee_partielle"] else workbook_text.XLSX_NO)
    assert any(r[-1] == workbook_text.XLSX_YES and " (" in r[0] for r in years)  # the demo's 2025 is labelled partial
    quarters = table_rows(ws, "Evolution_trimestres")
    assert [(r[1], r[2], r[3], r[4]) for r in quarters] == [
        (q["annee"], q["trimestre"], q["exportations_eur"], q["importations_eur"]) for q in evolution["trimestres"]]
    partners = table_rows(ws, "Evolution_partenaires")
    assert [(r[1], r[2], r[3], r[4]) for r in partners] == [
        (p["code"], y["annee"], y["exportations_eur"], y["importations_eur"])
        for p in evolution["partenaires"] for y in p["annees"]]
    # the evolution sums equal the per-year totals of the sheet
    for year in evolution["annees"]:
        in_year = [r for r in quarters if r[1] == year["annee"]]
        assert sum(r[3] for r in in_year) == pytest.approx(year["exportations_eur"])
        assert sum(r[4] for r in in_year) == pytest.approx(year["importations_eur"])


def test_evolution_sheet_cells_and_chart_formats(workbook_23):
    ws = workbook_23["Évolution"]
    header = find(ws, workbook_text.XLSX_EVOLUTION_YEARS_HEADERS[2])[0]
    assert ws.cell(header + 1, 3).number_format == base.FMT_MEUR
    assert ws.cell(header + 1, 5).number_format == base.FMT_MEUR_SIGNED
    assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert any(text.startswith(model_text.DEMO_WARNING) for _, text in strings(ws))
    (chart,) = ws._charts
    assert len(chart.series) == 2  # exports and imports: no break line after January 2022
    assert deck_text.EVOLUTION_BREAK_LABEL not in [c for _, c in strings(ws)]  # 2022-2025: after the break


def test_evolution_sheet_marks_the_collection_break(fiche_across_the_break, tmp_path):
    from fichex.render.xlsx.evolution import EVOLUTION_DATA_COL, chart_points

    path = tmp_path / "rupture.xlsx"
    write_workbook(fiche_across_the_break, path)
    with zipfile.ZipFile(path) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    (chart_xml,) = [c for c in charts if deck_text.EVOLUTION_BREAK_LABEL in c]
    assert "<c:scatterChart>" in chart_xml and chart_xml.count("<c:ser>") == 3
    assert '<a:prstDash val="dash"/>' in chart_xml
    ws = openpyxl.load_workbook(path)["Évolution"]
    row, col = find(ws, deck_text.EVOLUTION_BREAK_LABEL)
    assert col == EVOLUTION_DATA_COL + 1
    assert [ws.cell(row + i, col + 1).value for i in (1, 2)] == [2022.0, 2022.0]  # a vertical line at 2022
    xs = [x for _, x, _, _ in chart_points(fiche_across_the_break.evolution)]
    assert max(x for x in xs if x < 2022) < 2022 < min(x for x in xs if x > 2022)  # between 2021 T4 and 2022 T1
    assert model_text.EMEBI_BREAK_CAVEAT in [c for _, c in strings(ws)]


def test_evolution_chart_ends_with_the_data_and_its_note_names_the_columns(workbook_23, fiche_23):
    """The quarterly chart's axis ends where the last quarter ends (2025 T1 → 2025.25), not on an empty
    2025 running to 2026; the note names the table's « Évolution » columns, which hold no parentheses."""
    ws = workbook_23["Évolution"]
    (chart,) = ws._charts
    last = fiche_23.evolution.quarters[-1]
    assert chart.x_axis.scaling.max == pytest.approx(last.year + last.quarter / 4)
    texts = [text for _, text in strings(ws)]
    assert workbook_text.XLSX_EVOLUTION_GROWTH_KEY in texts
    assert not any("parenthèses" in text for text in texts)
