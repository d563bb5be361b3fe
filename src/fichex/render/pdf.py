"""PDF of an Office file through LibreOffice headless (the deck's PDF)."""

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
# readers. LibreOffice takes export options as JSON after the filter name (LibreOffice 7.4 and later).
_TAGGED = '{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
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
            shutil.copyfile(produced, tmp)
