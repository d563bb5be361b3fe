"""python-pptx's private API, in one place: both routes of the chart workbook date, the turbo-mode id cache, a
slide's shape tree, a chart series' element and the package's members."""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from types import SimpleNamespace

import openpyxl
import xlsxwriter
from pptx import Presentation
from pptx.util import Inches

from fichex.render import pptx_internals
from fichex.render.pptx_internals import (FixedDateChartData, note_shape_ids, notes_slide, package_members,
                                          saved_members, series_element, shape_tree, with_core_dates)

CORE_CREATED = re.compile(r"<dcterms:created\b[^>]*>([^<]*)</dcterms:created>")


def workbook_created(xlsx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as workbook:
        match = CORE_CREATED.search(workbook.read("docProps/core.xml").decode())
    assert match, "docProps/core.xml has no dcterms:created"
    return match[1]


def small_workbook() -> bytes:
    """A workbook as XlsxWriter writes it, dated by the clock."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Feuil1")
    sheet.write_row(0, 0, ["Pays", "Exportations"])
    sheet.write_row(1, 0, ["Allemagne", 1.5])
    book.close()
    return buffer.getvalue()


def test_fixed_date_chart_data_through_python_pptx_private_helpers(monkeypatch):
    stamped = []
    monkeypatch.setattr(pptx_internals, "with_core_dates", lambda blob, created: stamped.append(created) or blob)
    data = FixedDateChartData(dt.datetime(2025, 1, 1), number_format="#,##0.0")
    data.categories = ["Allemagne", "Italie"]
    data.add_series("Exportations", [1.5, 2.25])
    blob = data.xlsx_blob
    assert stamped == []  # the private route ran, no stamping afterwards
    assert workbook_created(blob) == "2025-01-01T00:00:00Z"
    assert blob == data.xlsx_blob


def test_chart_workbook_without_python_pptx_private_helpers(monkeypatch):
    """If a python-pptx release drops _open_worksheet, its own workbook is used, with the data date put in."""
    from pptx.chart.xlsx import _BaseWorkbookWriter
    from xlsxwriter import Workbook

    stamped, stamp = [], pptx_internals.with_core_dates
    monkeypatch.setattr(pptx_internals, "with_core_dates",
                        lambda blob, created: stamped.append(created) or stamp(blob, created))

    def public_only_blob(writer):
        buffer = io.BytesIO()
        workbook = Workbook(buffer, {"in_memory": True})
        writer._populate_worksheet(workbook, workbook.add_worksheet())
        workbook.close()
        return buffer.getvalue()

    monkeypatch.setattr(_BaseWorkbookWriter, "xlsx_blob", property(public_only_blob))
    monkeypatch.delattr(_BaseWorkbookWriter, "_open_worksheet")
    data = FixedDateChartData(dt.datetime(2025, 1, 1), number_format="#,##0.0")
    data.categories = ["Allemagne", "Italie"]
    data.add_series("Exportations", [1.5, 2.25])
    blob = data.xlsx_blob
    assert workbook_created(blob) == "2025-01-01T00:00:00Z"
    assert stamped == [dt.datetime(2025, 1, 1)]  # the fallback ran
    assert blob == data.xlsx_blob  # deterministic
    sheet = openpyxl.load_workbook(io.BytesIO(blob)).active
    assert [row for row in sheet.iter_rows(values_only=True)] == [
        (None, "Exportations"), ("Allemagne", 1.5), ("Italie", 2.25)]


def test_with_core_dates_changes_only_the_core_dates():
    original = small_workbook()
    created = dt.datetime(2020, 5, 17, 8, 30)
    stamped = with_core_dates(original, created)
    assert workbook_created(stamped) == "2020-05-17T08:30:00Z"
    properties = openpyxl.load_workbook(io.BytesIO(stamped)).properties
    assert (properties.created, properties.modified) == (created, created)
    with zipfile.ZipFile(io.BytesIO(original)) as before, zipfile.ZipFile(io.BytesIO(stamped)) as after:
        assert before.namelist() == after.namelist()
        for info in before.infolist():
            if info.filename != "docProps/core.xml":
                assert before.read(info) == after.read(info.filename), info.filename
            assert after.getinfo(info.filename).compress_type == info.compress_type
    assert with_core_dates(stamped, created) == stamped
    sheet = openpyxl.load_workbook(io.BytesIO(stamped))["Feuil1"]
    assert list(sheet.iter_rows(values_only=True)) == [("Pays", "Exportations"), ("Allemagne", 1.5)]


def test_note_shape_ids_raises_the_turbo_cache():
    shapes = SimpleNamespace(_cached_max_shape_id=5)
    note_shape_ids(shapes, 9)
    assert shapes._cached_max_shape_id == 9
    note_shape_ids(shapes, 3)  # never lowered
    assert shapes._cached_max_shape_id == 9


def test_note_shape_ids_without_turbo_mode_leaves_the_shapes_alone():
    shapes = SimpleNamespace()
    note_shape_ids(shapes, 9)
    assert vars(shapes) == {}
    off = SimpleNamespace(_cached_max_shape_id=None)  # python-pptx's value when turbo mode is off
    note_shape_ids(off, 9)
    assert off._cached_max_shape_id is None


def test_note_shape_ids_on_a_real_slide_in_turbo_mode():
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    slide.shapes.turbo_add_enabled = True
    note_shape_ids(slide.shapes, 40)
    box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(2), Inches(1))
    assert box.shape_id == 41


def test_embedded_workbooks_are_dated_from_the_data(fiche_23, tmp_path):
    """Through the whole deck: every chart workbook carries the data date, not the clock."""
    from fichex.render.pptx import write_deck

    assert fiche_23.data.created[:10] != dt.date.today().isoformat()  # else the test could not tell them apart
    path = tmp_path / "deck.pptx"
    write_deck(fiche_23, path)
    expected = f"{fiche_23.data.created[:10]}T00:00:00Z"
    with zipfile.ZipFile(path) as deck:
        embedded = [name for name in deck.namelist()
                    if name.startswith("ppt/embeddings/") and name.endswith(".xlsx")]
        assert embedded, "the deck has no chart workbook"
        for name in embedded:
            assert workbook_created(deck.read(name)) == expected, name


def test_shape_tree_through_python_pptx_and_through_the_public_element():
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    tree = shape_tree(slide)
    assert tree is slide.shapes._spTree
    public = SimpleNamespace(shapes=SimpleNamespace(), element=slide.element)  # a python-pptx without _spTree
    assert shape_tree(public) is tree
    assert tree.tag.endswith("}spTree")


def test_series_element_through_python_pptx_and_through_the_chart():
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    data = CategoryChartData()
    data.categories = ["a", "b"]
    data.add_series("un", (1, 2))
    data.add_series("deux", (3, 4))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, 0, 0, Inches(4), Inches(3), data).chart
    for series in chart.plots[0].series:
        element = series_element(series, chart)
        assert element is series._element
        public = SimpleNamespace(index=series.index)  # a python-pptx without _element
        assert series_element(public, chart) is element
        assert hasattr(element, "get_or_add_dLbls")


def deck_with_a_chart_and_a_picture():
    """A small deck with the kinds of parts a fiche's deck holds: slides, a chart and its workbook, an image."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    data = CategoryChartData()
    data.categories = ["a", "b"]
    data.add_series("un", (1, 2))
    slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, 0, 0, Inches(4), Inches(3), data)
    png = io.BytesIO()
    tiny_png(png)
    slide.shapes.add_picture(png, Inches(5), Inches(1))
    prs.slides.add_slide(prs.slide_layouts[1]).notes_slide.notes_text_frame.text = "note"
    return prs


