"""The DGDDI regional open-data files, read as published: headerless, `;`, euros, one row per quarter.

`REGIONAL_CPF4PAYSE.txt` / `REGIONAL_CPF4PAYSI.txt` (older archives: `Region_<YYYY>_Export.txt` /
`_Import.txt`), alone or in the distributed ZIP with the label annexes. Fields, in order (DGDDI,
« Description des jeux de données », part IV):

    Flux;Trimestre;Année;Code département;Code région;Code A129;Code CPF4;Code Pays;Valeur;Masse

A file is recognised by its shape, not its name (`looks_regional`; dgddi_files.py sorts the inputs, national.py
reads the national file). It is read in blocks of BLOCK_BYTES (memory does not
grow with the file), each block parsed by Arrow and checked column by column on its distinct values.
Every line is accounted for: kept, or rejected with its line number and reason, and the euros of each
flow × year × département reconcile (read = kept + rejected).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

import numpy as np
import pandas as pd

from fichex.data import reference
from fichex.data.importing import dgddi_keys, dgddi_lines
from fichex.data.importing.common import (
    MOTIF_A129,
    MOTIF_COUNTRY,
    MOTIF_CPF4,
    MOTIF_DEPARTEMENT,
    MOTIF_EMPTY,
    MOTIF_FIELD_COUNT,
    MOTIF_FLOW,
    MOTIF_MASS,
    MOTIF_QUARTER,
    MOTIF_REGION,
    MOTIF_UNREADABLE,
    MOTIF_VALUE_NEGATIVE,
    MOTIF_VALUE_NOT_INTEGER,
    MOTIF_VALUE_TOO_LARGE,
    MOTIF_YEAR,
)
from fichex.data.importing.dgddi_lines import BOM
from fichex.data.trade import VALUE_CEILING_EUR
from fichex.errors import InputDataError

FIELDS = ("flux", "trimestre", "annee", "code_departement", "code_region", "code_a129", "code_cpf4",
          "code_pays", "valeur", "masse")
BLOCK_BYTES = 4 << 20
SNIFF_LINES = 50
_FIRST_LINE = re.compile(rb"^[EI];[1-4];\d{4};[^;]*;[^;]*;[^;]*;[^;]*;[^;]*;[^;]*;[^;]*\r?$")
YEAR_MIN, YEAR_MAX = 1990, 2100


@dataclass(frozen=True)
class Source:
    """One regional data file: its display name and how to open it (a path or an archive member)."""

    name: str
    size: int
    opener: Callable[[], BinaryIO]


def looks_regional(head: bytes) -> bool:
    """True when the file starts in the official regional layout: most of its first lines have 10 fields,
    none is a header but the official one on the first line, and at least one is well formed (E/I,
    quarter 1–4, a four-digit year)."""
    lines = [line for line in head.removeprefix(BOM).split(b"\n")[:SNIFF_LINES] if line.strip()]
    if len(lines) > 1 and not head.endswith(b"\n"):
        lines.pop()  # cut by the sample
    if lines and dgddi_lines.is_official_header(lines[0]):
        lines.pop(0)
    if not lines or lines[0].split(b";")[0].strip() not in (b"E", b"I"):
        return False
    ten = sum(line.count(b";") == 9 for line in lines)
    return ten * 2 > len(lines) and any(_FIRST_LINE.match(line) for line in lines)


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
    """The codes of the reference tables, read once."""
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
    """One block checked: the rows kept (canonical columns plus `ligne` and their key `cle`, see
    dgddi_keys), the rows rejected (as read, with `ligne`, `motif`, `detail`), and per flow × year ×
    département the lines and euros read; `exotic` when a kept CPF4 code is of non-ASCII digits."""

    kept: pd.DataFrame
    rejected: pd.DataFrame
    read: pd.DataFrame  # flux, annee, code_departement, lignes, euros
    exotic: bool = False


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


def integers(array) -> tuple[np.ndarray, np.ndarray]:
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
    table, line_numbers, malformed_lines = _parse_block(data, first_line, file_name)
    columns = {name: _Column(table.column(name)) for name in FIELDS[:8]}
    known = codes()
    motifs = _Motifs(table.num_rows)
    # One check per field, in the order of the fields: a row is rejected for its first failing check.
    _check_empty(columns, motifs)
    quarter = _check_quarter(columns, motifs)
    year = _check_year(columns, motifs)
    _check_flow(columns, motifs)
    territory = _check_departement(columns, known, motifs)
    _check_region(columns, known, motifs)
    _check_a129(columns, known, motifs)
    _check_cpf4(columns, motifs)
    _check_country(columns, known, motifs)
    euros = _check_value(table, motifs)
    kilos = _check_mass(table, motifs)

    keep = motifs.code == 0
    read = _read_totals(columns, territory, euros, keep)
    dep = columns["code_departement"]
    kept = pd.DataFrame({
        "annee": year[keep],
        "trimestre": quarter[keep],
        "flux": columns["flux"].categorical(keep),
        "code_departement": dep.categorical(keep, [known.departements.get(v) for v in dep.values]),
        "code_produit": columns["code_cpf4"].categorical(keep),
        "code_a129": columns["code_a129"].categorical(keep),
        "code_pays": columns["code_pays"].categorical(keep),
        "valeur_eur": euros[keep],
        "masse_kg": kilos[keep],
        "ligne": line_numbers[keep],
    })
    kept["cle"], exotic = _order_key(columns, known, year, quarter, keep)
    rejected = _rejected_rows(table, ~keep, line_numbers, motifs.of(~keep), file_name)
    if malformed_lines:
        rejected, read = _add_malformed(rejected, read, malformed_lines, file_name)
    return Block(kept=kept, rejected=rejected, read=read, exotic=exotic)


def _order_key(columns: dict[str, _Column], known: Codes, year: np.ndarray, quarter: np.ndarray,
               keep: np.ndarray) -> tuple[np.ndarray, bool]:
    """The `cle` of the kept rows (dgddi_keys), each part looked up once per distinct value; and whether
    a kept CPF4 code is of non-ASCII digits."""
    space = dgddi_keys.key_space(YEAR_MIN, YEAR_MAX)
    flow, dep = columns["flux"], columns["code_departement"]
    flows = {code: rank for rank, code in enumerate(dgddi_keys.FLOWS)}
    territories = [known.departements.get(v) for v in dep.values]
    cpf4, pays = columns["code_cpf4"], columns["code_pays"]
    numbers, _ = dgddi_keys.cpf4_numbers(cpf4.values)
    product = numbers[cpf4.codes[keep]]
    key = dgddi_keys.order_key(
        space, year[keep], dgddi_keys.ranks(flow.values, flows)[flow.codes[keep]],
        dgddi_keys.ranks(territories, space.territories)[dep.codes[keep]], quarter[keep], product,
        dgddi_keys.ranks(pays.values, space.countries)[pays.codes[keep]])
    return key, bool((product == dgddi_keys.EXOTIC_CPF4).any())


def _parse_block(data: bytes, first_line: int, file_name: str):
    """The block as an Arrow table of strings, the line number of each of its rows, and the lines that
    cannot be rows (line number, motif, detail): a line without ten fields, or one Arrow cannot read (a
    byte that is not UTF-8, a line of thousands of bytes), rejected alone with its number."""
    import pyarrow as pa

    data = data.removeprefix(BOM)
    unreadable: dict[int, str] = {}
    try:
        table, malformed = _arrow_table(data)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        data, unreadable = dgddi_lines.without_unreadable_lines(data)
        if not unreadable:
            raise _unreadable_block(file_name, first_line, data, exc) from None
        try:
            table, malformed = _arrow_table(data)
        except (pa.ArrowInvalid, UnicodeDecodeError) as again:
            raise _unreadable_block(file_name, first_line, data, again) from None

    n = table.num_rows
    if not malformed:
        return table, first_line + np.arange(n, dtype=np.int64), []
    # Line numbers of the rows Arrow kept: the lines with ten fields (or empty), in order.
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    good = [i for i, line in enumerate(lines) if line.count(b";") == 9 or not line.rstrip(b"\r")]
    bad = [i for i, line in enumerate(lines) if not (line.count(b";") == 9 or not line.rstrip(b"\r"))]
    rejected = []
    for i in bad:
        if i in unreadable:
            rejected.append((first_line + i, MOTIF_UNREADABLE, unreadable[i]))
            continue
        text = lines[i].rstrip(b"\r").decode("utf-8", "replace")
        count = text.count(";") + 1
        detail = f"{count} champ{'s' if count > 1 else ''} : {text[:200]}"
        rejected.append((first_line + i, MOTIF_FIELD_COUNT, detail))
    return table, first_line + np.array(good[:n], dtype=np.int64), rejected


def _unreadable_block(file_name: str, first_line: int, data: bytes, exc: Exception) -> InputDataError:
    """The error of a block Arrow cannot read even without its unreadable lines."""
    last = first_line + data.count(b"\n") - (1 if data.endswith(b"\n") else 0)
    return InputDataError(
        f"{file_name} : lignes {first_line} à {last} illisibles ({exc}) ; le fichier régional DGDDI est en UTF-8, "
        "champs séparés par « ; » : téléchargez-le à nouveau")


def _arrow_table(data: bytes):
    """The lines of `data` with ten fields as an Arrow table of strings, and how many lines were not."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    malformed: list[int] = []

    def invalid(row) -> str:
        malformed.append(row.actual_columns)
        return "skip"

    table = pacsv.read_csv(
        pa.py_buffer(data),
        read_options=pacsv.ReadOptions(column_names=list(FIELDS), use_threads=True),
        parse_options=pacsv.ParseOptions(delimiter=";", quote_char=False, ignore_empty_lines=False,
                                         invalid_row_handler=invalid),
        convert_options=pacsv.ConvertOptions(column_types={f: pa.string() for f in FIELDS},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False))
    return table, len(malformed)


