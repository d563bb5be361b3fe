"""PivotTable parts added to a closed workbook's ZIP: each table's pivotCacheDefinition and pivotTableDefinition
with their relationships, the `pivotCaches` of workbook.xml, the sheet's relationships and the content types,
the package rewritten in place with XlsxWriter's entry order and dates (the same workbook gives the same bytes),
its unchanged entries' compressed bytes copied as they are (xlsx_internals.copy_compressed)."""

from __future__ import annotations

import re
import shutil
import zipfile
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree

from fichex.render.xlsx_internals import copy_compressed

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PIVOT_TABLE_REL = REL_NS + "/pivotTable"
PIVOT_CACHE_REL = REL_NS + "/pivotCacheDefinition"
CONTENT_TYPES = {
    "pivotTable": "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotTable+xml",
    "pivotCacheDefinition": "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheDefinition+xml",
}
WORKBOOK, WORKBOOK_RELS, TYPES = "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
COPY_CHUNK = 1 << 20
# How XlsxWriter's file-based save dates and flags its entries (each part a private scratch file, dated
# 31 January 1980, of mode 0600), which a workbook it saved in memory (dated 1 January 1980, no mode) is
# given here: the same workbook gives the same bytes, saved either way.
FILE_SAVE_DATE = (1980, 1, 31, 0, 0, 0)
FILE_SAVE_ATTRIBUTES = 0o100600 << 16


def read_part(path: Path | BinaryIO, name: str) -> bytes:
    """One part of a package (a file, or a package in memory)."""
    with zipfile.ZipFile(path) as package:
        return package.read(name)


def sheet_part(workbook_xml: bytes, workbook_rels: bytes, sheet_name: str) -> str:
    """The part name of the sheet called `sheet_name` (« xl/worksheets/sheet11.xml »)."""
    sheets = ElementTree.fromstring(workbook_xml).find(f"{{{MAIN_NS}}}sheets")
    rel_id = next(s.get(f"{{{REL_NS}}}id") for s in sheets if s.get("name") == sheet_name)
    target = next(r.get("Target") for r in ElementTree.fromstring(workbook_rels) if r.get("Id") == rel_id)
    return "xl/" + target.lstrip("/").removeprefix("xl/")


def next_rel_id(rels_xml: bytes) -> int:
    """The first free number of a relationships part's `rIdN` ids."""
    return max((int(n) for n in re.findall(rb'Id="rId(\d+)"', rels_xml)), default=0) + 1


def relationships(entries: list[tuple[str, str, str]]) -> bytes:
    """A relationships part of (id, type, target) entries."""
    body = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in entries)
    return XML_DECLARATION + f'<Relationships xmlns="{PACKAGE_REL_NS}">{body}</Relationships>'.encode()


def with_relationships(rels_xml: bytes | None, entries: list[tuple[str, str]]) -> tuple[bytes, list[str]]:
    """A relationships part (new when `rels_xml` is None) with (type, target) entries added; their ids."""
    first = next_rel_id(rels_xml) if rels_xml else 1
    ids = [f"rId{first + i}" for i in range(len(entries))]
    added = [(rid, kind, target) for rid, (kind, target) in zip(ids, entries)]
    if rels_xml is None:
        return relationships(added), ids
    body = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in added)
    return rels_xml.replace(b"</Relationships>", body.encode() + b"</Relationships>", 1), ids


def with_pivot_caches(workbook_xml: bytes, rel_ids: list[str]) -> bytes:
    """workbook.xml with its `pivotCaches` (cache ids 1, 2…), after `calcPr` as the schema orders them."""
    caches = "".join(f'<pivotCache cacheId="{i}" r:id="{rid}"/>' for i, rid in enumerate(rel_ids, 1))
    element = f"<pivotCaches>{caches}</pivotCaches>".encode()
    match = re.search(rb"<calcPr[^>]*/>|</calcPr>", workbook_xml)
    at = match.end() if match else workbook_xml.index(b"</workbook>")
    return workbook_xml[:at] + element + workbook_xml[at:]


def with_overrides(types_xml: bytes, parts: list[tuple[str, str]]) -> bytes:
    """[Content_Types].xml with an Override per (part name, kind of CONTENT_TYPES)."""
    body = "".join(f'<Override PartName="/{name}" ContentType="{CONTENT_TYPES[kind]}"/>' for name, kind in parts)
    return types_xml.replace(b"</Types>", body.encode() + b"</Types>", 1)


