"""A small PNG of a PDF's first page, the index page's thumbnail, drawn by poppler's `pdftoppm` when it is
installed (Debian: poppler-utils); without it, or when it fails, there is simply no thumbnail."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from fichex.atomic import atomic_path
from fichex.errors import OutputError

RESOLUTION_DPI = 20  # a 16:9 slide → about 267 × 150 pixels, under 10 kB
TIMEOUT_SECONDS = 60
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def thumbnail_path(pdf: Path) -> Path:
    """`…-2024.pdf` → `…-2024-apercu.png`, beside it."""
    pdf = Path(pdf)
    return pdf.with_name(f"{pdf.stem}-apercu.png")


def write_thumbnail(pdf: Path, png: Path | None = None) -> Path | None:
    """Render the first page of `pdf` to `png` (default: `thumbnail_path(pdf)`), written atomically.

    Returns:
        The PNG's path; None when pdftoppm is not installed or could not read the PDF. Any earlier PNG is
        then removed, so a thumbnail never shows an older version of the document.
    """
    png = Path(png) if png is not None else thumbnail_path(pdf)
    image = _render_first_page(Path(pdf))
    if image is None:
        png.unlink(missing_ok=True)
        return None
    try:
        with atomic_path(png) as tmp:
            tmp.write_bytes(image)
    except OutputError:
        return None  # a thumbnail is a nicety: the documents are written, the page does without
    return png


def _render_first_page(pdf: Path) -> bytes | None:
    """The PNG's bytes (pdftoppm writes to its standard output when given no file name)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None or not pdf.is_file():
        return None
    command = [pdftoppm, "-png", "-r", str(RESOLUTION_DPI), "-f", "1", "-l", "1", "-singlefile", str(pdf)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0 or not done.stdout.startswith(_PNG_SIGNATURE):
        return None
    return done.stdout


def png_size(path: Path) -> tuple[int, int] | None:
    """A PNG's (width, height) read from its header; None for anything else."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(24)
    except OSError:
        return None
    if len(head) < 24 or not head.startswith(_PNG_SIGNATURE) or head[12:16] != b"IHDR":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
