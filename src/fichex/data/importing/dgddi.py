"""The DGDDI regional open-data files, read as published: headerless, `;`, euros, one row per quarter.

`REGIONAL_CPF4PAYSE.txt` / `REGIONAL_CPF4PAYSI.txt` (older archives: `Region_<YYYY>_Export.txt` /
`_Import.txt`), alone or in the distributed ZIP with the label annexes. Fields, in order (DGDDI,
« Description des jeux de données », part IV):

    Flux;Trimestre;Année;Code département;Code région;Code A129;Code CPF4;Code Pays;Valeur;Masse

A file is recognised by its shape, not its name. It is read in blocks of BLOCK_BYTES (memory does not
grow with the file), each block parsed by Arrow and checked column by column on its distinct values.
Every line is accounted for: kept, or rejected with its line number and reason, and the euros of each
flow × year × département reconcile (read = kept + rejected).
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from fichex.data import reference
from fichex.errors import InputDataError

FIELDS = ("flux", "trimestre", "annee", "code_departement", "code_region", "code_a129", "code_cpf4",
          "code_pays", "valeur", "masse")
BLOCK_BYTES = 16 << 20
SNIFF_BYTES = 64 << 10
# The label annexes shipped in the archives (LISEZ-MOI.txt), recognised by name.
ANNEX_NAMES = ("Departement_region.txt", "Libelle_A129.txt", "Libelle_CPF4_rev2.1.txt", "Libelle_PAYS.txt",
               "LISEZ-MOI.txt")
# A simulated file (fichex's demonstration data) travels with this marker; its data is flagged as such.
DEMONSTRATION_MARKER = "FICHEX_DEMONSTRATION.txt"
_FIRST_LINE = re.compile(rb"^[EI];[1-4];\d{4};[^;]*;[^;]*;[^;]*;[^;]*;[^;]*;[^;]*;[^;]*\r?$")
_BOM = "\ufeff".encode()
YEAR_MIN, YEAR_MAX = 1990, 2100

MOTIF_FIELDS = "nombre de champs incorrect (10 attendus)"
MOTIF_EMPTY = "ligne vide"
MOTIF_QUARTER = "trimestre invalide (1 à 4 attendu)"
MOTIF_YEAR = "année invalide"
MOTIF_FLOW = "flux inconnu (E ou I attendu)"
MOTIF_DEPARTEMENT = "code département inconnu"
MOTIF_REGION = "code région incohérent avec le département"
MOTIF_A129 = "code A129 inconnu"
MOTIF_CPF4 = "code CPF4 mal formé (4 chiffres attendus)"
MOTIF_COUNTRY = "code pays inconnu"
MOTIF_VALUE = "valeur non entière (euros entiers attendus, sans séparateur)"
MOTIF_NEGATIVE = "valeur négative"
MOTIF_MASS = "masse non numérique (kilogrammes entiers attendus)"


@dataclass(frozen=True)
class Source:
    """One regional data file: its display name and how to open it (a path or an archive member)."""

    name: str
    size: int
    opener: Callable[[], BinaryIO]


@dataclass
class Found:
    """What a set of paths holds for this reader."""

    sources: list[Source] = field(default_factory=list)
    annexes: list[tuple[str, str]] = field(default_factory=list)  # (name, sha256)
    others: list[Path] = field(default_factory=list)  # paths for the tidy-table reader
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    demonstration: bool = False
    demonstration_text: str = ""  # the marker's first line: what the simulated data is


def looks_regional(head: bytes) -> bool:
    """True when the first line has the official regional layout: 10 fields, E/I, quarter 1–4, a year."""
    first = head.split(b"\n", 1)[0].removeprefix(_BOM)
    return bool(_FIRST_LINE.match(first))


def _head_of(opener: Callable[[], BinaryIO]) -> bytes:
    with opener() as stream:
        return stream.read(SNIFF_BYTES)


def find(paths: list[Path]) -> Found:
    """Sort the inputs: regional files (plain, in a folder or in a ZIP), their annexes, and the rest.

    A ZIP or folder holding a regional file is read here whole: its annexes are recorded, any other
    member is listed as skipped, so that nothing is counted twice.
    """
    found = Found()
    for path in paths:
        if path.is_dir():
            members = sorted(p for p in path.rglob("*") if p.is_file())
            entries = [(str(p.relative_to(path.parent)), p.stat().st_size, _file_opener(p)) for p in members]
            _sort_container(path, entries, found)
        elif path.is_file() and zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as archive:
                    infos = [i for i in archive.infolist() if not i.is_dir()]
            except (zipfile.BadZipFile, OSError):
                found.others.append(path)
                continue
            entries = [(f"{path.name}:{i.filename}", i.file_size, _member_opener(path, i.filename)) for i in infos]
            _sort_container(path, entries, found)
        elif path.is_file() and _is_regional(_file_opener(path)):
            found.sources.append(Source(path.name, path.stat().st_size, _file_opener(path)))
        else:
            found.others.append(path)
    return found


def _sort_container(path: Path, entries: list, found: Found) -> None:
    regional = [(name, size, opener) for name, size, opener in entries if _is_regional(opener)]
    if not regional:
        found.others.append(path)
        return
    for name, size, opener in entries:
        base = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        if any(entry[0] == name for entry in regional):
            found.sources.append(Source(name, size, opener))
        elif base == DEMONSTRATION_MARKER:
            found.demonstration = True
            with opener() as stream:
                found.demonstration_text = stream.read(4096).decode("utf-8", "replace").strip().split("\n")[0]
        elif base in ANNEX_NAMES:
            with opener() as stream:
                found.annexes.append((name, hashlib.sha256(stream.read()).hexdigest()))
        else:
            found.skipped.append((name, "ni fichier régional DGDDI ni annexe de libellés"))


def _is_regional(opener: Callable[[], BinaryIO]) -> bool:
    try:
        return looks_regional(_head_of(opener))
    except (OSError, zipfile.BadZipFile, RuntimeError, EOFError):
        return False


def _file_opener(path: Path) -> Callable[[], BinaryIO]:
    return lambda: open(path, "rb")


def _member_opener(path: Path, member: str) -> Callable[[], BinaryIO]:
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


def blocks(stream: BinaryIO, block_bytes: int = BLOCK_BYTES) -> Iterator[bytes]:
    """The stream cut into blocks of about block_bytes that end at a line end (the last one may not)."""
    rest = b""
    while True:
        chunk = stream.read(block_bytes)
        if not chunk:
            if rest:
                yield rest
            return
        data = rest + chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            rest = data
            continue
        yield data[:cut + 1]
        rest = data[cut + 1:]


@dataclass(frozen=True)
class Codes:
    """The codes a regional file may hold, and fichex's spelling of each."""

    departements: dict[str, str]  # DGDDI département code → territory code (« 9A » → « 971 »)
    region_of: dict[str, str]  # DGDDI département code → DGDDI région code
    a129: frozenset[str]
    countries: frozenset[str]


