"""The breakdown sheet of a région's workbook (render/xlsx/breakdown.py): its départements, their total, the chart
that reads them on a printed page of its own."""

from __future__ import annotations

import openpyxl
import pytest
from xlsx_helpers import find

from fichex.wording import levels as levels_text, workbook as workbook_text




@pytest.fixture(scope="module")
def region_75(fiche_r75):
    return fiche_r75


@pytest.fixture(scope="module")
def sheet(level_documents):
    return openpyxl.load_workbook(level_documents["r75.xlsx"])[levels_text.BREAKDOWN_SHEET["region"]]


def test_one_row_per_departement_ranked_by_exports_and_their_total(sheet, region_75):
    parts = region_75.breakdown
    rows = list(sheet[sheet.tables["Repartition"].ref])
    assert [c.value for c in rows[0]] == list(levels_text.breakdown_headers("region"))
    body = [[c.value for c in row] for row in rows[1:]]
    assert [r[0] for r in body] == list(range(1, len(parts) + 1))
    assert [(r[1], r[2], r[5]) for r in body] == [(p.code, p.nom, p.balance_eur) for p in parts]
    assert [r[6] for r in body] == pytest.approx([p.exports_eur / region_75.exports.total_eur for p in parts])
    row, col = find(sheet, workbook_text.XLSX_TOTAL)
    assert (row, col) == (len(rows) + int(rows[0][0].row), 3)
    assert sheet.cell(row, 4).value == pytest.approx(sum(p.exports_eur for p in parts))
    assert sheet.cell(row, 5).value == pytest.approx(sum(p.imports_eur for p in parts))


def test_the_chart_reads_the_table_on_a_page_of_its_own(sheet, region_75):
    (chart,) = sheet._charts
    first = sheet.tables["Repartition"].ref.split(":")[0]
    header = int(first[1:])
    last = header + len(region_75.breakdown)
    assert [s.val.numRef.f for s in chart.series] == [f"Départements!$D${header + 1}:$D${last}",
                                                    f"Départements!$E${header + 1}:$E${last}"]
    assert chart.anchor._from.row == last + 2  # 0-based: two rows under the total
    assert [b.id for b in sheet.row_breaks.brk] == [last + 2]
