"""Every use of python-pptx's private API, in one place, each guarded with a public fallback.

Everything else reaches the XML through python-pptx's public `element` properties. Two things have no
public route:
- the workbook embedded in a chart: python-pptx writes it with XlsxWriter and lets XlsxWriter stamp
  docProps/core.xml with the clock; `FixedDateChartData` replays python-pptx's own private steps with a
  fixed date, and when they are gone (a new release) stamps the date into python-pptx's public blob
  afterwards (`with_core_dates`);
- turbo mode's shape-id cache, which must hear of the shapes `render.drawing` adds as raw XML.
Two speed-ups patch python-pptx's XML layer, each result unchanged (`cache_oxml_lookups`): its
`BaseOxmlElement.xpath` compiles its expression on every call (lxml's `_Element.xpath`), about 1 800 times a
deck, and is made to evaluate an `etree.XPath` compiled once per expression with the same namespaces; its `qn`
(« a:rPr » → « {…drawingml…}rPr ») builds two objects on every call, about 9 000 times a deck, and is
replaced in the python-pptx modules that imported it by the same function with its answers kept. Either is
left as it is when python-pptx's internals are not where expected.
Four shortcuts have a public route, taken when the private attribute is gone: a slide's shape tree
(`shape_tree`), a chart series' XML element (`series_element`), the package's members as python-pptx's
save would write them, without compressing them into a ZIP that is then read back (`package_members`), and
a slide's notes page as a copy of the deck's first one before it was written on, instead of python-pptx
cloning the notes master's placeholders and searching the package for a free part name each time
(`notes_slide`).
tests/render/test_pptx_internals.py runs both routes.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
import sys
import zipfile

from pptx.chart.data import CategoryChartData

_CORE_PART = "docProps/core.xml"
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


class FixedDateChartData(CategoryChartData):
    """Chart data whose embedded workbook carries a fixed creation date (same inputs, same parts)."""

    def __init__(self, created: dt.datetime, number_format: str) -> None:
        super().__init__(number_format=number_format)
        self._created = created

    @property
    def xlsx_blob(self) -> bytes:
        # Same steps as python-pptx's _BaseWorkbookWriter.xlsx_blob, plus set_properties: XlsxWriter
        # otherwise stamps docProps/core.xml with the clock.
        try:
            writer = self._workbook_writer
            buffer = io.BytesIO()
            with writer._open_worksheet(buffer) as (workbook, worksheet):
                workbook.set_properties({"created": self._created, "author": "fichex"})
                writer._populate_worksheet(workbook, worksheet)
            return buffer.getvalue()
        except (AttributeError, ImportError):
            return with_core_dates(super().xlsx_blob, self._created)


def with_core_dates(xlsx: bytes, created: dt.datetime) -> bytes:
    """The workbook with the created and modified dates of docProps/core.xml set to `created`."""
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():  # same names, order, timestamps and compression
            data = source.read(info)
            if info.filename == _CORE_PART:
                data = _CORE_DATES.sub(lambda m: m[1] + stamp + m[2], data)
            target.writestr(info, data)
    return out.getvalue()


_COMPILED_XPATHS: dict = {}
_COMPILED_XPATHS_MAX = 4096  # python-pptx's expressions are a few hundred; any beyond are compiled each time


def cache_oxml_lookups() -> bool:
    """Make python-pptx's `BaseOxmlElement.xpath` evaluate each expression compiled once per process, and its
    `qn` keep its answers (see the module's docstring); idempotent. False, with nothing changed, when
    python-pptx's internals differ."""
    try:
        from lxml import etree
        from pptx.oxml import ns, xmlchemy
    except ImportError:
        return False
    element_class = getattr(xmlchemy, "BaseOxmlElement", None)
    namespaces = getattr(ns, "_nsmap", None)
    original_qn = getattr(ns, "qn", None)
    if element_class is None or not isinstance(namespaces, dict) or not callable(original_qn):
        return False
    if getattr(element_class.xpath, "compiled_once", False):
        return True

    def xpath(self, xpath_str: str):
        compiled = _COMPILED_XPATHS.get(xpath_str)
        if compiled is None:
            compiled = etree.XPath(xpath_str, namespaces=namespaces)
            if len(_COMPILED_XPATHS) < _COMPILED_XPATHS_MAX:
                _COMPILED_XPATHS[xpath_str] = compiled
        return compiled(self)

    xpath.compiled_once = True
    xpath.__doc__ = element_class.xpath.__doc__
    element_class.xpath = xpath
    kept_qn = functools.lru_cache(maxsize=None)(original_qn)
    for name, module in list(sys.modules.items()):
        if name.startswith("pptx.") and getattr(module, "qn", None) is original_qn:
            module.qn = kept_qn
    return True


def note_shape_ids(shapes, highest_id: int) -> None:
    """Tell python-pptx's turbo-mode id cache (when on) that ids up to `highest_id` are taken.

    Without turbo mode python-pptx reads ids from the XML, where the raw shapes already are: nothing to do.
    """
    cached = getattr(shapes, "_cached_max_shape_id", None)
    if cached is not None:
        shapes._cached_max_shape_id = max(cached, highest_id)


def shape_tree(slide):
    """The slide's shape tree (`p:spTree`): python-pptx's `shapes._spTree`, else through the public
    `slide.element` (`p:sld/p:cSld/p:spTree`), the same element."""
    try:
        return slide.shapes._spTree
    except AttributeError:
        return slide.element.cSld.spTree


def series_element(series, chart):
    """The `c:ser` element of a series of `chart`: python-pptx's `series._element`, else the chart's
    series of the same index, found through the public `chart.element`."""
    try:
        return series._element
    except AttributeError:
        return chart.element.xpath(f".//c:ser[c:idx/@val='{series.index}']")[0]


def package_members(prs) -> list[tuple[str, bytes]]:
    """Every member of the deck's package, (name in the ZIP, bytes), in the order python-pptx's save writes
    them: python-pptx's own PackageWriter steps replayed onto a list, so nothing is compressed; else (a
    release without those steps) the deck saved and read back (`saved_members`)."""
    try:
        from pptx.opc.serialized import PackageWriter

        members: list[tuple[str, bytes]] = []

        class _Collector:  # python-pptx's physical writer: write(pack_uri, blob)
            @staticmethod
            def write(pack_uri, blob) -> None:
                members.append((pack_uri.membername, blob))

        package = prs.part.package
        writer = PackageWriter(None, package._rels, tuple(package.iter_parts()))
        for step in (writer._write_content_types_stream, writer._write_pkg_rels, writer._write_parts):
            step(_Collector())
        return members
    except (AttributeError, ImportError, TypeError):
        return saved_members(prs)


def saved_members(prs) -> list[tuple[str, bytes]]:
    """The package's members through python-pptx's public save: written to a ZIP in memory and read back."""
    written = io.BytesIO()
    prs.save(written)
    with zipfile.ZipFile(written) as package:
        return [(info.filename, package.read(info)) for info in package.infolist()]


_NOTES_PART = "/ppt/notesSlides/notesSlide{}.xml"


def notes_slide(slide, first: dict):
    """`slide.notes_slide`, the same part python-pptx makes. A deck's first notes page is python-pptx's;
    `first` (a dict kept for the deck) then holds its XML before anything is written on it, and each next
    page is a copy of that XML, related as python-pptx relates it (to the notes master, to the slide, from
    the slide) and named as python-pptx names it when the pages are numbered 1…n (n + 1, n the slides that
    have notes). python-pptx's route whenever the slide has notes already, the package's notes pages were
    not numbered 1…n at the first, or its private parts are gone."""
    if slide.has_notes_slide or first.get("xml", False) is None:
        return slide.notes_slide
    if "xml" not in first:
        notes = slide.notes_slide
        first["xml"] = None
        try:
            taken = {str(part.partname) for part in slide.part.package.iter_parts()
                     if str(part.partname).startswith(_NOTES_PART.split("{")[0])}
            if taken == {_NOTES_PART.format(n) for n in range(1, len(taken) + 1)}:
                first["xml"] = copy.deepcopy(notes.element)
        except AttributeError:
            pass
        return notes
    try:
        from pptx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
        from pptx.opc.packuri import PackURI
        from pptx.parts.slide import NotesSlidePart

        part = slide.part
        presentation = part.package.presentation_part
        number = sum(1 for other in presentation.presentation.slides if other.has_notes_slide) + 1
        notes_part = NotesSlidePart(PackURI(_NOTES_PART.format(number)), CONTENT_TYPE.PML_NOTES_SLIDE,
                                    part.package, copy.deepcopy(first["xml"]))
        master = presentation.notes_master_part
    except (AttributeError, ImportError, TypeError):
        first["xml"] = None
        return slide.notes_slide
    notes_part.relate_to(master, RELATIONSHIP_TYPE.NOTES_MASTER)
    notes_part.relate_to(part, RELATIONSHIP_TYPE.SLIDE)
    part.relate_to(notes_part, RELATIONSHIP_TYPE.NOTES_SLIDE)
    return slide.notes_slide
