"""The « Données » and « Méthode » sheets (render/xlsx/data_sheet.py): every detail row, filtered on the fiche's
year and named for PivotTables; the method's sources, dates and caveats; both written from a DataSheetInput."""

from __future__ import annotations

import dataclasses

import openpyxl
import pandas as pd
import pytest
from xlsx_helpers import find, strings, width_chars

from fichex.wording import grammar as grammar_text, model_text, numbers as numbers_text, workbook as workbook_text
from fichex.render.xlsx import base
from fichex.render.xlsx.data_sheet import DataSheetInput, write_data_sheet, write_method_sheet


def _fiche_year_first(long_rows, year):
    """The detail rows in the Données sheet's order: the fiche's year first, then the others as they were."""
    first = long_rows[long_rows["annee"] == year]
    return pd.concat([first, long_rows[long_rows["annee"] != year]]).reset_index(drop=True)


def test_donnees_holds_every_row_and_the_totals(workbook_23, fiche_23):
    ws = workbook_23["Données"]
    values = [row[0] for row in ws.iter_rows(min_row=4, min_col=19, max_col=19, values_only=True)]
    years = [row[0] for row in ws.iter_rows(min_row=4, min_col=1, max_col=1, values_only=True)]
    flows = [row[0] for row in ws.iter_rows(min_row=4, min_col=2, max_col=2, values_only=True)]
    assert len(values) == len(fiche_23.detail)
    ordered = _fiche_year_first(fiche_23.detail, fiche_23.year)
    assert values == ordered["valeur_eur"].tolist()
    assert sorted(set(years)) == list(fiche_23.years_available)
    exports = sum(v for v, y, f in zip(values, years, flows) if y == fiche_23.year and f == "E")
    imports = sum(v for v, y, f in zip(values, years, flows) if y == fiche_23.year and f == "I")
    assert exports == pytest.approx(fiche_23.exports.total_eur)
    assert imports == pytest.approx(fiche_23.imports.total_eur)
    assert [c.value for c in ws[4]][:3] == [int(ordered.at[0, "annee"]), ordered.at[0, "flux"],
                                            ordered.at[0, "libelle_flux"]]
    assert years[0] == fiche_23.year and set(years[:years.count(fiche_23.year)]) == {fiche_23.year}


def test_donnees_sheet_carries_the_demonstration_warning(tmp_path, fiche_23, demo_trade):
    import openpyxl

    from fichex.wording import model_text, workbook as workbook_text

    from fichex.render.xlsx import write_workbook

    path = tmp_path / "d.xlsx"
    write_workbook(fiche_23, path)
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        sheet = book[workbook_text.XLSX_SHEETS["donnees"]]
        assert next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))[0].startswith(model_text.DEMO_WARNING)
    finally:
        book.close()


def test_donnees_filtered_on_the_fiche_year(workbook_23, fiche_23):
    ws = workbook_23["Données"]
    n = len(fiche_23.detail)
    assert ws.auto_filter.ref == f"A3:S{3 + n}"
    (column,) = ws.auto_filter.filterColumn
    assert column.colId == 0 and column.filters.filter == [str(fiche_23.year)]
    hidden = {r for r in range(4, 4 + n) if ws.row_dimensions[r].hidden}
    years = {r: ws.cell(r, 1).value for r in range(4, 4 + n)}
    assert hidden == {r for r, y in years.items() if y != fiche_23.year} and hidden
    names = workbook_23.defined_names
    assert names["Donnees"].attr_text == f"'Données'!$A$3:$S${3 + n}"
    n_year = sum(1 for y in years.values() if y == fiche_23.year)
    assert names[f"Donnees_{fiche_23.year}"].attr_text == f"'Données'!$A$3:$S${3 + n_year}"
    # A pivot over « Donnees_2024 » holds the fiche's year alone, and its totals.
    rows = list(ws.iter_rows(min_row=4, max_row=3 + n_year, values_only=True))
    assert {r[0] for r in rows} == {fiche_23.year}
    assert sum(r[18] for r in rows if r[1] == "E") == pytest.approx(fiche_23.exports.total_eur)
    assert sum(r[18] for r in rows if r[1] == "I") == pytest.approx(fiche_23.imports.total_eur)
    note = ws["A2"].value
    assert str(fiche_23.year) in note and f"Donnees_{fiche_23.year}" in note and "masquées" in note


def test_donnees_columns_hold_their_longest_label(workbook_23, fiche_23):
    ws = workbook_23["Données"]
    long_rows = fiche_23.detail
    for j, column in enumerate(long_rows.columns, start=1):
        if long_rows[column].dtype.kind in "OUT" or str(long_rows[column].dtype) in ("str", "string", "object"):
            longest = long_rows[column].astype(str).str.len().max()
            assert width_chars(ws, j) >= longest, column


# ---------------------------------------------------------------------------------------------------------
# Méthode
# ---------------------------------------------------------------------------------------------------------

def test_methode_command_source_and_caveats(workbook_23, fiche_23):
    ws = workbook_23["Méthode"]
    find(ws, "fichex build 23")
    find(ws, fiche_23.data.source)
    for caveat in model_text.CAVEATS:
        find(ws, f"– {caveat}")