@lru_cache(maxsize=1)
def codes() -> Codes:
    table = reference.departements()
    dgddi = table[table["dgddi"]]
    return Codes(
        departements=dict(zip(dgddi["code_dgddi"], dgddi["code_departement"])),
        region_of=dict(zip(dgddi["code_dgddi"], dgddi["code_region_dgddi"])),
        a129=frozenset(reference.activities()["code_a129"]),
        countries=frozenset(reference.countries()["code_pays"]),
    )


@dataclass
class Block:
    """One block checked: the rows kept (canonical columns plus `ligne`), the rows rejected (as read,
    with `ligne`, `motif`, `detail`), and per flow × year × département the lines and euros read."""

    kept: pd.DataFrame
    rejected: pd.DataFrame
    read: pd.DataFrame  # flux, annee, code_departement, lignes, euros


def _column_lookup(values: pd.Categorical, function) -> tuple[np.ndarray, np.ndarray]:
    """`function` applied once per distinct value: (result per row as object array, ok mask per row)."""
    results = np.array([function(v) for v in values.categories] + [None], dtype=object)
    per_row = results[np.where(values.codes < 0, len(results) - 1, values.codes)]
    ok = np.array([r is not None for r in results], dtype=bool)[np.where(values.codes < 0, len(results) - 1,
                                                                          values.codes)]
    return per_row, ok