def tiny_png(stream) -> None:
    """A 1×1 PNG written by hand (no imaging library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    stream.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
                 + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
    stream.seek(0)


def test_package_members_equal_what_python_pptx_saves():
    """python-pptx's writer steps replayed onto a list give the members its save writes, in its order."""
    prs = deck_with_a_chart_and_a_picture()
    members = package_members(prs)
    names = [name for name, _ in members]
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert any(name.startswith("ppt/embeddings/") for name in names) and any(name.startswith("ppt/media/")
                                                                            for name in names)
    assert all(isinstance(data, bytes) for _, data in members)
    assert members == saved_members(prs)


def test_package_members_without_python_pptx_private_writer_steps(monkeypatch):
    """If a python-pptx release moves its PackageWriter, the deck is saved and read back: same members."""
    prs = deck_with_a_chart_and_a_picture()
    expected = package_members(prs)
    saved = []
    monkeypatch.setattr(pptx_internals, "saved_members", lambda p: saved.append(p) or saved_members(p))
    monkeypatch.delattr("pptx.opc.serialized.PackageWriter")  # the import fails; python-pptx's save keeps its own
    assert package_members(prs) == expected
    assert saved == [prs]  # the fallback ran


def deck_with_notes(write_notes) -> list[tuple[str, bytes]]:
    """Four slides with speaker notes, the third's written twice, each notes page made by `write_notes(slide)`."""
    prs = Presentation()
    for n in range(4):
        slide = prs.slides.add_slide(prs.slide_layouts[1 + n % 2])
        write_notes(slide).notes_text_frame.text = f"note {n}"
        if n == 2:
            write_notes(slide).notes_text_frame.text = "note 2 bis"
    return package_members(prs)


