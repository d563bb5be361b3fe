"""The « Tableau croisé » sheet and its PivotTables (render/xlsx/pivot.py): each part's XML, the tables in the
workbook of every level (two of them, computed on opening, on a defined name), and LibreOffice computing them to
the euro."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from xml.etree import ElementTree

import pandas as pd
import pytest
from xlsx_helpers import find

from fichex.wording import workbook as workbook_text
from fichex.render.xlsx import base, data_sheet, pivot, write_workbook
from fichex.render.xlsx.data_sheet import DataSheetInput

NS = {"m": pivot.MAIN_NS}
HEADERS = data_sheet.data_headers(("annee", "libelle_flux", "zone", "pays", "valeur_eur"))


def _source(years=(2022, 2023, 2024), year=2024, num_fmt_id=165) -> pivot.TableSource:
    columns = ("annee", "libelle_flux", "zone", "pays", "libelle_a38", "libelle_a129", "departement", "valeur_eur")
    return pivot.TableSource(columns=columns, headers=tuple(data_sheet.data_headers(columns)), years=years,
                             year=year, num_fmt_id=num_fmt_id)


def _layout(key="pays", pages=("annee",)) -> pivot.PivotLayout:
    return pivot.PivotLayout(key, pivot.TABLE_ROWS[key], pages, 14, pivot.TABLE_FIRST_COL[key])


def _fields(table: ElementTree.Element) -> list[ElementTree.Element]:
    return table.findall("m:pivotFields/m:pivotField", NS)


# --- The parts, alone ---------------------------------------------------------------------------------------------
def test_cache_reads_the_named_range_and_carries_no_record():
    cache = ElementTree.fromstring(pivot.cache_definition_xml("Donnees", HEADERS, {0: [2023, 2024]}))
    assert (cache.get("saveData"), cache.get("refreshOnLoad")) == ("0", "1")
    source = cache.find("m:cacheSource", NS)
    assert source.get("type") == "worksheet" and source.find("m:worksheetSource", NS).attrib == {"name": "Donnees"}
    fields = cache.findall("m:cacheFields/m:cacheField", NS)
    assert [f.get("name") for f in fields] == HEADERS
    assert cache.find("m:cacheFields", NS).get("count") == str(len(HEADERS))
    years = fields[0].find("m:sharedItems", NS)
    assert [n.get("v") for n in years] == ["2023", "2024"] and years.get("count") == "2"
    for field in fields[1:]:  # excelize's: one blank item where nothing is preselected
        items = field.find("m:sharedItems", NS)
        assert [child.tag.split("}")[1] for child in items] == ["m"] and items.get("count") == "1"


def test_cache_field_names_are_escaped():
    cache = pivot.cache_definition_xml("Donnees", ['Valeur "€" & <co>'], {})
    assert ElementTree.fromstring(cache).find("m:cacheFields/m:cacheField", NS).get("name") == 'Valeur "€" & <co>'


def test_table_axes_rows_columns_pages_and_values():
    source = _source()
    table = ElementTree.fromstring(pivot.pivot_table_xml(_layout(), source, 3))
    assert table.get("cacheId") == "3" and table.get("name") == workbook_text.XLSX_PIVOT_NAMES["pays"]
    fields = _fields(table)
    assert len(fields) == len(source.columns) == int(table.find("m:pivotFields", NS).get("count"))
    axes = {source.columns[i]: f.get("axis") for i, f in enumerate(fields) if f.get("axis")}
    assert axes == {"annee": "axisPage", "libelle_flux": "axisCol", "zone": "axisRow", "pays": "axisRow"}
    index = source.columns.index
    assert [int(f.get("x")) for f in table.findall("m:rowFields/m:field", NS)] == [index("zone"), index("pays")]
    assert [int(f.get("x")) for f in table.findall("m:colFields/m:field", NS)] == [index("libelle_flux")]
    assert [int(f.get("fld")) for f in table.findall("m:pageFields/m:pageField", NS)] == [index("annee")]
    data = table.find("m:dataFields/m:dataField", NS)
    assert (int(data.get("fld")), data.get("subtotal"), data.get("numFmtId")) == (index("valeur_eur"), "sum", "165")
    assert data.get("name") not in source.headers  # Excel refuses a data field named as a source field
    # The value field is in no axis (the same field in rows and data: Excel's content error).
    assert fields[index("valeur_eur")].attrib == {"dataField": "1", "showAll": "0"}
    assert all(f.get("showAll") == "0" for f in fields)


def test_row_items_are_a_single_empty_item():
    text = pivot.pivot_table_xml(_layout(), _source(), 1)
    assert '<rowItems count="1"><i><x/></i></rowItems>' in text  # excelize's fix for Excel for Mac
    assert '<colItems count="1"><i/></colItems>' in text


def test_year_page_field_shows_the_document_year_alone():
    table = ElementTree.fromstring(pivot.pivot_table_xml(_layout(), _source(years=(2022, 2023, 2024, 2025)), 1))
    year = _fields(table)[0]
    assert year.get("multipleItemSelectionAllowed") == "1"
    items = [(item.get("x"), item.get("h"), item.get("t")) for item in year.find("m:items", NS)]
    assert items == [("0", "1", None), ("1", "1", None), ("2", None, None), ("3", "1", None), (None, None, "default")]


def test_territory_page_field_shows_every_item():
    source = _source()
    table = ElementTree.fromstring(pivot.pivot_table_xml(_layout("activites", ("annee", "departement")), source, 2))
    territory = _fields(table)[source.columns.index("departement")]
    assert territory.get("axis") == "axisPage"
    assert [item.attrib for item in territory.find("m:items", NS)] == [{"t": "default"}]
    assert table.find("m:location", NS).get("rowPageCount") == "2"
    assert table.find("m:location", NS).get("ref").startswith("G15:")


def test_outer_row_field_has_subtotals_inner_has_none():
    source = _source()
    fields = _fields(ElementTree.fromstring(pivot.pivot_table_xml(_layout("activites"), source, 1)))
    outer, inner = fields[source.columns.index("libelle_a38")], fields[source.columns.index("libelle_a129")]
    assert outer.get("defaultSubtotal") is None and [i.attrib for i in outer.find("m:items", NS)] == [{"t": "default"}]
    assert inner.get("defaultSubtotal") == "0" and [i.attrib for i in inner.find("m:items", NS)] == [{"x": "0"}]


def test_no_number_format_when_the_workbook_has_none():
    data = ElementTree.fromstring(pivot.pivot_table_xml(_layout(), _source(num_fmt_id=None), 1)).find(
        "m:dataFields/m:dataField", NS)
    assert "numFmtId" not in data.attrib


def test_number_format_id_reads_the_styles():
    code = base.FMT_MEUR
    escaped = code.replace("&", "&amp;").replace('"', "&quot;")
    styles = f'<numFmts count="2"><numFmt numFmtId="164" formatCode="0.0"/><numFmt numFmtId="171" formatCode="{escaped}"/>'
    assert pivot.number_format_id(styles, code) == 171
    assert pivot.number_format_id(styles, "#,##0") is None


def test_layouts_skip_what_the_rows_lack(fiche_23):
    rows = fiche_23.detail.drop(columns=["zone"])
    layouts = pivot.pivot_layouts(_input(fiche_23, rows), "departement", 10)
    assert [(layout.key, layout.rows, layout.pages) for layout in layouts] == [
        ("pays", ("pays",), ("annee", "departement")), ("activites", ("libelle_a38", "libelle_a129"), ("annee", "departement"))]
    assert pivot.pivot_layouts(_input(fiche_23, rows), None, 10)[0].pages == ("annee",)


def _input(fiche, rows) -> DataSheetInput:
    from dataclasses import replace

    return replace(DataSheetInput.of_fiche(fiche), rows=rows)


def test_table_source_has_no_year_to_preselect_without_its_rows(fiche_23):
    rows = fiche_23.detail[fiche_23.detail["annee"] != 2024]
    assert pivot.table_source(_input(fiche_23, rows), "").years == ()
    assert pivot.table_source(DataSheetInput.of_fiche(fiche_23), "").years == fiche_23.detail_years


# --- In the workbooks -------------------------------------------------------------------------------------------
def pivot_summary(path) -> dict:
    """What a workbook holds of PivotTables: their caches' flags and sources, the defined names, the tables'
    sheet."""
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        caches = [ElementTree.fromstring(package.read(n)) for n in names if n.startswith("xl/pivotCache/")]
        tables = [n for n in names if re.fullmatch(r"xl/pivotTables/pivotTable\d+\.xml", n)]
        workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
        rels = package.read("xl/worksheets/_rels/" + _pivot_sheet_file(package) + ".rels").decode()
    return {
        "tables": len(tables),
        "refresh": [c.get("refreshOnLoad") for c in caches],
        "sources": [c.find("m:cacheSource/m:worksheetSource", NS).get("name") for c in caches],
        "defined": {d.get("name") for d in workbook.findall("m:definedNames/m:definedName", NS)},
        "caches_listed": len(workbook.findall("m:pivotCaches/m:pivotCache", NS)),
        "sheet_rels": rels.count("/relationships/pivotTable\""),
    }


def _pivot_sheet_file(package) -> str:
    workbook = package.read("xl/workbook.xml").decode()
    rid = re.search(rf'<sheet name="{workbook_text.XLSX_PIVOT_SHEET}" sheetId="\d+" r:id="(rId\d+)"', workbook)[1]
    target = re.search(rf'Id="{rid}" Type="[^"]+" Target="worksheets/([^"]+)"',
                       package.read("xl/_rels/workbook.xml.rels").decode())[1]
    return target


def _assert_two_refreshing_tables(path):
    summary = pivot_summary(path)
    assert summary["tables"] == 2 and summary["caches_listed"] == 2 and summary["sheet_rels"] == 2
    assert summary["refresh"] == ["1", "1"]
    assert set(summary["sources"]) == {data_sheet.DATA_RANGE_NAME} <= summary["defined"]


def test_departement_workbook_holds_two_refreshing_tables(workbook_23_path):
    _assert_two_refreshing_tables(workbook_23_path)


def test_region_and_france_workbooks_hold_two_refreshing_tables(level_documents):
    for name in ("r75.xlsx", "fr.xlsx"):
        _assert_two_refreshing_tables(level_documents[name])


def test_territoire_workbook_holds_two_refreshing_tables(ti_documents):
    _assert_two_refreshing_tables(ti_documents["xlsx"])
    with zipfile.ZipFile(ti_documents["xlsx"]) as package:
        table = package.read("xl/pivotTables/pivotTable1.xml").decode()
    assert '<pageFields count="2">' in table  # the year, and the département


def test_pivot_sheet_before_donnees_with_the_control_totals(workbook_23, fiche_23):
    names = workbook_23.sheetnames
    assert names.index(workbook_text.XLSX_PIVOT_SHEET) == names.index("Données") - 1
    ws = workbook_23[workbook_text.XLSX_PIVOT_SHEET]
    row, _ = find(ws, workbook_text.XLSX_PIVOT_CHECK.format(year=2024))
    check = ws.cell(row, pivot.FLOWS_FIRST_COL + 1), ws.cell(row, pivot.FLOWS_FIRST_COL + 2)
    assert [cell.value for cell in check] == [fiche_23.exports.total_eur, fiche_23.imports.total_eur]
    assert check[0].number_format == base.FMT_MEUR
    find(ws, workbook_text.xlsx_pivot_note(2024, None))
    assert not ws.print_area  # the application decides the tables' size
    assert ws.page_setup.orientation == "landscape"


def test_donnees_and_methode_say_the_tables_exist(workbook_23):
    notes = " ".join(str(c.value) for c in workbook_23["Données"][2] if c.value)
    assert workbook_text.xlsx_data_pivot_sheet_note() in notes
    find(workbook_23["Méthode"], workbook_text.XLSX_METHOD_PIVOT_LABEL)
    find(workbook_23["Méthode"], workbook_text.xlsx_method_pivot(2024)[0])


def test_parts_are_the_same_bytes_across_builds(fiche_23, tmp_path):
    parts = []
    for name in ("a.xlsx", "b.xlsx"):
        write_workbook(fiche_23, tmp_path / name)
        with zipfile.ZipFile(tmp_path / name) as package:
            parts.append([(i.filename, i.date_time, package.read(i)) for i in package.infolist()])
    assert parts[0] == parts[1]
    assert len({date for _, date, _ in parts[0]}) == 1  # every entry dated as XlsxWriter dated its own


# --- LibreOffice computes them ------------------------------------------------------------------------------------
def grand_totals(csv_path, layout_key: str) -> tuple[float, float]:
    """The exports and imports grand totals of one PivotTable as the CSV export of its sheet shows them: the
    table's flow columns (tabular form: two row fields, then the flows) on its last row labelled « Total… »."""
    with open(csv_path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    first = pivot.TABLE_FIRST_COL[layout_key]
    header = next(r for r in rows if len(r) > first + 3 and r[first + 2:first + 4] == ["Exportations", "Importations"])
    totals = [r for r in rows[rows.index(header):] if len(r) > first + 3 and r[first].startswith("Total")]
    assert totals, f"no grand total in {csv_path.name}"
    return float(totals[-1][first + 2] or 0), float(totals[-1][first + 3] or 0)


def _libreoffice_csv(paths, folder):
    """Every sheet of each workbook to CSV (numbers unformatted), after LibreOffice opened and refreshed them."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) n'est pas installé")
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", str(folder),
         *map(str, paths)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return {path: folder / f"{path.stem}-{workbook_text.XLSX_PIVOT_SHEET}.csv" for path in paths}


def _assert_totals_to_the_euro(csv_path, fiche):
    for key in pivot.TABLE_ROWS:
        assert grand_totals(csv_path, key) == (fiche.exports.total_eur, fiche.imports.total_eur), (csv_path.name, key)


@pytest.mark.libreoffice
def test_libreoffice_computes_the_departements_tables_to_the_euro(builder, tmp_path):
    fiches = {code: builder.build(code, 2024) for code in ("23", "87", "20", "971")}
    paths = {}
    for code, fiche in fiches.items():
        paths[code] = tmp_path / f"d{code}.xlsx"
        write_workbook(fiche, paths[code])
    exported = _libreoffice_csv(list(paths.values()), tmp_path)
    for code, fiche in fiches.items():
        _assert_totals_to_the_euro(exported[paths[code]], fiche)


@pytest.mark.libreoffice
def test_libreoffice_computes_the_region_and_france_tables_to_the_euro(level_documents, fiche_r75, fiche_france,
                                                                        tmp_path):
    paths = [level_documents["r75.xlsx"], level_documents["fr.xlsx"]]
    exported = _libreoffice_csv(paths, tmp_path)
    _assert_totals_to_the_euro(exported[paths[0]], fiche_r75)
    _assert_totals_to_the_euro(exported[paths[1]], fiche_france)


def test_grand_totals_reads_the_table_columns(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame([["", "", "", "", "", "", "x", "", "", "", ""],
                  ["Zone", "Pays", "Exportations", "Importations", "Total", "", "A38", "A129", "Exportations",
                   "Importations", "Total"],
                  ["Afrique Result", "", "5", "6", "11", "", "Total Result", "", "7", "", "7"],
                  ["Total Result", "", "12", "3", "15", "", "", "", "", "", ""]]).to_csv(path, header=False, index=False)
    assert grand_totals(path, "pays") == (12.0, 3.0) and grand_totals(path, "activites") == (7.0, 0.0)

