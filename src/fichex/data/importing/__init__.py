"""Importing real trade data: DGDDI regional downloads or tidy tables into the canonical trade table.

`import_files` sends each import to its importer, as `dgddi_files` sorts the inputs: `regional` (the DGDDI
regional files, checked by `dgddi`, with `national` for France's reference) or `tidy` (any other table, read
by `readers`, its columns found by `tidy_plan` and `columns`). Both write through `common`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from fichex.atomic import check_writable_dir, remove_orphan_temporary_files, remove_stale_private_tmpdirs
from fichex.data.importing import dgddi_files, inputs
from fichex.data.importing.common import INTO, data_date
from fichex.data.importing.regional import import_regional
from fichex.data.importing.report import FileReport, ImportReport
from fichex.data.importing.tidy import import_tidy
from fichex.data.lock import importing
from fichex.data.trade import TRADE_FILE_NAME
from fichex.errors import InputDataError

__all__ = ["FileReport", "ImportReport", "import_files"]


def import_files(paths: Sequence[Path], into: Path, *, mapping: Path | None = None,
                 progress: Callable[[int, int | None], None] | None = None) -> ImportReport:
    """Import DGDDI downloads or tidy tables into the canonical trade table of a data folder.

    The DGDDI regional open-data files (headerless `REGIONAL_CPF4PAYSE/I.txt`, `Region_<YYYY>_Export.txt`…,
    alone, in a folder or in their ZIP with the annexes) are recognised by their shape and streamed in
    blocks (see dgddi.py and regional.py). Other inputs are tidy tables: each path (CSV/TXT, XLSX, XLS with
    xlrd, Parquet, a ZIP of them, or a folder) is read whole, its columns recognised by their aliases (or the
    mapping file), converts thousands of euros to euros, checks every row, and writes atomically into `into`:
    commerce_exterieur.parquet, rapport_import.json and lignes_rejetees.csv (every rejected row with
    its motif). Quarters or months of one year are summed into the year.

    Args:
        paths: files, ZIP archives or folders to import together.
        into: the data folder to write (created if needed); an earlier import there is replaced. It may not
            be, or lie in, a folder of `paths`; fichex's own outputs found in such a folder are never read.
        mapping: a TOML file naming the columns, unit, constant values and format (docs/donnees-reelles.md).
        progress: called with (bytes read, total bytes) while regional files are read.

    Returns:
        The import report (see ImportReport.summary_lines for the French text).

    Raises:
        InputDataError: no path, `into` inside an input folder, an unreadable file, a required column missing,
            or no valid row at all.
        OutputError: the folder cannot be written.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputDataError("aucun fichier à importer ; donnez un ou plusieurs fichiers, archives ZIP ou dossiers")
    into = Path(into)
    inputs.check_into_outside(paths, into, INTO)
    check_writable_dir(into, INTO)  # an unusable folder fails before any reading, and nothing is created
    remove_stale_private_tmpdirs()  # the staging of an import killed outright (kill -9)…
    # Imports into one folder take turns; its table is replaced once no run reads it (data/lock.py).
    with importing(into, TRADE_FILE_NAME, INTO):
        remove_orphan_temporary_files(into)  # …and its half-written files
        found = dgddi_files.find(paths)
        if not (found.sources or found.national):
            return import_tidy(paths, into, mapping=mapping)
        if found.others:
            raise InputDataError(
                f"{', '.join(p.name for p in found.others)} : mêlé(s) à des fichiers régionaux DGDDI ; importez "
                "les fichiers régionaux seuls (ou leur ZIP), puis les autres tables dans un autre dossier --into")
        return import_regional(found, into, progress=progress, source_names=[p.name for p in paths],
                               created=data_date(paths))