def pivot_parts(package: zipfile.ZipFile, sheet_name: str,
                tables: list[tuple[bytes, bytes]]) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The parts to replace and the parts to add for `tables`, (cache definition, table definition) each,
    the table on the sheet `sheet_name`: ({name: new content}, {name: content}, in the order to add them)."""
    names = set(package.namelist())
    workbook_xml, workbook_rels = package.read(WORKBOOK), package.read(WORKBOOK_RELS)
    sheet = sheet_part(workbook_xml, workbook_rels, sheet_name)
    sheet_rels_name = f"{sheet.rsplit('/', 1)[0]}/_rels/{sheet.rsplit('/', 1)[1]}.rels"
    sheet_rels = package.read(sheet_rels_name) if sheet_rels_name in names else None
    n = len(tables)
    caches = [f"pivotCache/pivotCacheDefinition{i}.xml" for i in range(1, n + 1)]
    pivots = [f"pivotTables/pivotTable{i}.xml" for i in range(1, n + 1)]
    new_workbook_rels, cache_ids = with_relationships(workbook_rels, [(PIVOT_CACHE_REL, c) for c in caches])
    new_sheet_rels, _ = with_relationships(sheet_rels, [(PIVOT_TABLE_REL, "../" + p) for p in pivots])
    replaced = {WORKBOOK: with_pivot_caches(workbook_xml, cache_ids), WORKBOOK_RELS: new_workbook_rels,
                TYPES: with_overrides(package.read(TYPES), [("xl/" + p, "pivotTable") for p in pivots]
                                      + [("xl/" + c, "pivotCacheDefinition") for c in caches])}
    added = {}
    if sheet_rels is None:
        added[sheet_rels_name] = new_sheet_rels
    else:
        replaced[sheet_rels_name] = new_sheet_rels
    for pivot, cache, (cache_xml, table_xml) in zip(pivots, caches, tables):
        added["xl/" + pivot] = table_xml
        added[f"xl/pivotTables/_rels/{pivot.rsplit('/', 1)[1]}.rels"] = relationships(
            [("rId1", PIVOT_CACHE_REL, "../" + cache)])
        added["xl/" + cache] = cache_xml
    return replaced, added


def add_pivot_parts(path: Path, sheet_name: str, tables: list[tuple[bytes, bytes]], *,
                    saved: BytesIO | None = None) -> None:
    """Rewrite the workbook at `path` with PivotTables on the sheet `sheet_name`: its entries in their order and
    with their dates, the changed ones replaced, the new ones after them dated as the first; the big
    parts (the Données sheet) streamed, never held whole. `saved`: the workbook as XlsxWriter saved it in
    memory, written to `path` dated as its file-based save (FILE_SAVE_DATE); no table: copied as it is."""
    out = BytesIO()
    raw = BytesIO(saved.getbuffer()) if saved is not None else open(path, "rb")
    with zipfile.ZipFile(saved if saved is not None else path) as source, raw, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        replaced, added = pivot_parts(source, sheet_name, tables) if tables else ({}, {})
        infos = source.infolist()
        for info in infos:
            entry = _entry(info.filename, info, file_save=saved is not None)
            if info.filename in replaced:
                target.writestr(entry, replaced[info.filename])
                continue
            if copy_compressed(raw, info, target, entry):  # the same bytes, not deflated again
                continue
            with source.open(info) as data, target.open(entry, "w") as copy:
                shutil.copyfileobj(data, copy, COPY_CHUNK)
        for name, data in added.items():
            target.writestr(_entry(name, infos[0], file_save=saved is not None), data)
    path.write_bytes(out.getvalue())


def _entry(name: str, like: zipfile.ZipInfo, *, file_save: bool = False) -> zipfile.ZipInfo:
    """A ZIP entry named `name`, dated and flagged as `like` (`file_save`: as XlsxWriter's file-based save
    would have), deflated."""
    entry = zipfile.ZipInfo(name, date_time=FILE_SAVE_DATE if file_save else like.date_time)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = FILE_SAVE_ATTRIBUTES if file_save else like.external_attr
    entry.create_system = like.create_system
    return entry