def test_notes_pages_copied_from_the_first_equal_python_pptx_s():
    """The first notes page is python-pptx's, the next copies of it: the same parts, names and relationships."""
    first: dict = {}
    members = deck_with_notes(lambda slide: notes_slide(slide, first))
    assert first["xml"] is not None  # the copy route ran
    assert members == deck_with_notes(lambda slide: slide.notes_slide)
    assert [name for name, _ in members if name.startswith("ppt/notesSlides/notesSlide")] == [
        f"ppt/notesSlides/notesSlide{n}.xml" for n in range(1, 5)]


def test_notes_pages_through_python_pptx_when_its_parts_are_gone(monkeypatch):
    """A python-pptx release whose private parts moved (the import fails): each page made by python-pptx."""
    expected = deck_with_notes(lambda slide: slide.notes_slide)
    monkeypatch.setitem(sys.modules, "pptx.opc.packuri", None)  # python-pptx's modules keep what they imported
    first: dict = {}
    assert deck_with_notes(lambda slide: notes_slide(slide, first)) == expected
    assert first["xml"] is None


def test_notes_pages_through_python_pptx_when_not_numbered_from_one():
    """A package whose notes pages are not numbered 1…n (a gap): python-pptx names every next one."""
    prs = Presentation()
    slides = [prs.slides.add_slide(prs.slide_layouts[1]) for _ in range(3)]
    gap = slides[0].notes_slide.part
    gap.partname = type(gap.partname)("/ppt/notesSlides/notesSlide5.xml")
    first: dict = {}
    for slide in slides[1:]:
        notes_slide(slide, first).notes_text_frame.text = "note"
    assert first["xml"] is None
    names = sorted(str(part.partname) for part in prs.part.package.iter_parts() if "notesSlide" in str(part.partname))
    assert len(set(names)) == 3


def test_cached_oxml_lookups_give_what_python_pptx_gives(deck_23):
    from lxml import etree
    from pptx.oxml import xmlchemy
    from pptx.oxml.ns import _nsmap

    assert pptx_internals.cache_oxml_lookups() and pptx_internals.cache_oxml_lookups()  # idempotent
    assert getattr(xmlchemy.BaseOxmlElement.xpath, "compiled_once", False)
    # qn keeps its answers, in the modules that imported it, and answers as before.
    assert hasattr(xmlchemy.qn, "cache_info") and xmlchemy.qn("a:rPr") == xmlchemy.qn.__wrapped__("a:rPr")
    assert xmlchemy.qn("p:sp") == "{http://schemas.openxmlformats.org/presentationml/2006/main}sp"
    expressions = ["//@id", "./p:cSld/p:spTree/p:sp", ".//a:t/text()", "//p:cNvPr/@name", "count(//a:r)",
                   "./*[1]/p:nvPr/p:ph"]
    for slide in deck_23.slides:
        element = slide.element
        for expression in expressions:
            expected = etree.ElementBase.xpath(element, expression, namespaces=_nsmap)
            assert element.xpath(expression) == expected, expression
