"""The PivotTable parts added to a closed workbook (render/xlsx/pivot_package.py): relationships, workbook.xml,
content types, and the package rewritten with XlsxWriter's entries untouched, in their order and dates."""

from __future__ import annotations

import datetime
import zipfile
from io import BytesIO

import pytest
import xlsxwriter

from fichex.render.xlsx import pivot_package

WORKBOOK_XML = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                '<sheet name="A &amp; B" sheetId="1" r:id="rId1"/><sheet name="Tableau croisé" sheetId="2" r:id="rId2"/>'
                '</sheets><definedNames/><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>').encode()
WORKBOOK_RELS = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 b'<Relationship Id="rId1" Type="t" Target="worksheets/sheet1.xml"/>'
                 b'<Relationship Id="rId2" Type="t" Target="worksheets/sheet2.xml"/>'
                 b'<Relationship Id="rId12" Type="t" Target="styles.xml"/></Relationships>')


def test_sheet_part_follows_the_relationship():
    assert pivot_package.sheet_part(WORKBOOK_XML, WORKBOOK_RELS, "Tableau croisé") == "xl/worksheets/sheet2.xml"
    assert pivot_package.sheet_part(WORKBOOK_XML, WORKBOOK_RELS, "A & B") == "xl/worksheets/sheet1.xml"


def test_new_relationships_take_the_next_free_ids():
    rels, ids = pivot_package.with_relationships(WORKBOOK_RELS, [("k", "a.xml"), ("k", "b.xml")])
    assert ids == ["rId13", "rId14"]
    assert rels.endswith(b'<Relationship Id="rId14" Type="k" Target="b.xml"/></Relationships>')
    fresh, ids = pivot_package.with_relationships(None, [("k", "../pivotTables/pivotTable1.xml")])
    assert ids == ["rId1"] and fresh.startswith(pivot_package.XML_DECLARATION) and b'Id="rId1"' in fresh


def test_pivot_caches_come_after_calc_pr():
    xml = pivot_package.with_pivot_caches(WORKBOOK_XML, ["rId13", "rId14"])
    assert xml.endswith(b'fullCalcOnLoad="1"/><pivotCaches><pivotCache cacheId="1" r:id="rId13"/>'
                        b'<pivotCache cacheId="2" r:id="rId14"/></pivotCaches></workbook>')


def test_overrides_name_both_kinds():
    xml = pivot_package.with_overrides(b"<Types></Types>", [("xl/pivotTables/pivotTable1.xml", "pivotTable"),
                                                            ("xl/pivotCache/c1.xml", "pivotCacheDefinition")])
    assert b'PartName="/xl/pivotTables/pivotTable1.xml" ContentType="application/vnd.openxmlformats-' \
           b'officedocument.spreadsheetml.pivotTable+xml"' in xml
    assert xml.count(b"<Override") == 2


@pytest.fixture
def small_workbook(tmp_path):
    """A workbook of XlsxWriter's: a sheet with a hyperlink (so it has its relationships already), the pivot
    sheet without any."""
    path = tmp_path / "small.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": datetime.datetime(2024, 5, 1)})
    first = workbook.add_worksheet("Donnees")
    first.write_url(0, 0, "https://example.org")
    workbook.add_worksheet("Tableau croisé")
    workbook.close()
    return path


def test_rewrite_keeps_every_entry_and_adds_the_parts(small_workbook):
    with zipfile.ZipFile(small_workbook) as package:
        before = [(i.filename, i.date_time, package.read(i)) for i in package.infolist()]
    pivot_package.add_pivot_parts(small_workbook, "Tableau croisé", [(b"<c1/>", b"<t1/>"), (b"<c2/>", b"<t2/>")])
    with zipfile.ZipFile(small_workbook) as package:
        after = [(i.filename, i.date_time, package.read(i)) for i in package.infolist()]
    changed = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}
    assert [entry for entry in after[:len(before)] if entry[0] not in changed] == \
        [entry for entry in before if entry[0] not in changed]
    added = after[len(before):]
    assert [name for name, _, _ in added] == [
        "xl/worksheets/_rels/sheet2.xml.rels", "xl/pivotTables/pivotTable1.xml",
        "xl/pivotTables/_rels/pivotTable1.xml.rels", "xl/pivotCache/pivotCacheDefinition1.xml",
        "xl/pivotTables/pivotTable2.xml", "xl/pivotTables/_rels/pivotTable2.xml.rels",
        "xl/pivotCache/pivotCacheDefinition2.xml"]
    assert {date for _, date, _ in after} == {before[0][1]}
    parts = {name: data for name, _, data in after}
    assert parts["xl/pivotTables/pivotTable2.xml"] == b"<t2/>" and parts["xl/pivotCache/pivotCacheDefinition1.xml"] == b"<c1/>"
    assert b'Target="../pivotCache/pivotCacheDefinition2.xml"' in parts["xl/pivotTables/_rels/pivotTable2.xml.rels"]
    assert parts["xl/worksheets/_rels/sheet2.xml.rels"].count(b"/relationships/pivotTable\"") == 2
    assert b"<pivotCaches>" in parts["xl/workbook.xml"]


def test_rewrite_adds_to_the_sheet_relationships_it_has(small_workbook):
    pivot_package.add_pivot_parts(small_workbook, "Donnees", [(b"<c/>", b"<t/>")])
    with zipfile.ZipFile(small_workbook) as package:
        rels = package.read("xl/worksheets/_rels/sheet1.xml.rels")
        assert package.namelist().count("xl/worksheets/_rels/sheet1.xml.rels") == 1
    assert b"https://example.org" in rels and b'Id="rId2" Type="' + pivot_package.PIVOT_TABLE_REL.encode() in rels


def _small_workbook_saved(target, in_memory: bool) -> None:
    workbook = xlsxwriter.Workbook(target, {"in_memory": in_memory})
    workbook.set_properties({"created": datetime.datetime(2024, 5, 1)})
    workbook.add_worksheet("Donnees").write(0, 0, "texte")
    workbook.add_worksheet("Tableau croisé")
    workbook.close()


@pytest.mark.parametrize("tables", [[(b"<c/>", b"<t/>")], []], ids=["tables", "no-table"])
def test_a_workbook_saved_in_memory_is_dated_as_one_saved_through_files(tmp_path, tables):
    """XlsxWriter dates an in-memory save's entries 1 January 1980 with no mode, a file-based one 31 January
    with a private file's mode: the rewrite gives the second's bytes from the first (with no table: a copy)."""
    files, memory = tmp_path / "files.xlsx", tmp_path / "memory.xlsx"
    _small_workbook_saved(str(files), in_memory=False)
    saved = BytesIO()
    _small_workbook_saved(saved, in_memory=True)
    assert {i.date_time for i in zipfile.ZipFile(saved).infolist()} == {(1980, 1, 1, 0, 0, 0)}
    if tables:
        pivot_package.add_pivot_parts(files, "Tableau croisé", tables)
    pivot_package.add_pivot_parts(memory, "Tableau croisé", tables, saved=saved)
    with zipfile.ZipFile(memory) as package:
        assert {(i.date_time, i.external_attr) for i in package.infolist()} == {
            (pivot_package.FILE_SAVE_DATE, pivot_package.FILE_SAVE_ATTRIBUTES)}
    assert memory.read_bytes() == files.read_bytes()
