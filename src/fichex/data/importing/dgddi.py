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
from fichex.data.importing import archives
from fichex.data.trade import VALUE_CEILING_EUR
from fichex.errors import InputDataError

FIELDS = ("flux", "trimestre", "annee", "code_departement", "code_region", "code_a129", "code_cpf4",
          "code_pays", "valeur", "masse")
BLOCK_BYTES = 4 << 20
SNIFF_BYTES = 64 << 10
SNIFF_LINES = 50
# The label annexes shipped in the archives (LISEZ-MOI.txt), recognised by name.
ANNEX_NAMES = ("Departement_region.txt", "Libelle_A129.txt", "Libelle_CPF4_rev2.1.txt", "Libelle_PAYS.txt",
               "LISEZ-MOI.txt")
# A simulated file (fichex's demonstration data) travels with this marker; its data is flagged as such.
DEMONSTRATION_MARKER = "FICHEX_DEMONSTRATION.txt"
_FIRST_LINE = re.compile(rb"^[EI];[1-4];\d{4};[^;]*;[^;]*;[^;]*;[^;]*;[^;]*;[^;]*;[^;]*\r?$")
# The national file (part II of the description): Flux;Mois;Année;CPF6;A129;NC8;Pays;Valeur;Masse;USUP.
_NATIONAL_LINE = re.compile(rb"^[EI];(0[1-9]|1[0-2]);\d{4};\d{6};[A-Z]\d\d[A-Z];\d{8};[^;]*;-?\d+;[^;]*;[^;]*\r?$")
NATIONAL_FIELDS = ("flux", "mois", "annee", "code_cpf6", "code_a129", "code_nc8", "code_pays", "valeur", "masse",
                   "usup")
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
MOTIF_ABSURD = "valeur démesurée (plus de 1 000 milliards d'euros sur une ligne)"
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
    national: list[Source] = field(default_factory=list)  # NATIONAL_NC8PAYSE/I.txt: France's reference
    others: list[Path] = field(default_factory=list)  # paths for the tidy-table reader
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    demonstration: bool = False
    demonstration_text: str = ""  # the marker's first line: what the simulated data is


def looks_regional(head: bytes) -> bool:
    """True when the file starts in the official regional layout: most of its first lines have 10 fields,
    none is a header, and at least one is well formed (E/I, quarter 1–4, a four-digit year)."""
    lines = [line for line in head.removeprefix(_BOM).split(b"\n")[:SNIFF_LINES] if line.strip()]
    if len(lines) > 1 and not head.endswith(b"\n"):
        lines.pop()  # cut by the sample
    if not lines or lines[0].split(b";")[0].strip() not in (b"E", b"I"):
        return False
    ten = sum(line.count(b";") == 9 for line in lines)
    return ten * 2 > len(lines) and any(_FIRST_LINE.match(line) for line in lines)


def looks_national(head: bytes) -> bool:
    """True when the file starts in the layout of DGDDI's national file (monthly, CPF6, NC8)."""
    lines = [line for line in head.removeprefix(_BOM).split(b"\n")[:SNIFF_LINES] if line.strip()]
    if len(lines) > 1 and not head.endswith(b"\n"):
        lines.pop()
    return bool(lines) and sum(bool(_NATIONAL_LINE.match(line)) for line in lines) * 2 > len(lines)


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
                    # Every member is streamed here (sniffed, then read by blocks): the ratio is checked.
                    archives.check(archive, path.name, streamed={i.filename for i in infos})
            except (zipfile.BadZipFile, OSError):
                found.others.append(path)
                continue
            entries = [(f"{path.name}:{i.filename}", i.file_size, _member_opener(path, i.filename)) for i in infos]
            _sort_container(path, entries, found)
        elif path.is_file() and _is_regional(_file_opener(path)):
            found.sources.append(Source(path.name, path.stat().st_size, _file_opener(path)))
        elif path.is_file() and _is_national(_file_opener(path)):
            found.national.append(Source(path.name, path.stat().st_size, _file_opener(path)))
        else:
            found.others.append(path)
    return found


