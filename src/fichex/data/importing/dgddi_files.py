"""Which inputs are DGDDI files: regional and national data files (plain, in a folder or in a ZIP), their
label annexes, the demonstration marker, and the rest (tidy tables). Recognised by shape, not by name."""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from fichex.data.importing import archives, dgddi, dgddi_lines, inputs, national
from fichex.errors import InputDataError

SNIFF_BYTES = 64 << 10  # the head of a file read to recognise it
# The label annexes shipped in the archives (LISEZ-MOI.txt), recognised by name.
ANNEX_NAMES = ("Departement_region.txt", "Libelle_A129.txt", "Libelle_CPF4_rev2.1.txt", "Libelle_PAYS.txt",
               "LISEZ-MOI.txt")
# The names DGDDI gives its regional data files (current and older archives): such a file that holds no
# regional line is a flow missing, not a file to skip.
REGIONAL_NAME = re.compile(r"^(REGIONAL_CPF4PAYS[EI]|Region_\d{4}_(Export|Import))\.txt$", re.IGNORECASE)
# A simulated file (fichex's demonstration data) travels with this marker; its data is flagged as such.
DEMONSTRATION_MARKER = "FICHEX_DEMONSTRATION.txt"


@dataclass
class Found:
    """What a set of paths holds for this reader."""

    sources: list[dgddi.Source] = field(default_factory=list)
    annexes: list[tuple[str, str]] = field(default_factory=list)  # (name, sha256)
    national: list[dgddi.Source] = field(default_factory=list)  # NATIONAL_NC8PAYSE/I.txt: France's reference
    others: list[Path] = field(default_factory=list)  # paths for the tidy-table reader
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    demonstration: bool = False
    demonstration_text: str = ""  # the marker's first line: what the simulated data is
    inputs: list[int] = field(default_factory=list)  # per source: the index of the path that held it


def _head_of(opener: Callable[[], BinaryIO]) -> bytes:
    with opener() as stream:
        return stream.read(SNIFF_BYTES)


def find(paths: list[Path]) -> Found:
    """Sort the inputs: regional files (plain, in a folder or in a ZIP), their annexes, and the rest.

    A ZIP or folder holding a regional file is read here whole: its annexes are recorded, any other
    member is listed as skipped, so that nothing is counted twice.
    """
    found = Found()
    for number, path in enumerate(paths):
        if path.is_dir():
            members, outputs = inputs.folder_files(path)
            entries = [(str(p.relative_to(path.parent)), p.stat().st_size, _file_opener(p)) for p in members]
            if _sort_container(path, entries, found):
                found.skipped.extend(inputs.skipped_outputs(path, outputs))
        elif path.is_file() and zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as archive:
                    infos = [i for i in archive.infolist() if not i.is_dir()]
                    # Every member is streamed here (sniffed, then read by blocks): the ratio is checked.
                    archives.check(archive, path.name, streamed={i.filename for i in infos})
            except (zipfile.BadZipFile, OSError):
                found.others.append(path)
                continue
            entries = [(f"{path.name}:{i.filename}", i.file_size, _member_opener(path, i)) for i in infos]
            _sort_container(path, entries, found)
        elif path.is_file() and _is_regional(_file_opener(path)):
            found.sources.append(dgddi.Source(path.name, path.stat().st_size, _file_opener(path)))
        elif path.is_file() and _is_national(_file_opener(path)):
            found.national.append(dgddi.Source(path.name, path.stat().st_size, _file_opener(path)))
        elif path.is_file() and REGIONAL_NAME.match(path.name) and not dgddi_lines.has_data_line(
                _head_of(_file_opener(path))):
            raise _broken_regional_file(path.name, path.name, path.stat().st_size, b"")
        else:
            found.others.append(path)
        found.inputs += [number] * (len(found.sources) - len(found.inputs))  # (a `continue` above adds none)
    return found


def _sort_container(path: Path, entries: list, found: Found) -> bool:
    """Sort the entries of a folder or ZIP holding DGDDI files; False (and the path left to the tidy
    reader) when it holds none."""
    regional = [(name, size, opener) for name, size, opener in entries if _is_regional(opener)]
    national = [(name, size, opener) for name, size, opener in entries if _is_national(opener)]
    if not regional and not national:
        found.others.append(path)
        return False
    for name, size, opener in entries:
        base = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        if any(entry[0] == name for entry in regional):
            found.sources.append(dgddi.Source(name, size, opener))
        elif any(entry[0] == name for entry in national):
            found.national.append(dgddi.Source(name, size, opener))
        elif base == DEMONSTRATION_MARKER:
            found.demonstration = True
            with opener() as stream:
                found.demonstration_text = stream.read(4096).decode("utf-8", "replace").strip().split("\n")[0]
        elif base in ANNEX_NAMES:
            with opener() as stream:
                found.annexes.append((name, hashlib.sha256(stream.read()).hexdigest()))
        elif REGIONAL_NAME.match(base):
            raise _broken_regional_file(name, base, size, _head_of(opener))
        else:
            found.skipped.append((name, "ni fichier régional DGDDI ni annexe de libellés"))
    return True


def _flow_of_name(base: str) -> str:
    """« exportations » or « importations », as the name of a regional file says."""
    return "exportations" if re.search(r"(PAYSE|_Export)\.txt$", base, re.IGNORECASE) else "importations"


def _broken_regional_file(name: str, base: str, size: int, head: bytes) -> InputDataError:
    """The error of a file named as a DGDDI regional data file that holds no regional line: imported
    without it, every fiche would lack a flow (its ranks « 1 / 0 ») with nothing to say so."""
    flow = _flow_of_name(base)
    if not dgddi_lines.has_data_line(head):
        return InputDataError(
            f"{name} : fichier régional DGDDI vide ({size} octet{'s' if size > 1 else ''}) : les {flow} manqueraient à toutes les fiches ; "
            f"retéléchargez l'archive DGDDI, ou, pour importer sciemment sans les {flow}, ne donnez que l'autre "
            "fichier régional")
    return InputDataError(
        f"{name} : nommé comme un fichier régional DGDDI ({flow}) mais sans sa forme (dix champs séparés par "
        f"« ; ») : les {flow} manqueraient à toutes les fiches ; retéléchargez l'archive DGDDI")


def _is_regional(opener: Callable[[], BinaryIO]) -> bool:
    try:
        return dgddi.looks_regional(_head_of(opener))
    except (OSError, zipfile.BadZipFile, RuntimeError, EOFError):
        return False


def _is_national(opener: Callable[[], BinaryIO]) -> bool:
    try:
        return national.looks_national(_head_of(opener))
    except (OSError, zipfile.BadZipFile, RuntimeError, EOFError):
        return False


def _file_opener(path: Path) -> Callable[[], BinaryIO]:
    return lambda: open(path, "rb")


def _member_opener(path: Path, member: zipfile.ZipInfo) -> Callable[[], BinaryIO]:
    """Opens the member by its entry (its place in the archive), never by its name: a name met twice
    would open the last member of that name for both."""
    def opener() -> BinaryIO:
        archive = zipfile.ZipFile(path)
        return _ClosingMember(archive.open(member), archive)

    return opener


class _ClosingMember:
    """A ZIP member stream that closes its archive with it."""

    def __init__(self, stream, archive) -> None:
        self._stream, self._archive = stream, archive

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._stream.close()
        self._archive.close()
