"""PDF of an Office file through LibreOffice headless (the deck's PDF), tagged and identified as PDF/UA."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from fichex.wording import console as console_text
from fichex.atomic import atomic_path
from fichex.errors import DependencyError, FichexError

LIBREOFFICE_PACKAGES = "libreoffice-impress libreoffice-calc"
TIMEOUT_SECONDS = 300
# A tagged PDF (structure tree): headings, paragraphs and figures with their alternative text reach screen
# readers; PDFUACompliance adds the PDF/UA identification (XMP pdfuaid:part) and the checks LibreOffice makes for
# it. LibreOffice takes export options as JSON after the filter name (LibreOffice 7.4 and later).
_TAGGED = ('{"UseTaggedPDF":{"type":"boolean","value":"true"},'
           '"PDFUACompliance":{"type":"boolean","value":"true"}}')
_PDF_FILTERS = {".pptx": "impress_pdf_Export", ".xlsx": "calc_pdf_Export"}


def pdf_target(source: Path) -> str:
    """The `--convert-to` argument for a tagged PDF of `source`."""
    export = _PDF_FILTERS.get(source.suffix.lower())
    return f"pdf:{export}:{_TAGGED}" if export else "pdf"


def soffice_path() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_libreoffice() -> str:
    """Path of soffice.

    Raises:
        DependencyError: LibreOffice is not installed; the message names the Debian packages.
    """
    found = soffice_path()
    if not found:
        raise DependencyError(
            f"LibreOffice introuvable pour produire les PDF ; installez-le : apt-get install -y {LIBREOFFICE_PACKAGES}"
        )
    return found


def convert_to_pdf(source: Path, target: Path, profile_dir: Path) -> None:
    """Convert an Office file to PDF with LibreOffice headless, atomically into `target`.

    Args:
        source: the .pptx (or .xlsx) to convert.
        target: the PDF to write (replaced atomically).
        profile_dir: a LibreOffice user profile folder for this process (two conversions at once must not
            share one).

    Raises:
        DependencyError: LibreOffice is not installed.
        FichexError: LibreOffice failed to convert the file.
    """
    soffice = require_libreoffice()
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".pdf-") as work:
        command = [soffice, "--headless", f"-env:UserInstallation={Path(profile_dir).resolve().as_uri()}", "--convert-to", pdf_target(source),
                   "--outdir", work, str(source)]
        completed = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        produced = Path(work) / (source.stem + ".pdf")
        if completed.returncode != 0 or not produced.exists():
            raise FichexError(console_text.pdf_failed(source.name))
        with atomic_path(target) as tmp:
            if source.suffix.lower() == ".pptx":
                add_chart_alt_text(produced, source, Path(tmp))
            else:
                shutil.copyfile(produced, tmp)


def chart_alt_texts(deck: Path) -> list[list[str]]:
    """The alternative text of each chart of each slide of a deck, slide by slide, in reading order."""
    from pptx import Presentation
    from pptx.shapes.group import GroupShape

    def charts(shapes):
        for shape in shapes:
            if isinstance(shape, GroupShape):
                yield from charts(shape.shapes)
            elif getattr(shape, "has_chart", False) and shape.has_chart:
                yield "".join(shape.element.xpath("./p:nvGraphicFramePr/p:cNvPr/@descr"))
    return [list(charts(slide.shapes)) for slide in Presentation(str(deck)).slides]


def add_chart_alt_text(produced: Path, deck: Path, target: Path) -> None:
    """Write `produced` to `target`, its untitled figures given their chart's alternative text.

    LibreOffice 7.4 tags a chart as a figure without the graphic frame's description (PDF/UA wants one): on each
    page, the figures without /Alt take, in order, the descriptions of that slide's charts, when they are as many
    (a page where they are not is left as LibreOffice wrote it).
    """
    import pikepdf

    texts = chart_alt_texts(deck)
    with pikepdf.open(produced) as document:
        pages = {page.obj.objgen: number for number, page in enumerate(document.pages)}
        untitled: dict[int, list] = {}
        root = document.Root.get("/StructTreeRoot")
        for element in _struct_elements(root.get("/K") if root is not None else None, set()):
            page = element.get("/Pg")
            if element.get("/S") == "/Figure" and "/Alt" not in element and page is not None:
                untitled.setdefault(pages.get(page.objgen, -1), []).append(element)
        for number, figures in untitled.items():
            alts = texts[number] if 0 <= number < len(texts) else []
            if len(alts) == len(figures):
                for figure, alt in zip(figures, alts):
                    figure.Alt = pikepdf.String(alt)
        document.save(target, deterministic_id=True)


def _struct_elements(node, seen: set):
    """The structure elements under `node` (a /K value), depth first, each once."""
    import pikepdf

    if isinstance(node, pikepdf.Array):
        for child in node:
            yield from _struct_elements(child, seen)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        if node.is_indirect:
            if node.objgen in seen:
                return
            seen.add(node.objgen)
        yield node
        yield from _struct_elements(node.get("/K"), seen)