def _sort_container(path: Path, entries: list, found: Found) -> None:
    regional = [(name, size, opener) for name, size, opener in entries if _is_regional(opener)]
    national = [(name, size, opener) for name, size, opener in entries if _is_national(opener)]
    if not regional and not national:
        found.others.append(path)
        return
    for name, size, opener in entries:
        base = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        if any(entry[0] == name for entry in regional):
            found.sources.append(Source(name, size, opener))
        elif any(entry[0] == name for entry in national):
            found.national.append(Source(name, size, opener))
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


def _is_national(opener: Callable[[], BinaryIO]) -> bool:
    try:
        return looks_national(_head_of(opener))
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


class _Column:
    """A column of strings as Arrow dictionary-encodes it: its distinct values and each row's index."""

    def __init__(self, array) -> None:
        import pyarrow.compute as pc

        encoded = pc.dictionary_encode(array.combine_chunks() if hasattr(array, "combine_chunks") else array)
        self.values: list[str] = encoded.dictionary.to_pylist()
        self.codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)

    def lookup(self, function, dtype=object) -> tuple[np.ndarray, np.ndarray]:
        """`function` applied once per distinct value: (its result per row, ok mask per row); with a
        numeric dtype, rows whose value fails hold 0."""
        found = [function(v) for v in self.values]
        ok = np.array([r is not None for r in found], dtype=bool)
        if dtype is object:
            results = np.array(found, dtype=object) if found else np.empty(0, dtype=object)
        else:
            results = np.array([0 if r is None else r for r in found], dtype=dtype)
        return results[self.codes], ok[self.codes]

    def categorical(self, keep: np.ndarray, mapped: list | None = None) -> pd.Categorical:
        """The kept rows as a categorical of the distinct values (or of their mapped spelling)."""
        values = self.values if mapped is None else mapped
        unique = list(dict.fromkeys(v for v in values if v is not None))
        position = {v: i for i, v in enumerate(unique)}
        remap = np.array([position.get(v, -1) if v is not None else -1 for v in values], dtype=np.int64)
        return pd.Categorical.from_codes(remap[self.codes[keep]], categories=unique)


