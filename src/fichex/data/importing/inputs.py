"""The files of an input folder: fichex's own outputs there (an earlier import, the aggregates' cache, a
temporary file) are never read as data, whatever the folder holds."""

from __future__ import annotations

from pathlib import Path

from fichex.wording import console as console_text
from fichex.data.importing.report import REJECTED_FILE_NAME, REPORT_FILE_NAME
from fichex.data.store import CACHE_DIR_NAME
from fichex.data.trade import TRADE_FILE_NAME
from fichex.errors import InputDataError

# What an import writes in --into: read again, the table would be summed with its own source and the
# rejected lines taken for data in thousands of euros.
OUTPUT_NAMES = frozenset({TRADE_FILE_NAME, REPORT_FILE_NAME, REJECTED_FILE_NAME})


def is_own_output(relative: Path) -> bool:
    """Whether a file of an input folder (its path relative to the folder) is one fichex wrote: the
    three outputs of an import, anything in a `.fichex-cache` folder, or a temporary `.*.tmp` file."""
    name = relative.name
    return (name in OUTPUT_NAMES or CACHE_DIR_NAME in relative.parts[:-1]
            or (name.startswith(".") and name.endswith(".tmp")))


def folder_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The files of `folder` (recursively, sorted) to read, and fichex's own outputs there, never read."""
    files, outputs = [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        (outputs if is_own_output(path.relative_to(folder)) else files).append(path)
    return files, outputs


def skipped_outputs(folder: Path, outputs: list[Path]) -> list[tuple[str, str]]:
    """The (name, reason) of each output of fichex found in `folder`, for the import report."""
    return [(f"{folder.name}/{path.relative_to(folder).as_posix()}", console_text.IMPORT_OWN_OUTPUT_SKIPPED)
            for path in outputs]


def check_into_outside(paths: list[Path], into: Path, option: str) -> None:
    """Refuse a data folder `into` equal to, or inside, a folder being imported: the next import of that
    folder would find the outputs there (they are skipped, but the user surely meant another folder).

    Raises:
        InputDataError: naming both folders and the fix.
    """
    target = into.resolve()
    for path in paths:
        if not path.is_dir():
            continue
        folder = path.resolve()
        if target == folder or folder in target.parents:
            raise InputDataError(
                f"{option} {into} : ce dossier est {'le' if target == folder else 'dans le'} dossier importé "
                f"{path} ; l'import y écrirait ses sorties parmi ses propres entrées : choisissez un dossier "
                f"{option} hors de {path}")
