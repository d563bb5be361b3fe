"""Every text a reader of a generated document can meet, read from the package's XML parts.

Slides, speaker notes, chart titles and labels, workbook cells (shared and inline strings), page headers and
footers: each text node, with the part it is in. Used by the level-truth scan (tests/wording) to look for
defects wherever they hide, not only where a renderer is expected to write them.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

# The elements holding text users read: DrawingML runs (slides, notes, charts' rich titles), SpreadsheetML strings
# and header/footer, chart caches' string values (series names, categories).
TEXT_TAGS = {"t", "v", "oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"}
LETTER = re.compile(r"[A-Za-zÀ-ÿ]")


def _paragraph_texts(root) -> list[str]:
    """A DrawingML part's text, one line per paragraph (runs joined: a sentence split over runs stays whole)."""
    lines = []
    for element in root.iter():
        if element.tag.endswith("}p") and element.tag.startswith("{http://schemas.openxmlformats.org/drawingml"):
            text = "".join(node.text or "" for node in element.iter() if node.tag.endswith("}t"))
            if text.strip():
                lines.append(text)
    return lines


def _node_texts(root) -> list[str]:
    return [node.text for node in root.iter()
            if node.tag.rsplit("}", 1)[-1] in TEXT_TAGS and node.text and LETTER.search(node.text)]


def document_texts(path: Path) -> list[tuple[str, str]]:
    """(part name, text) for every text of a .pptx or .xlsx, in the parts' order."""
    found: list[tuple[str, str]] = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            # Layouts and masters hold the template's prompt texts, never shown on a filled slide.
            if (not name.endswith(".xml") or "/theme/" in name or name.endswith("].xml")
                    or name.startswith(("ppt/slideLayouts/", "ppt/slideMasters/", "ppt/notesMasters/"))):
                continue
            root = ElementTree.fromstring(package.read(name))
            drawing = name.startswith(("ppt/slides/", "ppt/notesSlides/", "ppt/charts/", "xl/charts/", "xl/drawings/"))
            texts = _paragraph_texts(root) if drawing else []
            if drawing and name.startswith(("ppt/charts/", "xl/charts/")):
                texts += [t for t in _node_texts(root) if not t.replace(".", "").isdigit()]
            elif name.startswith("xl/worksheets/"):  # inline strings and headers; <v> holds numbers there
                texts = [
                    node.text for node in root.iter() if node.text and LETTER.search(node.text)
                    and node.tag.rsplit("}", 1)[-1] in TEXT_TAGS - {"v"}]
            elif not drawing:
                texts = _node_texts(root)
            found += [(name, text) for text in texts]
    return found


if __name__ == "__main__":
    import sys

    for document in sys.argv[1:]:
        for part, text in document_texts(Path(document)):
            print(f"{part}\t{text}")