def _integers(array) -> tuple[np.ndarray, np.ndarray]:
    """Integer cells (optionally signed) as float64 and a mask of the readable ones."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ok = pc.match_substring_regex(array, r"^-?[0-9]{1,15}$")
    numbers = pc.cast(pc.if_else(ok, array, "0"), pa.int64()).to_numpy(zero_copy_only=False).astype("float64")
    ok = ok.to_numpy(zero_copy_only=False)
    numbers[~ok] = np.nan
    return numbers, ok


def check_block(data: bytes, first_line: int, file_name: str) -> Block:
    """Parse and check one block of a regional file whose first line is `first_line` (1-based)."""
    import pyarrow as pa
    import pyarrow.compute as pc
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

    columns = {name: _Column(table.column(name)) for name in FIELDS[:8]}
    known = codes()
    # The first failing check of each row, as an index into `reasons` (0: none failed).
    reasons = [""]
    motif_code = np.zeros(n, dtype=np.int8)

    def reject(bad: np.ndarray, reason: str) -> None:
        reasons.append(reason)
        motif_code[bad & (motif_code == 0)] = len(reasons) - 1

    _, empty = columns["flux"].lookup(lambda v: True if v == "" else None)
    _, blank_quarter = columns["trimestre"].lookup(lambda v: True if v == "" else None)
    reject(empty & blank_quarter, MOTIF_EMPTY)
    quarter, ok = columns["trimestre"].lookup(lambda v: int(v) if v in ("1", "2", "3", "4") else None, np.int64)
    reject(~ok, MOTIF_QUARTER)
    year, ok = columns["annee"].lookup(
        lambda v: int(v) if v.isdigit() and len(v) == 4 and YEAR_MIN <= int(v) <= YEAR_MAX else None, np.int64)
    reject(~ok, MOTIF_YEAR)
    _, ok = columns["flux"].lookup(lambda v: v if v in ("E", "I") else None)
    reject(~ok, MOTIF_FLOW)
    territory, ok = columns["code_departement"].lookup(known.departements.get)
    reject(~ok, MOTIF_DEPARTEMENT)
    dep, region = columns["code_departement"], columns["code_region"]
    width = len(region.values) + 1
    pair = dep.codes * width + region.codes
    present = np.flatnonzero(np.bincount(pair, minlength=(len(dep.values) + 1) * width))
    pair_ok = np.zeros((len(dep.values) + 1) * width, dtype=bool)
    pair_ok[present] = [known.region_of.get(dep.values[p // width]) == region.values[p % width] for p in present]
    reject(~pair_ok[pair], MOTIF_REGION)
    _, ok = columns["code_a129"].lookup(lambda v: v if v in known.a129 else None)
    reject(~ok, MOTIF_A129)
    _, ok = columns["code_cpf4"].lookup(lambda v: v if len(v) == 4 and v.isdigit() else None)
    reject(~ok, MOTIF_CPF4)
    _, ok = columns["code_pays"].lookup(lambda v: v if v in known.countries else None)
    reject(~ok, MOTIF_COUNTRY)
    euros, ok = _integers(table.column("valeur").combine_chunks())
    reject(~ok, MOTIF_VALUE)
    reject(ok & (euros < 0), MOTIF_NEGATIVE)
    reject(ok & (euros > VALUE_CEILING_EUR), MOTIF_ABSURD)  # trade.VALUE_CEILING_EUR
    masse = table.column("masse").combine_chunks()
    kilos, ok = _integers(masse)
    blank_mass = pc.equal(masse, "").to_numpy(zero_copy_only=False)
    reject(~ok & ~blank_mass, MOTIF_MASS)
    reject(ok & (kilos < 0), MOTIF_MASS)

    keep = motif_code == 0
    read = _read_totals(columns, territory, euros, keep)
    mapped = [known.departements.get(v) for v in dep.values]
    kept = pd.DataFrame({
        "annee": year[keep],
        "trimestre": quarter[keep],
        "flux": columns["flux"].categorical(keep),
        "code_departement": dep.categorical(keep, mapped),
        "code_produit": columns["code_cpf4"].categorical(keep),
        "code_a129": columns["code_a129"].categorical(keep),
        "code_pays": columns["code_pays"].categorical(keep),
        "valeur_eur": euros[keep],
        "masse_kg": kilos[keep],
        "ligne": line_numbers[keep],
    })
    rejected = _rejected_rows(table, ~keep, line_numbers, np.array(reasons, dtype=object)[motif_code[~keep]],
                              file_name)
    if malformed_lines:
        counts = [text.count(";") + 1 for _, text in malformed_lines]
        rejected = pd.concat([rejected, pd.DataFrame({
            "fichier": file_name, "ligne": [line for line, _ in malformed_lines], "motif": MOTIF_FIELDS,
            "detail": [f"{count} champ{'s' if count > 1 else ''} : {text[:200]}"
                       for count, (_, text) in zip(counts, malformed_lines)]})], ignore_index=True)
        read = pd.concat([read, pd.DataFrame({"flux": "", "annee": "", "code_departement": "",
                                              "lignes": [len(malformed_lines)], "euros": 0.0,
                                              "conservees": 0, "euros_conserves": 0.0})], ignore_index=True)
    return Block(kept=kept, rejected=rejected, read=read)


def _read_totals(columns: dict[str, _Column], territory: np.ndarray, euros: np.ndarray,
                 keep: np.ndarray) -> pd.DataFrame:
    """Lines and euros read and kept per flow × year × département (the territory code when known)."""
    dep = columns["code_departement"]
    flows, years = columns["flux"], columns["annee"]
    key = (flows.codes * (len(years.values) + 1) + years.codes) * (len(dep.values) + 1) + dep.codes
    # The key space is small (flows × years × départements): count densely, then keep the keys present.
    counts = np.bincount(key)
    unique = np.flatnonzero(counts)
    position = np.zeros(len(counts), dtype=np.int64)
    position[unique] = np.arange(len(unique))
    inverse = position[key]
    first = np.zeros(len(unique), dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(key))[::-1]
    readable = np.where(np.isnan(euros), 0.0, euros)
    rest, _ = np.divmod(unique, len(dep.values) + 1)
    flow_code, year_code = np.divmod(rest, len(years.values) + 1)
    # A code that is not one (an unknown département, a flow other than E/I, a year out of range) is
    # reported as « » : the reconciliation stays one line per real key, whatever noise a file holds.
    names = [territory[row] or "" for row in first]
    flow_names = [v if v in ("E", "I") else "" for v in flows.values]
    year_names = [v if v.isdigit() and len(v) == 4 and YEAR_MIN <= int(v) <= YEAR_MAX else "" for v in years.values]
    return pd.DataFrame({
        "flux": [flow_names[c] for c in flow_code], "annee": [year_names[c] for c in year_code],
        "code_departement": names,
        "lignes": np.bincount(inverse, minlength=len(unique)),
        "euros": np.bincount(inverse, weights=readable, minlength=len(unique)),
        "conservees": np.bincount(inverse, weights=keep, minlength=len(unique)).astype(np.int64),
        "euros_conserves": np.bincount(inverse, weights=np.where(keep, readable, 0.0), minlength=len(unique)),
    })


def _rejected_rows(table, mask: np.ndarray, line_numbers: np.ndarray, motifs: np.ndarray,
                   file_name: str) -> pd.DataFrame:
    """The rows of `mask` as read, with their motif, for lignes_rejetees.csv."""
    import pyarrow as pa

    subset = table.filter(pa.array(mask)).to_pydict() if mask.any() else {f: [] for f in FIELDS}
    return pd.DataFrame({
        "fichier": file_name, "ligne": line_numbers[mask], "annee": subset["annee"], "periode": subset["trimestre"],
        "flux": subset["flux"], "code_departement": subset["code_departement"],
        "code_produit": subset["code_cpf4"], "code_pays": subset["code_pays"], "valeur": subset["valeur"],
        "motif": motifs, "detail": "",
    })


def national_totals(source: Source, progress: Callable[[int], None] | None = None,
                    block_bytes: int = BLOCK_BYTES) -> pd.DataFrame:
    """France's totals by flow, year and month from a national file: flux, annee, mois, euros, lignes.

    Only the totals are kept (the national file is a reference for the regional sum, not a source of
    fiches). Lines that are not in the national layout are counted in `lignes_ignorees` of the result's
    attrs.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    sums: dict[tuple[str, int, int], list] = {}
    ignored = 0
    done = 0
    with source.opener() as stream:
        for data in blocks(stream, block_bytes):
            bad: list[int] = []
            try:
                table = pacsv.read_csv(
                    pa.py_buffer(data.removeprefix(_BOM)),
                    read_options=pacsv.ReadOptions(column_names=list(NATIONAL_FIELDS)),
                    parse_options=pacsv.ParseOptions(delimiter=";", quote_char=False,
                                                     invalid_row_handler=lambda row: bad.append(1) or "skip"),
                    convert_options=pacsv.ConvertOptions(column_types={f: pa.string() for f in NATIONAL_FIELDS}))
            except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
                raise InputDataError(f"{source.name} : fichier national illisible ({exc}) ; téléchargez-le à "
                                     "nouveau") from None
            ignored += len(bad)
            euros, ok = _integers(table.column("valeur").combine_chunks())
            flows = table.column("flux").to_numpy(zero_copy_only=False)
            years = table.column("annee").to_numpy(zero_copy_only=False)
            months = table.column("mois").to_numpy(zero_copy_only=False)
            valid = ok & np.isin(flows, ["E", "I"]) & pc.match_substring_regex(
                table.column("annee").combine_chunks(), r"^[0-9]{4}$").to_numpy(zero_copy_only=False)
            ignored += int((~valid).sum())
            frame = pd.DataFrame({"flux": flows[valid], "annee": years[valid], "mois": months[valid],
                                  "euros": euros[valid]})
            for (flow, year, month), group in frame.groupby(["flux", "annee", "mois"]):
                entry = sums.setdefault((flow, int(year), int(month)), [0.0, 0])
                entry[0] += float(group["euros"].sum())
                entry[1] += len(group)
            done += len(data)
            if progress:
                progress(done)
    result = pd.DataFrame([(f, y, m, v, n) for (f, y, m), (v, n) in sorted(sums.items())],
                          columns=["flux", "annee", "mois", "euros", "lignes"])
    result.attrs["lignes_ignorees"] = ignored
    return result


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
