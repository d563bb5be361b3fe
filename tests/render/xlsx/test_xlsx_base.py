"""The workbooks' toolkit (render/xlsx/base.py): axis scales, balances coloured by sign, and sheets set up from a
`Document` alone, with no fiche."""

from __future__ import annotations

import openpyxl
import pytest
import xlsxwriter
from xlsx_helpers import find, is_round_unit

from fichex.wording import model_text, workbook as workbook_text
from fichex.render.xlsx import base


@pytest.mark.parametrize("imports, exports", [
    (50.3e6, 119e6), (122e6, 196.4e6), (4_741.9e6, 4_446.2e6), (0.2e6, 119e6), (0.0, 3.2e6), (0.4e6, 0.3e6),
    (7e9, 1e6), (0.0, 0.0),
])
def test_butterfly_axis_has_round_ticks_and_zero(imports, exports):
    low, high, unit = base.axis_scale(imports, exports)
    assert is_round_unit(unit)
    assert low <= -imports and high >= exports and low < high
    assert low <= 0 <= high
    # Both ends on ticks, so 0 and every label fall on multiples of the unit.
    assert low / unit == pytest.approx(round(low / unit)) and high / unit == pytest.approx(round(high / unit))
    assert (high - low) / unit <= base.AXIS_MAX_INTERVALS
    # Not looser than needed: a side grows by less than one unit past its largest bar.
    assert -low - imports < unit and high - exports < unit or (imports, exports) == (0.0, 0.0)
    assert base.axis_format(unit).count(";") == 2 and "-" not in base.axis_format(unit)


def test_near_zero_balances_read_zero(workbook_23):
    ws = workbook_23["Pays"]
    header, _ = find(ws, workbook_text.XLSX_PARTNER_HEADERS[6])
    rules = [rule for cf in ws.conditional_formatting if str(cf.sqref).startswith(f"G{header + 1}:")
             for rule in cf.rules]
    colour = [r for r in rules if r.operator in ("lessThanOrEqual", "greaterThanOrEqual")]
    assert sorted(float(r.formula[0]) for r in colour) == [-50000.0, 50000.0]
    assert all(r.stopIfTrue for r in colour)
    (band,) = [r for r in rules if r.operator == "between"]
    # A detail table's balance under 0.05 M€ reads in k€ with its sign (« -33.5 k€ »), zero « 0 € »
    assert band.dxf.numFmt.formatCode == base.FMT_KEUR_SIGNED and base.FMT_KEUR_SIGNED.count(";") == 2
    assert base.FMT_MEUR_NEAR_ZERO.count(";") == 2 and "-" not in base.FMT_MEUR_NEAR_ZERO  # elsewhere: « 0.0 M€ »
    tiny = [ws.cell(r, 7).value for r in range(header + 1, ws.max_row + 1)
            if isinstance(ws.cell(r, 7).value, float | int) and -50000 < ws.cell(r, 7).value < 0]
    assert tiny  # the demonstration data has some, kept exact in the cells


@pytest.mark.parametrize("demonstration", [True, False])
def test_a_sheet_set_up_from_a_document_alone(tmp_path, demonstration):
    """Title block and page setup read only the Document: its title in the page header (« & » escaped), its
    subtitle under the sheet's title, the demonstration warning when it says so."""
    document = base.Document(title="Commerce extérieur – Ports & fleuves (2024)",
                             subtitle="Année 2024 – un essai", demonstration=demonstration)
    path = tmp_path / "document.xlsx"
    workbook = base.open_workbook(path, tmp_path)
    formats = base.Formats(workbook)
    ws = workbook.add_worksheet("Feuille")
    row = base.title_block(ws, formats, document, "Un titre", 3)
    base.page_setup(ws, document, row, 3)
    workbook.close()
    ws = openpyxl.load_workbook(path)["Feuille"]
    assert [ws["A1"].value, ws["A2"].value] == ["Un titre", "Année 2024 – un essai"]
    assert ws.oddHeader.left.text == "Commerce extérieur – Ports && fleuves (2024)"
    assert (ws["A3"].value == model_text.DEMO_WARNING) is demonstration
    assert row == (4 if demonstration else 3)
    assert (ws.oddHeader.right.text == workbook_text.XLSX_DEMO_HEADER) is demonstration


def test_a_chart_beside_its_table_takes_the_rest_of_the_width(tmp_path):
    col_widths = [20.0, 10.0, 10.0, 9.0, 9.0]
    workbook = xlsxwriter.Workbook(str(tmp_path / "chart.xlsx"))
    ws = workbook.add_worksheet()
    chart = workbook.add_chart({"type": "bar"})
    chart.add_series({"values": "=Sheet1!$B$1:$B$2"})
    base.insert_chart_beside(ws, chart, 3, 1, 150.5, col_widths)
    assert chart.width == base.columns_px(col_widths, 2, 4) - base.CHART_GAP_PX - 4
    assert chart.height == 150
    workbook.close()


def test_small_amounts_of_detail_tables_read_in_keur(workbook_23):
    """« Pays » and « Activités »: an amount under 0.05 M€ shows in k€ (under 500 €: in €), not « 0.0 M€ »;
    the cell keeps its exact euros and the note above the table says so."""
    for sheet, headers in (("Pays", workbook_text.XLSX_PARTNER_HEADERS), ("Activités", workbook_text.XLSX_ACTIVITY_HEADERS)):
        ws = workbook_23[sheet]
        header, col = find(ws, headers[headers.index("Exportations (€)")])
        table = next(t for t in ws.tables.values() if t.ref.startswith(f"A{header}:"))
        rows = range(header + 1, int(table.ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) + 1)
        cells = [ws.cell(r, col) for r in rows]  # the table's rows (its totals are under it, in M€)
        assert {c.number_format for c in cells} == {base.FMT_MEUR_OR_LESS}
        assert any(0 < c.value < 50000 for c in cells) or sheet == "Activités"
        assert workbook_text.XLSX_MEUR_OR_LESS_NOTE in [c.value for row in ws.iter_rows(max_row=header) for c in row]
    assert base.FMT_MEUR_OR_LESS.startswith("[>=50000]") and '"k€"' in base.FMT_MEUR_OR_LESS
