"""The deck's package: the template's own slides dropped before building, and the ZIP written reproducibly
(every entry dated from the data) with the parts python-pptx leaves short of ECMA-376 completed."""

from __future__ import annotations

import io
import re
import zipfile

from collections.abc import Sequence

from pptx.presentation import Presentation as PresentationObject

from fichex.render.drawingml import expand_drawings
from fichex.render.pptx_internals import package_members


def remove_template_slides(prs: PresentationObject) -> None:
    """Drop the slides a branded template comes with: the deck keeps its layouts only."""
    id_list = prs.slides.element  # p:sldIdLst
    for slide_id in list(id_list):
        rid = slide_id.rId
        id_list.remove(slide_id)
        prs.part.drop_rel(rid)


def reproducible(prs: PresentationObject, when, drawings: Sequence[bytes] = ()) -> bytes:
    """The deck's package with every entry dated `when` (the data's date) instead of the clock's, in the
    order python-pptx writes them: the same inputs give the same bytes, as the workbook does. Parts that
    python-pptx leaves short of the standard are completed on the way (see strict_part). Each part is
    compressed once, here (python-pptx's own save would compress them all, to be read back). `drawings`:
    the drawings a deck built within `drawingml.drawings_written_at_save` holds as markers, written in."""
    members = [(name, expand_drawings(data, drawings)) for name, data in package_members(prs)]
    parts = dict(members)
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = _MEMBER_MODE
            target.writestr(entry, strict_part(name, data, parts, len(prs.slides)))
    return out.getvalue()


# What ZipFile.writestr gives a member named by a string (python-pptx's save): a regular file, rw-------.
_MEMBER_MODE = 0o600 << 16


_AXIS_ID = re.compile(rb'(<c:(?:axId|crossAx) val=")(-\d+)(")')
_NOTES_MASTER_REL = re.compile(rb'<Relationship [^>]*Id="(rId\d+)"[^>]*Target="notesMasters/[^"]+"|'
                               rb'<Relationship [^>]*Target="notesMasters/[^"]+"[^>]*Id="(rId\d+)"')


def strict_part(name: str, data: bytes, parts: dict[str, bytes], n_slides: int) -> bytes:
    """A part as ECMA-376 wants it where python-pptx falls short:
    - chart axis ids are unsigned ints (python-pptx writes negative ones);
    - a presentation with a notes master lists it (`p:notesMasterIdLst`, python-pptx issue #1051: Keynote
      refuses the deck otherwise);
    - `docProps/app.xml` counts the slides (python-pptx leaves the template's 0)."""
    if name.startswith("ppt/charts/") and name.endswith(".xml"):
        return _AXIS_ID.sub(lambda m: m[1] + str(int(m[2]) & 0x7FFFFFFF).encode() + m[3], data)
    if name == "ppt/presentation.xml" and b"notesMasterIdLst" not in data:
        match = _NOTES_MASTER_REL.search(parts.get("ppt/_rels/presentation.xml.rels", b""))
        if match:
            rid = match[1] or match[2]
            listed = b'<p:notesMasterIdLst><p:notesMasterId r:id="' + rid + b'"/></p:notesMasterIdLst>'
            return data.replace(b"</p:sldMasterIdLst>", b"</p:sldMasterIdLst>" + listed, 1)
    if name == "docProps/app.xml":
        return re.sub(rb"<Slides>\d+</Slides>", b"<Slides>" + str(n_slides).encode() + b"</Slides>", data)
    return data
