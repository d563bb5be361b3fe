"""The « Synthèse », « Pays » and « Activités » sheets (render/xlsx/synthese.py): figures equal to the fiche,
the butterfly and top-activities charts reading their tables, printed at a readable scale."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl.utils import column_index_from_string
from xlsx_helpers import SHEETS, col_px, find, is_round_unit, strings

from fichex.render.xlsx import base
from fichex.wording import grammar as grammar_text, model_text, workbook as workbook_text


def test_charts_per_sheet_and_series_ranges(workbook_23, fiche_23):
    counts = {ws.title: len(ws._charts) for ws in workbook_23.worksheets}
    assert counts == {name: {"Synthèse": 3, "Spécialisation": 2, "Évolution": 1}.get(name, 0) for name in SHEETS}
    ws = workbook_23["Synthèse"]
    header = find(ws, workbook_text.XLSX_BUTTERFLY_HEADERS[0])[0]
    first, last = header + 1, header + len(fiche_23.main_partners)
    butterfly = ws._charts[0]
    refs = [(s.cat.strRef.f, s.val.numRef.f) for s in butterfly.series]
    assert refs == [(f"Synthèse!$A${first}:$A${last}", f"Synthèse!$B${first}:$B${last}"),
                    (f"Synthèse!$A${first}:$A${last}", f"Synthèse!$C${first}:$C${last}")]
    # Imports plotted to the left: the cells the chart reads hold negative numbers.
    assert ws.cell(first, 2).value == -fiche_23.main_partners[0].imports_eur
    assert ws.cell(first, 3).value == fiche_23.main_partners[0].exports_eur
    for chart, title in zip(ws._charts[1:], (workbook_text.XLSX_TOP_TITLE["E"], workbook_text.XLSX_TOP_TITLE["I"])):
        (series,) = chart.series
        top_header = find(ws, title)[0] + 1
        assert series.val.numRef.f == f"Synthèse!$B${top_header + 1}:$B${top_header + 10}"


def test_synthese_totals_equal_the_fiche(workbook_23, fiche_23):
    ws = workbook_23["Synthèse"]
    row = find(ws, grammar_text.FLOW_LABEL["E"])[0]
    assert ws.cell(row, 2).value == fiche_23.exports.total_eur
    assert ws.cell(row, 3).value == pytest.approx(fiche_23.exports.share_of_region_pct / 100)
    assert ws.cell(row, 5).value == fiche_23.exports.rank
    assert ws.cell(row + 1, 2).value == fiche_23.imports.total_eur
    assert ws.cell(row + 2, 2).value == fiche_23.balance_eur
    assert ws.cell(row, 2).number_format == '#,##0.0,, "M€"'  # euros shown in millions, with the unit
    find(ws, model_text.DEMO_WARNING)
    find(ws, model_text.total_line("E", fiche_23.exports.total_eur))
    for name in fiche_23.territoires_industrie:
        find(ws, name)


def test_pays_and_activites_totals(workbook_23, fiche_23):
    ws = workbook_23["Pays"]
    row, col = find(ws, workbook_text.XLSX_TOTAL)
    assert ws.cell(row, col + 1).value == fiche_23.imports.total_eur
    assert ws.cell(row, col + 2).value == fiche_23.exports.total_eur
    ws = workbook_23["Activités"]
    row, col = find(ws, workbook_text.XLSX_TOTAL)
    assert ws.cell(row, col + 2).value == fiche_23.exports.total_eur


def test_butterfly_chart_one_axis_with_round_ticks(workbook_23, fiche_23, workbook_23_path):
    butterfly = workbook_23["Synthèse"]._charts[0]
    axis = butterfly.y_axis  # the value axis of a horizontal bar chart
    low, high, unit = axis.scaling.min, axis.scaling.max, axis.majorUnit
    assert is_round_unit(unit)
    assert low < 0 < high and (low / unit).is_integer() and (high / unit).is_integer()
    assert -low >= max(p.imports_eur for p in fiche_23.main_partners)
    assert high >= max(p.exports_eur for p in fiche_23.main_partners)
    with zipfile.ZipFile(workbook_23_path) as archive:
        chart_xml = archive.read("xl/charts/chart1.xml").decode()
    assert chart_xml.count("<c:valAx>") == 1 and len(butterfly.series) == 2


def test_synthese_prints_at_a_readable_scale(workbook_23):
    ws = workbook_23["Synthèse"]
    area = ws.print_area if isinstance(ws.print_area, str) else ws.print_area[0]
    last_col = column_index_from_string(area.split(":")[1].split("$")[1])
    # Landscape A4 holds about 1 045 px of columns at 100 %: the sheet prints at 95 % or more.
    assert sum(col_px(ws, c) for c in range(1, last_col + 1)) <= 1100
    tables_last_col = len(workbook_text.XLSX_KEY_HEADERS)
    for merged in ws.merged_cells.ranges:
        if ws.cell(merged.min_row, merged.min_col).value != model_text.DEMO_WARNING:
            assert merged.max_col <= tables_last_col  # paragraphs stay within the tables' columns
    for chart, headers in zip(ws._charts, (workbook_text.XLSX_BUTTERFLY_HEADERS, workbook_text.XLSX_TOP_HEADERS["E"],
                                           workbook_text.XLSX_TOP_HEADERS["I"])):
        anchor = chart.anchor
        assert anchor._from.col >= len(headers)  # beside its table (0-based column of the anchor)
        assert anchor.to.col < last_col
        from_px = sum(col_px(ws, c) for c in range(1, anchor._from.col + 1))
        to_px = sum(col_px(ws, c) for c in range(1, anchor.to.col + 1))
        assert to_px - from_px >= 450  # the charts take the room right of the tables


def test_euro_headers_sit_over_euro_cells(workbook_23, fiche_23):
    ws = workbook_23["Pays"]
    header, col = find(ws, "Exportations (€)")
    cell = ws.cell(header + 1, col)
    assert cell.value == fiche_23.partners[0].exports_eur and cell.number_format == base.FMT_MEUR_OR_LESS
    ws = workbook_23["Synthèse"]
    header, col = find(ws, "Valeur (€)")
    assert ws.cell(header + 1, col).value == fiche_23.exports.total_eur
    # The first sheet says why « (€) » stands over « 675.8 M€ », right under its first table
    note, _ = find(ws, workbook_text.XLSX_MEUR_NOTE)
    assert header < note <= header + 5
    assert workbook_text.XLSX_MEUR_OR_LESS_NOTE in {text for _, text in strings(workbook_23["Pays"])}


def test_butterfly_sides_read_left_to_right(workbook_23):
    butterfly = workbook_23["Synthèse"]._charts[0]
    assert butterfly.legend is None  # no legend whose order would differ between Excel and LibreOffice
    names = [s.tx.v for s in butterfly.series]
    assert names == [grammar_text.FLOW_LABEL["I"], grammar_text.FLOW_LABEL["E"]]
    title = "".join(run.t for p in butterfly.y_axis.title.tx.rich.p for run in (p.r or []))
    assert title == workbook_text.XLSX_BUTTERFLY_AXIS
    assert title.index("Importations") < title.index("Exportations") and "M€" in title


@pytest.mark.parametrize("kind", ["partners", "activities"])
def test_amount_columns_fit_their_longest_text(fiche_23, kind):
    """Each amount column of « Pays » and « Activités » is as wide as the longest of its cells' texts (the
    columns are sized from the largest amount of each)."""
    import io

    import xlsxwriter

    from fichex.render.xlsx import synthese
    from fichex.wording.numbers import meur_text

    from dataclasses import replace

    items = list(fiche_23.partners if kind == "partners" else fiche_23.activities)
    assert len(items) > 5
    items[3] = replace(items[3], imports_eur=98_765_432_100_000.0)  # the longest balance, a negative one
    assert items[3].balance_eur < 0
    labels = [[rank, "x"] for rank, _ in enumerate(items, start=1)]
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    widths = synthese._fit_trade_columns(book.add_worksheet(), ["h"] * 5, labels, items, max_width=255)
    book.close()
    for col, amount in ((2, "imports_eur"), (3, "exports_eur"), (4, "balance_eur")):
        longest = max(len(meur_text(getattr(item, amount))) for item in items)
        assert widths[col] == min(max(longest * 1.1 + 2, 8), 255)