class _Motifs:
    """The first failing check of each row of a block, as an index into `reasons` (0: none failed)."""

    def __init__(self, rows: int) -> None:
        self.reasons = [""]
        self.code = np.zeros(rows, dtype=np.int8)

    def reject(self, bad: np.ndarray, reason: str) -> None:
        """Reject for `reason` the rows of `bad` that passed the checks before."""
        self.reasons.append(reason)
        self.code[bad & (self.code == 0)] = len(self.reasons) - 1

    def of(self, rows: np.ndarray) -> np.ndarray:
        """The motif of each row of the mask `rows`."""
        return np.array(self.reasons, dtype=object)[self.code[rows]]


def _check_empty(columns: dict[str, _Column], motifs: _Motifs) -> None:
    _, empty = columns["flux"].lookup(lambda v: True if v == "" else None)
    _, blank_quarter = columns["trimestre"].lookup(lambda v: True if v == "" else None)
    motifs.reject(empty & blank_quarter, MOTIF_EMPTY)


def _check_quarter(columns: dict[str, _Column], motifs: _Motifs) -> np.ndarray:
    quarter, ok = columns["trimestre"].lookup(lambda v: int(v) if v in ("1", "2", "3", "4") else None, np.int64)
    motifs.reject(~ok, MOTIF_QUARTER)
    return quarter