def test_methode_dates_the_data_in_french(workbook_23, fiche_23):
    ws = workbook_23["Méthode"]
    row, _ = find(ws, workbook_text.XLSX_METHOD_LABELS["created"])
    value = ws.cell(row, 2).value
    assert value.startswith(workbook_text.xlsx_date(fiche_23.data.created) + " : date des fichiers")
    assert "2025-" not in value and not any("-01-01" in text for _, text in strings(ws))
    find(ws, workbook_text.XLSX_METHOD_UNITS)
    assert any(f"Donnees_{fiche_23.year}" in text for _, text in strings(ws))


@pytest.mark.parametrize("iso, french", [("2025-06-13", "13 juin 2025"), ("2025-01-01", "1er janvier 2025"),
                                         ("2024-12-31T10:00:00", "31 décembre 2024"), ("", None), ("x", None)])
def test_french_dates(iso, french):
    assert workbook_text.xlsx_date(iso) == french


def test_data_date_without_a_date_says_so():
    assert workbook_text.xlsx_data_date("", False).startswith("non renseignée")
    assert "démonstration" in workbook_text.xlsx_data_date("2025-06-13", True)
    assert "DGDDI lus" in workbook_text.xlsx_data_date("2025-06-13", False)


# ---------------------------------------------------------------------------------------------------------
# The input: what the sheets read, with no fiche
# ---------------------------------------------------------------------------------------------------------

def test_a_fiche_input_states_the_fiche(fiche_23):
    data_input = DataSheetInput.of_fiche(fiche_23)
    assert data_input.rows is fiche_23.detail and data_input.year == fiche_23.year
    assert (data_input.exports_eur, data_input.imports_eur) == (fiche_23.exports.total_eur, fiche_23.imports.total_eur)
    assert data_input.document == base.fiche_document(fiche_23) and data_input.data == fiche_23.data
    assert data_input.years == grammar_text.years_line(fiche_23) and data_input.caveats == model_text.caveats_of(fiche_23)


def test_the_sheets_read_only_their_input(tmp_path, fiche_23):
    """Données and Méthode written from an input stated by hand: its year filtered and named, its totals above
    the table, its caveats, and the years the rows lack said in the Méthode."""
    rows = fiche_23.detail[fiche_23.detail["annee"].isin([2023, 2024])].reset_index(drop=True)
    data_input = dataclasses.replace(
        DataSheetInput.of_fiche(fiche_23), rows=rows, year=2023, detail_years=(2023, 2024), exports_eur=1.5e9,
        imports_eur=2.5e6, caveats=("Une limite écrite pour l'essai.",),
        document=base.Document(title="Essai (2023)", subtitle="Année 2023 – essai", demonstration=False))
    path = tmp_path / "input.xlsx"
    workbook = base.open_workbook(path, tmp_path)
    formats = base.Formats(workbook)
    write_data_sheet(workbook, workbook.add_worksheet("Données"), formats, data_input)
    write_method_sheet(workbook.add_worksheet("Méthode"), formats, data_input, command="essai", version="v")
    workbook.close()
    book = openpyxl.load_workbook(path)
    donnees, methode = book["Données"], book["Méthode"]
    assert donnees.auto_filter.filterColumn[0].filters.filter == ["2023"]
    assert {donnees.cell(r, 1).value for r in range(4, 4 + int((rows["annee"] == 2023).sum()))} == {2023}
    assert "Donnees_2023" in book.defined_names
    assert not donnees["A2"].value.startswith(model_text.DEMO_WARNING)
    assert numbers_text.meur(1.5e9) in donnees["A2"].value and numbers_text.meur(2.5e6) in donnees["A2"].value
    assert methode["A2"].value == "Année 2023 – essai" and methode.oddHeader.left.text.endswith("Essai (2023)")
    find(methode, "– Une limite écrite pour l'essai.")
    (note,) = workbook_text.data_sheet_years_note(fiche_23.years_available, (2023, 2024), len(rows))
    find(methode, note)


def test_france_donnees_is_its_detail_without_territory_columns_and_says_so(level_documents, fiche_france):
    """France's Données: its detail rows (every territory summed: no région or département column), and the
    note above the table and in the Méthode saying what a row sums."""
    from fichex.aggregation.model import FRANCE_DETAIL_COLUMNS
    from fichex.render.xlsx.data_sheet import data_headers
    from fichex.wording import levels as levels_text

    workbook = openpyxl.load_workbook(level_documents["fr.xlsx"], read_only=True)
    ws = workbook["Données"]
    rows = ws.iter_rows(min_row=2, values_only=True)
    note, header = next(rows)[0], next(rows)
    assert list(header) == data_headers(FRANCE_DETAIL_COLUMNS)
    combined = workbook_text.xlsx_data_combined_note(levels_text.BREAKDOWN_SHEET["france"])
    assert combined in note
    values = [row[-1] for row in rows]
    assert values == _fiche_year_first(fiche_france.detail, fiche_france.year)["valeur_eur"].tolist()
    method = [row[1] for row in workbook["Méthode"].iter_rows(values_only=True)]
    assert combined in method
    workbook.close()


def test_a_departements_donnees_has_no_combined_note(workbook_23):
    assert "additionne tous les départements" not in " ".join(text for _, text in strings(workbook_23["Données"]))
