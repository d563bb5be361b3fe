"""A Territoire d'industrie's workbook (render/xlsx/territoire.py): reopened with openpyxl, its figures equal to the
départements' fiches, its Données and Méthode from the départements' rows and summed totals, with no pretend fiche
(both documents valid and opened by LibreOffice: tests/render/test_territoire_deck.py)."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from conftest import ti_label
from fichex.wording import grammar as grammar_text, model_text, territoire as territoire_text, workbook as workbook_text
from fichex.aggregation.territoire import territoire_detail
from fichex.render.xlsx import base
from fichex.render.xlsx import territoire as territoire_xlsx
from fichex.render.xlsx.territoire import territoire_data_input


@pytest.fixture(scope="module")
def book(ti_documents):
    return openpyxl.load_workbook(ti_documents["xlsx"])


def test_workbook_sheets(book):
    names = territoire_text.TI_XLSX_SHEETS
    assert book.sheetnames == [names["departements"], workbook_text.XLSX_PIVOT_SHEET, names["donnees"], names["methode"]]


def test_departements_sheet_equals_the_fiches(book, ti_fiches):
    _, fiches = ti_fiches
    ws = book[territoire_text.TI_XLSX_SHEETS["departements"]]
    (table,) = ws.tables.values()
    assert table.name == territoire_xlsx.TABLE_NAME
    rows = list(ws[table.ref])
    assert [c.value for c in rows[0]] == list(territoire_text.TI_XLSX_HEADERS)
    body = rows[1:]
    assert len(body) == len(fiches)
    for cells, fiche in zip(body, fiches):
        values = {h: c for h, c in zip(territoire_text.TI_XLSX_HEADERS, cells)}
        assert values["Code"].value == fiche.territory.code
        assert values["Département"].value == fiche.territory.nom
        assert values["Exportations (€)"].value == pytest.approx(fiche.exports.total_eur)
        assert values["Importations (€)"].value == pytest.approx(fiche.imports.total_eur)
        assert values["Solde (€)"].value == pytest.approx(fiche.balance_eur)
        assert values["Part des exportations de la région"].value == pytest.approx(fiche.exports.share_of_region_pct / 100)
        assert values["Part des importations de la France"].value == pytest.approx(fiche.imports.share_of_france_pct / 100)
        assert values["Rang national à l'export"].value == fiche.exports.rank
        assert values["Rang national à l'import"].value == fiche.imports.rank
        client = next(p for p in fiche.local.top_partners_export if p.country)
        assert values["Premier pays client"].value == client.nom
        assert values["Premier pays client (€)"].value == pytest.approx(client.exports_eur)
        for header in ("Exportations (€)", "Importations (€)", "Premier pays client (€)"):
            assert values[header].number_format == base.FMT_MEUR
        assert values["Solde (€)"].number_format == base.FMT_MEUR_SIGNED
    # every amount header says euros, the cells showing millions
    assert all("M€" not in h for h in territoire_text.TI_XLSX_HEADERS)


def test_departements_chart_reads_the_table(ti_documents):
    with zipfile.ZipFile(ti_documents["xlsx"]) as package:
        charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = package.read(charts[0]).decode()
    assert "<c:barChart>" in xml
    assert "$D$" in xml and "$E$" in xml and "$B$" in xml  # exports, imports by département name


def test_demonstration_warning_on_every_sheet(book):
    for ws in book.worksheets:
        found = [c for row in ws.iter_rows(max_row=4) for c in row
                 if isinstance(c.value, str) and c.value.startswith(model_text.DEMO_WARNING)]
        assert found, ws.title


def test_donnees_holds_every_departement_rows(ti_documents, ti_fiches):
    import pandas as pd

    _, fiches = ti_fiches
    frame = pd.read_excel(ti_documents["xlsx"], sheet_name=territoire_text.TI_XLSX_SHEETS["donnees"], header=2, dtype={
        workbook_text.XLSX_DATA_HEADERS["code_departement"]: str})
    code = workbook_text.XLSX_DATA_HEADERS["code_departement"]
    assert sorted(frame[code].unique()) == [f.territory.code for f in fiches]
    assert len(frame) == sum(len(f.detail) for f in fiches)
    year, flow, value = (workbook_text.XLSX_DATA_HEADERS[k] for k in ("annee", "flux", "valeur_eur"))
    for fiche in fiches:
        rows = frame[(frame[code] == fiche.territory.code) & (frame[year] == fiche.year) & (frame[flow] == "E")]
        assert rows[value].sum() == pytest.approx(fiche.exports.total_eur, rel=1e-9)


def test_methode_names_the_departements(book, ti_fiches):
    _, fiches = ti_fiches
    ws = book[territoire_text.TI_XLSX_SHEETS["methode"]]
    assert ws["A2"].value == territoire_text.ti_xlsx_period_line(grammar_text.period(fiches[0]), [ti_label(f) for f in fiches])


def test_workbook_is_byte_identical_across_builds(ti_fiches, tmp_path):
    name, fiches = ti_fiches
    one, two = tmp_path / "un.xlsx", tmp_path / "deux.xlsx"
    territoire_xlsx.write_territoire_workbook(name, fiches, one, version="test")
    territoire_xlsx.write_territoire_workbook(name, fiches, two, version="test")
    assert one.read_bytes() == two.read_bytes()


def test_the_data_input_adds_up_the_departements(ti_fiches):
    """The Données and Méthode read the départements' rows together and their summed totals; the rest is what
    their fiches share (period, data source, the data's years), the page headers name the territory."""
    name, fiches = ti_fiches
    rows = territoire_detail(fiches)
    data_input = territoire_data_input(name, fiches, rows)
    assert data_input.rows is rows and data_input.year == fiches[0].year
    assert data_input.exports_eur == pytest.approx(sum(f.exports.total_eur for f in fiches))
    assert data_input.imports_eur == pytest.approx(sum(f.imports.total_eur for f in fiches))
    assert data_input.detail_years == tuple(sorted(set(rows["annee"])))
    assert data_input.data == fiches[0].data and data_input.period == grammar_text.period(fiches[0])
    assert data_input.document.title == workbook_text.xlsx_title(name, grammar_text.period(fiches[0]))
    assert model_text.PARIS_ENERGY_CAVEAT not in data_input.caveats and set(model_text.CAVEATS) <= set(data_input.caveats)