def _check_year(columns: dict[str, _Column], motifs: _Motifs) -> np.ndarray:
    year, ok = columns["annee"].lookup(
        lambda v: int(v) if v.isdigit() and len(v) == 4 and YEAR_MIN <= int(v) <= YEAR_MAX else None, np.int64)
    motifs.reject(~ok, MOTIF_YEAR)
    return year


def _check_flow(columns: dict[str, _Column], motifs: _Motifs) -> None:
    _, ok = columns["flux"].lookup(lambda v: v if v in ("E", "I") else None)
    motifs.reject(~ok, MOTIF_FLOW)


def _check_departement(columns: dict[str, _Column], known: Codes, motifs: _Motifs) -> np.ndarray:
    """The territory code of each row (« 9A » → « 971 »), None when the département is unknown."""
    territory, ok = columns["code_departement"].lookup(known.departements.get)
    motifs.reject(~ok, MOTIF_DEPARTEMENT)
    return territory


def _check_region(columns: dict[str, _Column], known: Codes, motifs: _Motifs) -> None:
    """The région must be the département's, checked once per (département, région) pair present."""
    dep, region = columns["code_departement"], columns["code_region"]
    width = len(region.values) + 1
    pair = dep.codes * width + region.codes
    present = np.flatnonzero(np.bincount(pair, minlength=(len(dep.values) + 1) * width))
    pair_ok = np.zeros((len(dep.values) + 1) * width, dtype=bool)
    pair_ok[present] = [known.region_of.get(dep.values[p // width]) == region.values[p % width] for p in present]
    motifs.reject(~pair_ok[pair], MOTIF_REGION)


def _check_a129(columns: dict[str, _Column], known: Codes, motifs: _Motifs) -> None:
    _, ok = columns["code_a129"].lookup(lambda v: v if v in known.a129 else None)
    motifs.reject(~ok, MOTIF_A129)


def _check_cpf4(columns: dict[str, _Column], motifs: _Motifs) -> None:
    _, ok = columns["code_cpf4"].lookup(lambda v: v if len(v) == 4 and v.isdigit() else None)
    motifs.reject(~ok, MOTIF_CPF4)


def _check_country(columns: dict[str, _Column], known: Codes, motifs: _Motifs) -> None:
    _, ok = columns["code_pays"].lookup(lambda v: v if v in known.countries else None)
    motifs.reject(~ok, MOTIF_COUNTRY)


def _check_value(table, motifs: _Motifs) -> np.ndarray:
    """The euros of each row (NaN when unreadable): integers, not negative, under trade.VALUE_CEILING_EUR."""
    euros, ok = integers(table.column("valeur").combine_chunks())
    motifs.reject(~ok, MOTIF_VALUE_NOT_INTEGER)
    motifs.reject(ok & (euros < 0), MOTIF_VALUE_NEGATIVE)
    motifs.reject(ok & (euros > VALUE_CEILING_EUR), MOTIF_VALUE_TOO_LARGE)
    return euros


def _check_mass(table, motifs: _Motifs) -> np.ndarray:
    """The kilograms of each row (NaN when blank): blank, or an integer not negative."""
    import pyarrow.compute as pc

    masse = table.column("masse").combine_chunks()
    kilos, ok = integers(masse)
    blank_mass = pc.equal(masse, "").to_numpy(zero_copy_only=False)
    motifs.reject(~ok & ~blank_mass, MOTIF_MASS)
    motifs.reject(ok & (kilos < 0), MOTIF_MASS)
    return kilos


def _add_malformed(rejected: pd.DataFrame, read: pd.DataFrame, malformed_lines: list[tuple[int, str, str]],
                   file_name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The lines that are not rows (line, motif, detail) added to the rejected rows, and counted as read
    (with no key)."""
    rejected = pd.concat([rejected, pd.DataFrame({
        "fichier": file_name, "ligne": [line for line, _, _ in malformed_lines],
        "motif": [motif for _, motif, _ in malformed_lines],
        "detail": [detail for _, _, detail in malformed_lines]})], ignore_index=True)
    read = pd.concat([read, pd.DataFrame({"flux": "", "annee": "", "code_departement": "",
                                          "lignes": [len(malformed_lines)], "euros": 0.0,
                                          "conservees": 0, "euros_conserves": 0.0})], ignore_index=True)
    return rejected, read


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


def read_source(source: Source, progress: Callable[[int], None] | None = None,
                block_bytes: int = BLOCK_BYTES) -> Iterator[Block]:
    """Check a regional file block by block; `progress` receives the bytes read so far.

    Raises:
        InputDataError: the file does not end with a line end (see dgddi_lines.cut_file_error).
    """
    for data, line in numbered_blocks(source, progress, block_bytes):
        yield check_block(data, line, source.name)


def numbered_blocks(source: Source, progress: Callable[[int], None] | None = None,
                    block_bytes: int = BLOCK_BYTES) -> Iterator[tuple[bytes, int]]:
    """The blocks of a regional file to check (check_block), each with the number of its first line,
    without the official header line; `progress` receives the bytes read so far.

    Raises:
        InputDataError: the file does not end with a line end (see dgddi_lines.cut_file_error).
    """
    line = 1
    done = 0
    with source.opener() as stream:
        for index, data in enumerate(blocks(stream, block_bytes)):
            done += len(data)
            if index == 0:
                data, line = dgddi_lines.without_header(data)
            if not data:
                continue
            if not data.endswith(b"\n"):
                raise dgddi_lines.cut_file_error(source.name, line + data.count(b"\n"))
            first = line
            line += data.count(b"\n")
            if progress:
                progress(done)
            yield data, first