def _integers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer cells (optionally signed) as float64 and a mask of the readable ones."""
    text = values.fillna("")
    ok = text.str.fullmatch(r"-?\d{1,15}").fillna(False).to_numpy(dtype=bool)
    numbers = np.full(len(text), np.nan)
    if ok.any():
        numbers[ok] = text[ok].astype("int64").to_numpy(dtype="float64")
    return numbers, ok


def check_block(data: bytes, first_line: int, file_name: str) -> Block:
    """Parse and check one block of a regional file whose first line is `first_line` (1-based)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    malformed: list[tuple[int, str]] = []
    lines_in_block = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    data = data.removeprefix(_BOM)

    def invalid(row) -> str:
        malformed.append((row.actual_columns, row.text))
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=list(FIELDS), use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=";", quote_char=False, ignore_empty_lines=False,
                                             invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(column_types={f: pa.string() for f in FIELDS},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise InputDataError(
            f"{file_name} : lignes {first_line} à {first_line + lines_in_block - 1} illisibles ({exc}) ; le fichier "
            "régional DGDDI est en UTF-8, champs séparés par « ; » : téléchargez-le à nouveau") from None

    n = table.num_rows
    if malformed:
        # Line numbers of the rows Arrow kept: the lines with ten fields (or empty), in order.
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        good = [i for i, line in enumerate(lines) if line.count(b";") == 9 or not line.rstrip(b"\r")]
        bad = [i for i, line in enumerate(lines) if not (line.count(b";") == 9 or not line.rstrip(b"\r"))]
        line_numbers = first_line + np.array(good[:n], dtype=np.int64)
        malformed_lines = [(first_line + i, lines[i].rstrip(b"\r").decode("utf-8", "replace")) for i in bad]
    else:
        line_numbers = first_line + np.arange(n, dtype=np.int64)
        malformed_lines = []

    frame = pd.DataFrame({name: table.column(name).dictionary_encode().to_pandas() for name in FIELDS[:8]})
    valeur = table.column("valeur").to_pandas()
    masse = table.column("masse").to_pandas()
    known = codes()
    motif = np.full(n, "", dtype=object)

    def reject(bad: np.ndarray, reason: str) -> None:
        motif[bad & (motif == "")] = reason

    reject(((frame["flux"].astype(str) == "") & (frame["trimestre"].astype(str) == "")).to_numpy(), MOTIF_EMPTY)
    quarter, ok = _column_lookup(frame["trimestre"].array, lambda v: int(v) if v in ("1", "2", "3", "4") else None)
    reject(~ok, MOTIF_QUARTER)
    year, ok = _column_lookup(frame["annee"].array,
                              lambda v: int(v) if v.isdigit() and len(v) == 4 and YEAR_MIN <= int(v) <= YEAR_MAX
                              else None)
    reject(~ok, MOTIF_YEAR)
    _, ok = _column_lookup(frame["flux"].array, lambda v: v if v in ("E", "I") else None)
    reject(~ok, MOTIF_FLOW)
    territory, ok = _column_lookup(frame["code_departement"].array, known.departements.get)
    reject(~ok, MOTIF_DEPARTEMENT)
    pairs = frame["code_departement"].astype(str) + ";" + frame["code_region"].astype(str)
    _, ok = _column_lookup(pairs.astype("category").array,
                           lambda v: v if known.region_of.get(v.split(";")[0]) == v.split(";")[1] else None)
    reject(~ok, MOTIF_REGION)
    _, ok = _column_lookup(frame["code_a129"].array, lambda v: v if v in known.a129 else None)
    reject(~ok, MOTIF_A129)
    _, ok = _column_lookup(frame["code_cpf4"].array, lambda v: v if len(v) == 4 and v.isdigit() else None)
    reject(~ok, MOTIF_CPF4)
    _, ok = _column_lookup(frame["code_pays"].array, lambda v: v if v in known.countries else None)
    reject(~ok, MOTIF_COUNTRY)
    euros, ok = _integers(valeur)
    reject(~ok, MOTIF_VALUE)
    reject(ok & (euros < 0), MOTIF_NEGATIVE)
    kilos, ok = _integers(masse)
    blank_mass = (masse.fillna("") == "").to_numpy()
    reject(~ok & ~blank_mass, MOTIF_MASS)
    reject(ok & (kilos < 0), MOTIF_MASS)

    keep = motif == ""
    # Flow × year × département of every line as read: the territory code when known, else the cell.
    dep_key = np.where(territory != None, territory, frame["code_departement"].astype(str).to_numpy())  # noqa: E711
    read = pd.DataFrame({"flux": frame["flux"].astype(str).to_numpy(), "annee": frame["annee"].astype(str).to_numpy(),
                         "code_departement": dep_key, "lignes": 1,
                         "euros": np.where(np.isnan(euros), 0.0, euros), "conservees": keep.astype(np.int64),
                         "euros_conserves": np.where(keep, euros, 0.0)})
    kept = pd.DataFrame({
        "annee": year[keep].astype(np.int64),
        "trimestre": quarter[keep].astype(np.int64),
        "flux": frame["flux"][keep].astype(str).to_numpy(),
        "code_departement": territory[keep].astype(str),
        "code_produit": frame["code_cpf4"][keep].astype(str).to_numpy(),
        "code_a129": frame["code_a129"][keep].astype(str).to_numpy(),
        "code_pays": frame["code_pays"][keep].astype(str).to_numpy(),
        "valeur_eur": euros[keep],
        "masse_kg": kilos[keep],
        "ligne": line_numbers[keep],
    })
    for column in ("flux", "code_departement", "code_produit", "code_a129", "code_pays"):
        kept[column] = kept[column].astype("category")
    rejected = pd.DataFrame({
        "fichier": file_name, "ligne": line_numbers[~keep],
        "annee": frame["annee"][~keep].astype(str).to_numpy(),
        "periode": frame["trimestre"][~keep].astype(str).to_numpy(),
        "flux": frame["flux"][~keep].astype(str).to_numpy(),
        "code_departement": frame["code_departement"][~keep].astype(str).to_numpy(),
        "code_produit": frame["code_cpf4"][~keep].astype(str).to_numpy(),
        "code_pays": frame["code_pays"][~keep].astype(str).to_numpy(),
        "valeur": valeur[~keep].fillna("").to_numpy(),
        "motif": motif[~keep], "detail": "",
    })
    if malformed_lines:
        counts = [text.count(";") + 1 for _, text in malformed_lines]
        rejected = pd.concat([rejected, pd.DataFrame({
            "fichier": file_name, "ligne": [line for line, _ in malformed_lines], "motif": MOTIF_FIELDS,
            "detail": [f"{count} champ{'s' if count > 1 else ''} : {text[:200]}"
                       for count, (_, text) in zip(counts, malformed_lines)]})], ignore_index=True)
        read = pd.concat([read, pd.DataFrame({"flux": "", "annee": "", "code_departement": "",
                                              "lignes": [1] * len(malformed_lines), "euros": 0.0,
                                              "conservees": 0, "euros_conserves": 0.0})], ignore_index=True)
    read = read.groupby(["flux", "annee", "code_departement"], sort=False, observed=True)[
        ["lignes", "euros", "conservees", "euros_conserves"]].sum().reset_index()
    return Block(kept=kept, rejected=rejected, read=read)


def read_source(source: Source, progress: Callable[[int], None] | None = None,
                block_bytes: int = BLOCK_BYTES) -> Iterator[Block]:
    """Check a regional file block by block; `progress` receives the bytes read so far."""
    line = 1
    done = 0
    with source.opener() as stream:
        for data in blocks(stream, block_bytes):
            block = check_block(data, line, source.name)
            line += data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
            done += len(data)
            if progress:
                progress(done)
            yield block
