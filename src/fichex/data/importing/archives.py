"""ZIP archives checked before any member is read: a bomb, or two members of one name, is refused with one
French line, not unpacked."""

from __future__ import annotations

import os
import zipfile

from fichex.errors import InputDataError

# A DGDDI regional archive holds two data files and five annexes; a ZIP of tidy tables a few dozen files.
MAX_MEMBERS = 10_000
# A tidy table is read whole: above this it would not fit in memory (the regional files are streamed).
MAX_TABLE_BYTES = 1 << 30
# Text compresses ten to twenty times; a member far above that is built to expand, not to be read.
MAX_RATIO = 200
RATIO_FROM_BYTES = 10 << 20  # small members may compress a lot (a column of zeros) and harm no one
MAX_BYTES_ENV_VAR = "FICHEX_ZIP_MAX_BYTES"


# A tidy table read whole takes about this many times its size in memory (measured: a 24 MB CSV, 1 GB).
TABLE_MEMORY_FACTOR = 48


def _available_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def max_table_bytes() -> int:
    """The largest tidy table read whole: $FICHEX_ZIP_MAX_BYTES, else 1 GiB or what the machine's free
    memory can hold (1/TABLE_MEMORY_FACTOR of it), whichever is smaller — one file must not take a small
    machine down. The DGDDI regional files are streamed and have no such limit."""
    value = os.environ.get(MAX_BYTES_ENV_VAR, "")
    if value.isdigit():
        return int(value)
    available = _available_memory()
    return min(MAX_TABLE_BYTES, available // TABLE_MEMORY_FACTOR) if available else MAX_TABLE_BYTES


def check(archive: zipfile.ZipFile, shown: str, *, streamed: set[str] = frozenset()) -> None:
    """Refuse an archive with too many members, two members of one name, or a member too large to read or
    too compressed to be honest; `streamed` names the members read by blocks (no size limit, the ratio
    still applies).

    Raises:
        InputDataError: naming the member and the limit, with the fix.
    """
    infos = [info for info in archive.infolist() if not info.is_dir()]
    if len(infos) > MAX_MEMBERS:
        raise InputDataError(f"{shown} : {len(infos)} fichiers dans l'archive (limite {MAX_MEMBERS}) ; décompressez-la "
                             "et importez seulement les fichiers de données")
    _check_names_unique(infos, shown)
    limit = max_table_bytes()
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise InputDataError(
                f"{shown} : le fichier {info.filename} se décompresse {ratio:.0f} fois (limite {MAX_RATIO}, "
                f"{info.file_size} octets) : archive piégée (bombe ZIP) refusée ; vérifiez sa provenance")
        if info.filename not in streamed and info.file_size > limit:
            raise InputDataError(
                f"{shown} : le fichier {info.filename} fait {info.file_size} octets une fois décompressé (limite "
                f"{limit}) ; importez un fichier plus petit, ou relevez la limite avec la variable {MAX_BYTES_ENV_VAR}")


def _check_names_unique(infos: list[zipfile.ZipInfo], shown: str) -> None:
    """Two members of one name: opened by name, both would be the last one (and the other never read);
    which one the user meant cannot be told, so the archive is refused."""
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:
            raise InputDataError(
                f"{shown} : le fichier {info.filename} figure plusieurs fois dans l'archive ; rien ne dit lequel "
                "est le bon : retéléchargez l'archive, ou refaites-la avec un seul fichier de ce nom")
        seen.add(info.filename)
