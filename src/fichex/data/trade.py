"""The canonical trade table: its schema, its validation and its Parquet storage.

One row per (annee, trimestre, flux, code_departement, code_produit, code_pays), as the DGDDI regional
files hold it, with a value in euros and a mass in kilograms:

| column | type | meaning |
|---|---|---|
| annee | int | year |
| trimestre | int | quarter 1–4, or 0 for a value covering the whole year (tables without quarters) |
| flux | str | « E » exports (FAB/FOB), « I » imports (CAF/CIF) |
| code_departement | str | territory code: COG département (« 01 », « 2A », « 974 ») or DGDDI's « 20 » (Corse) and « 99 » (Monaco); DGDDI's DOM codes « 9A »…« 9E » are stored as 971…976 |
| code_produit | str | product code as given: CPF4 (« 0111 ») in DGDDI files, else A129 or CPF/NAF at any depth |
| code_a129 | str | A129 position of the product (from the file when it gives one, else derived) |
| code_pays | str | ISO 3166-1 alpha-2 partner code or DGDDI special code (« QU », « XK ») |
| valeur_eur | float | value in euros, >= 0 |
| masse_kg | float | mass in kilograms, >= 0; empty when the source gives none |

Annual figures are the sum of the quarters; a year whose rows cover fewer than four quarters is partial.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd

from fichex.provenance import DataSource
from fichex.data import reference
from fichex.data.lock import FileState, HeldFile, changed_error, check_unchanged, hold_shared
from fichex.data.store import FrameStore, ParquetStore
from fichex.errors import InputDataError

KEY_COLUMNS = ["annee", "trimestre", "flux", "code_departement", "code_produit", "code_pays"]
# Order of the rows on disk: a year, then a flow, then a territory are contiguous, so that a query for one
# of them reads only the row groups that hold it (their statistics say so).
STORAGE_ORDER = ["annee", "flux", "code_departement", "trimestre", "code_produit", "code_pays"]
ROW_GROUP_ROWS = 131_072
# Marks a file whose every row fichex checked when it wrote it (an import): loading it trusts the rows.
FORMAT_VERSION = 2
# No single row of customs data comes near this (France exports about 600 billion euros a year): a value
# above it, or infinite, is a unit or parsing error, and summing it would make every share meaningless.
VALUE_CEILING_EUR = 1e12
REQUIRED_COLUMNS = ["annee", "flux", "code_departement", "code_produit", "code_pays", "valeur_eur"]
CANONICAL_COLUMNS = ["annee", "trimestre", "flux", "code_departement", "code_produit", "code_a129", "code_pays",
                     "valeur_eur", "masse_kg"]
# Cells quoted in error messages (the quarter only when the key needs it).
_SHOWN = ["annee", "flux", "code_departement", "code_produit", "code_pays"]
CODE_COLUMNS = ("flux", "code_departement", "code_produit", "code_a129", "code_pays")
QUARTERS = (1, 2, 3, 4)
TRADE_FILE_NAME = "commerce_exterieur.parquet"
METADATA_KEY = b"fichex"
_EXAMPLES = 3


class TradeData:
    """A canonical trade table, its description, and the store that answers the aggregation's questions.

    Built by `load` on a Parquet file (a ParquetStore: nothing is read until asked, and then only what is
    asked), or from a table in memory (`TradeData(table, info)`: a FrameStore). A table loaded from a file
    is pinned to that file's state (`pin`): a question asked after the file changed fails rather than mix
    two datasets; `held` is the shared lock a run holds on it (`load(..., hold=True)`, released by
    `release`).
    """

    def __init__(self, table: pd.DataFrame | None = None, info: DataSource | None = None, *,
                 store: FrameStore | ParquetStore | None = None) -> None:
        if table is None and store is None:
            raise ValueError("TradeData needs a table or a store")
        self._table = table
        self.info = info if info is not None else DataSource(False, "", "")
        self.store = store if store is not None else FrameStore(table)
        self._periods: dict[int, tuple[int, ...]] | None = None
        self.pin: FileState | None = None
        self.held: HeldFile | None = None

    @property
    def table(self) -> pd.DataFrame:
        """The whole table in memory (read on first use when the data is a Parquet file)."""
        if self._table is None:
            path = Path(self.store.path)
            table = _read_table(path)
            if self.pin is not None:
                check_unchanged(path, self.pin)
            self._table = table
        return self._table

    def content_sha256(self) -> str:
        """sha256 of the data file's bytes, in the state the table is pinned to (what the manifest records).

        Raises:
            InputDataError: the file changed since it was opened.
        """
        path = Path(self.info.path)
        with open(path, "rb") as handle:
            if self.pin is not None and FileState.of(os.fstat(handle.fileno())) != self.pin:
                raise changed_error(path)
            digest = hashlib.sha256()
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
            if self.pin is not None and FileState.of(os.fstat(handle.fileno())) != self.pin:
                raise changed_error(path)  # rewritten in place while it was read
        return digest.hexdigest()

    def without_rows(self) -> TradeData:
        """The same description, pin and lock with an empty table (what a build keeps while its workers
        hold the rows)."""
        emptied = TradeData(self.table.iloc[0:0].copy(), self.info)
        emptied.pin, emptied.held = self.pin, self.held
        return emptied

    def release(self) -> None:
        """Let go of the shared lock held on the data file (imports into its folder may then replace it)."""
        if self.held is not None:
            self.held.release()
            self.held = None

    @property
    def years(self) -> list[int]:
        return sorted(self.quarters)

    @property
    def quarters(self) -> dict[int, tuple[int, ...]]:
        """Quarters present in each year (0 = values for the whole year)."""
        if self._periods is None:
            self._periods = self.store.periods()
        return self._periods

    @property
    def departements(self) -> set[str]:
        """Territory codes present in the table."""
        return self.store.territories()

    def complete(self, year: int) -> bool:
        """True when the year's rows cover it whole (four quarters, or annual values)."""
        quarters = set(self.quarters.get(year, ()))
        return 0 in quarters or set(QUARTERS) <= quarters

    @property
    def default_year(self) -> int:
        """The last complete year, or the last year when none is complete."""
        complete = [year for year in self.years if self.complete(year)]
        return (complete or self.years)[-1]


def _examples(frame: pd.DataFrame, columns: list[str]) -> str:
    cells = frame[columns].head(_EXAMPLES).astype(object)
    cells = cells.where(cells.notna(), "(vide)").astype(str)
    rows = cells.agg(" / ".join, axis=1).tolist()
    return "ex. " + " ; ".join(rows)


def _fail(source: str, count: int, problem: str, frame: pd.DataFrame, columns: list[str], fix: str) -> None:
    plural = "s" if count > 1 else ""
    raise InputDataError(
        f"{source} : {count} ligne{plural} {problem} ({_examples(frame, columns)}) ; {fix}"
    )


def _codes(series: pd.Series, normalise) -> pd.Series:
    """A code column as a categorical, each distinct value normalised once (fast on millions of rows)."""
    import numpy as np

    categorical = series if isinstance(series.dtype, pd.CategoricalDtype) else series.astype("category")
    categories = [normalise(str(value)) for value in categorical.cat.categories]
    unique = list(dict.fromkeys(categories))
    position = {value: i for i, value in enumerate(unique)}
    remap = np.array([position[value] for value in categories] + [-1], dtype=np.int64)
    codes = remap[categorical.cat.codes.to_numpy()]  # code -1 (missing) picks the trailing -1
    return pd.Series(pd.Categorical.from_codes(codes, categories=unique), index=series.index)


def validate(frame: pd.DataFrame, source: str = "données") -> pd.DataFrame:
    """Check a trade table against the canonical schema and return it normalised.

    Args:
        frame: a table with at least the columns of REQUIRED_COLUMNS.
        source: the name of the file it came from, used in error messages.

    Returns:
        A new DataFrame with CANONICAL_COLUMNS, codes as categories, values as float64.

    Raises:
        InputDataError: a column is missing or a row is invalid; the message counts the offending rows
            and quotes the first ones.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise InputDataError(
            f"{source} : colonne{'s' if len(missing) > 1 else ''} manquante{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} ; colonnes attendues : {', '.join(REQUIRED_COLUMNS)}"
        )
    given_a129 = (_codes(frame["code_a129"], lambda c: c.strip().upper())
                  if "code_a129" in frame.columns else None)
    table = pd.DataFrame({
        "annee": frame["annee"],
        "trimestre": frame["trimestre"] if "trimestre" in frame.columns else 0,
        "flux": _codes(frame["flux"], lambda c: c.strip().upper()),
        "code_departement": _codes(frame["code_departement"], reference.normalise_departement_code),
        "code_produit": _codes(frame["code_produit"], str.strip),
        "code_pays": _codes(frame["code_pays"], lambda c: c.strip().upper()),
        "valeur_eur": frame["valeur_eur"],
        "masse_kg": frame["masse_kg"] if "masse_kg" in frame.columns else float("nan"),
    })

    years = pd.to_numeric(table["annee"], errors="coerce")
    bad = years.isna() | (years != years.round()) | (years < 1990) | (years > 2100)
    if bad.any():
        _fail(source, int(bad.sum()), "avec une année invalide", frame[bad], ["annee"],
              "l'année doit être un entier sur quatre chiffres")
    table["annee"] = years.astype("int64")

    quarters = pd.to_numeric(table["trimestre"], errors="coerce")
    bad = quarters.isna() | ~quarters.isin([0, *QUARTERS])
    if bad.any():
        _fail(source, int(bad.sum()), "avec un trimestre invalide", table[bad], ["annee", "trimestre"],
              "trimestre vaut 1 à 4 (ou 0 pour une valeur annuelle)")
    table["trimestre"] = quarters.astype("int64")

    values = pd.to_numeric(table["valeur_eur"], errors="coerce")
    bad = values.isna()
    if bad.any():
        _fail(source, int(bad.sum()), "sans valeur numérique dans valeur_eur", frame[bad], _SHOWN,
              "complétez ou supprimez ces lignes")
    bad = ~(values.abs() <= VALUE_CEILING_EUR)  # ±inf and absurd values (NaN was refused above)
    if bad.any():
        _fail(source, int(bad.sum()), "avec une valeur infinie ou démesurée dans valeur_eur (plus de 1 000 milliards "
              "d'euros)", table[bad], [*_SHOWN, "valeur_eur"], "corrigez l'unité ou la valeur de ces lignes")
    bad = values < 0
    if bad.any():
        _fail(source, int(bad.sum()), "avec une valeur négative dans valeur_eur", table[bad],
              [*_SHOWN, "valeur_eur"], "les valeurs doivent être positives ou nulles")
    table["valeur_eur"] = values.astype("float64")
    masses = pd.to_numeric(table["masse_kg"], errors="coerce").astype("float64")
    bad = masses < 0
    if bad.any():
        _fail(source, int(bad.sum()), "avec une masse négative dans masse_kg", table[bad],
              [*_SHOWN, "masse_kg"], "les masses doivent être positives ou nulles")
    table["masse_kg"] = masses

    bad = ~table["flux"].isin(["E", "I"]).fillna(False).astype(bool)
    if bad.any():
        _fail(source, int(bad.sum()), "avec un flux autre que E ou I", frame[bad], ["flux"],
              "flux vaut E (exportations) ou I (importations)")

    known = set(reference.departements()["code_departement"])
    bad = ~table["code_departement"].isin(known).fillna(False).astype(bool)
    if bad.any():
        _fail(source, int(bad.sum()), "avec un code département inconnu", table[bad], ["code_departement"],
              "utilisez les codes COG (01…95, 2A, 2B, 971…976) ou DGDDI (20, 9A…9E, 99)")

    known = set(reference.countries()["code_pays"])
    bad = ~table["code_pays"].isin(known).fillna(False).astype(bool)
    if bad.any():
        _fail(source, int(bad.sum()), "avec un code pays inconnu", table[bad], ["code_pays"],
              "utilisez les codes ISO 3166-1 alpha-2 ou les codes spéciaux de la DGDDI (QU, QV, …)")

    mapping = {code: reference.product_to_a129(code) for code in table["code_produit"].cat.categories}
    derived = table["code_produit"].map(mapping).astype(object)
    if given_a129 is not None:
        given = given_a129.astype(object)
        derived = given.where(given.notna() & (given != ""), derived)
    table["code_a129"] = derived.astype("category")
    bad = table["code_a129"].isna()
    if bad.any():
        _fail(source, int(bad.sum()), "avec un code produit inconnu", table[bad], ["code_produit"],
              "utilisez un code A129 (C10E) ou CPF/NAF (10.51)")

    duplicated = table.duplicated(KEY_COLUMNS, keep=False)
    if duplicated.any():
        _fail(source, int(duplicated.sum()),
              "en double sur la clé année × trimestre × flux × département × produit × pays",
              table[duplicated], KEY_COLUMNS, "agrégez ou supprimez les doublons")

    table = table[CANONICAL_COLUMNS].copy()
    for column in CODE_COLUMNS:
        table[column] = table[column].cat.remove_unused_categories()
    return table.reset_index(drop=True)


def write_parquet(frame: pd.DataFrame, path: Path, info: DataSource, *, presorted: bool = False,
                  checked: bool = False, option: str = "--out-dir") -> None:
    """Write a canonical table to Parquet with its description in the file metadata (atomically), in
    STORAGE_ORDER (`presorted`: the caller has sorted it already) and row groups of ROW_GROUP_ROWS.

    Args:
        checked: every row passed `validate` (or the importer's equivalent checks): `load` will trust the
            file and query it in place instead of reading and checking it whole.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from fichex.atomic import atomic_path

    ordered = frame[CANONICAL_COLUMNS]
    if not presorted:
        ordered = ordered.sort_values(STORAGE_ORDER).reset_index(drop=True)
    arrow = pa.Table.from_pandas(ordered, preserve_index=False)
    arrow = arrow.replace_schema_metadata(_file_metadata(arrow.schema, info, checked))
    with atomic_path(path, option) as tmp:
        pq.write_table(arrow, tmp, **_PARQUET_OPTIONS, row_group_size=ROW_GROUP_ROWS)


_PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 3, "use_dictionary": True}


def _file_metadata(schema, info: DataSource, checked: bool) -> dict:
    meta = dict(schema.metadata or {})
    meta.pop(b"pandas", None)
    described = info.to_json()
    described.pop("path")  # where the file lies is known when it is read; writing it would vary the bytes
    if checked:
        described["format"] = FORMAT_VERSION
    meta[METADATA_KEY] = json.dumps(described, ensure_ascii=False, sort_keys=True).encode()
    return meta


def _index_type(size: int):
    """The dictionary index type pandas gives a categorical of `size` categories (int8, int16, int32)."""
    import pyarrow as pa

    return pa.int8() if size < 2**7 else pa.int16() if size < 2**15 else pa.int32()


def write_parquet_batches(batches, path: Path, info: DataSource, categories: dict[str, list[str]], *,
                          option: str = "--out-dir") -> int:
    """Write checked canonical rows arriving as Arrow record batches, already in STORAGE_ORDER, in the file
    format of `write_parquet` (same schema, row groups, dictionaries and metadata), holding one row group at
    a time: what an import of any size needs. Returns the number of rows written.

    Args:
        batches: record batches of CANONICAL_COLUMNS, code columns as strings.
        categories: each code column's distinct values, sorted (its dictionary, as a categorical's).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from fichex.atomic import atomic_path

    # Dictionaries of large strings, as pandas categoricals of strings convert: the same schema as write_parquet.
    dictionaries = {c: pa.array(categories[c], pa.large_string()) for c in CODE_COLUMNS}
    fields = [pa.field(c, pa.dictionary(_index_type(len(categories[c])), pa.large_string()) if c in CODE_COLUMNS
                       else pa.float64() if c in ("valeur_eur", "masse_kg") else pa.int64())
              for c in CANONICAL_COLUMNS]
    schema = pa.schema(fields)
    schema = schema.with_metadata(_file_metadata(schema, info, checked=True))

    def encoded(table: pa.Table) -> pa.Table:
        columns = []
        for field in schema:
            column = table.column(field.name).combine_chunks()
            if field.name in CODE_COLUMNS:
                indices = pc.index_in(column.cast(pa.large_string()), value_set=dictionaries[field.name])
                column = pa.DictionaryArray.from_arrays(indices.cast(field.type.index_type), dictionaries[field.name])
            else:
                column = column.cast(field.type)
            columns.append(column)
        return pa.Table.from_arrays(columns, schema=schema)

    written = 0
    pending: list = []
    pending_rows = 0
    with atomic_path(path, option) as tmp, pq.ParquetWriter(tmp, schema, **_PARQUET_OPTIONS) as writer:
        def flush(rows: int) -> None:
            nonlocal pending, pending_rows, written
            table = pa.Table.from_batches(pending).combine_chunks() if pending else None
            if table is None:
                return
            head, rest = table.slice(0, rows), table.slice(rows)
            writer.write_table(encoded(head), row_group_size=ROW_GROUP_ROWS)
            pa.default_memory_pool().release_unused()  # one row group's buffers at a time, not the file's
            written += head.num_rows
            pending = rest.to_batches() if rest.num_rows else []
            pending_rows = rest.num_rows

        for batch in batches:
            if batch.num_rows:
                pending.append(batch)
                pending_rows += batch.num_rows
            while pending_rows >= ROW_GROUP_ROWS:
                flush(ROW_GROUP_ROWS)
        if pending_rows:
            flush(pending_rows)
    return written


def _resolve(path: Path) -> Path:
    if path.is_dir():
        candidate = path / TRADE_FILE_NAME
        if not candidate.exists():
            raise InputDataError(
                f"dossier de données sans {TRADE_FILE_NAME} : {path} ; importez des fichiers avec "
                "« fichex data import » ou retirez --data pour utiliser les données de démonstration"
            )
        return candidate
    if not path.exists():
        raise InputDataError(
            f"fichier de données introuvable : {path} ; vérifiez le chemin donné à --data ou dans $FICHEX_DATA"
        )
    return path


def load(path: Path | str | None = None, *, validated: bool = True, pin: FileState | None = None,
         hold: bool = False) -> TradeData:
    """Open a canonical trade table.

    A file written by `fichex data import` (its rows were checked then) is queried in place: nothing is
    read until the aggregation asks, and then only the row groups it needs. Any other file (written by
    hand, or by an earlier version of fichex) is read whole and checked row by row. Either way the table
    is pinned to the file's state when it was opened (`TradeData.pin`).

    Args:
        path: a Parquet file or a data folder holding commerce_exterieur.parquet; None means the folder
            named by $FICHEX_DATA, else the embedded demonstration dataset.
        validated: check every row of a file fichex did not check itself (default). Build workers pass
            False for a file the main process has just opened.
        pin: the state the file must be in (build workers pass their build's `TradeData.pin`).
        hold: take a shared lock on the file for as long as the table is used (until `release`): an import
            into its folder waits meanwhile; this waits while an import holds it.

    Raises:
        InputDataError: the file is missing, unreadable or invalid, or not in the state `pin`.
    """
    from fichex import resources as paths

    if path is None:
        path = paths.default_data_dir() or paths.demo_dataset_path()
    resolved = _resolve(Path(path))
    held = hold_shared(resolved) if hold else None
    try:
        state = held.state if held is not None else FileState.at(resolved)
        if state is None or (pin is not None and state != pin):
            raise changed_error(resolved)
        trade = _open(resolved, validated, state)
    except BaseException:
        if held is not None:
            held.release()
        raise
    trade.pin, trade.held = state, held
    return trade


def _open(resolved: Path, validated: bool, state: FileState) -> TradeData:
    """The table of the file `resolved`, which must stay in `state` while it is read."""
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(resolved)
    except Exception as exc:  # pyarrow raises several unrelated types for a damaged file
        raise _unreadable(resolved, exc) from None
    raw_meta = (schema.metadata or {}).get(METADATA_KEY)
    try:
        meta = json.loads(raw_meta) if raw_meta else {}
    except ValueError:
        raise InputDataError(
            f"description illisible dans {resolved} ; réimportez les données avec « fichex data import »"
        ) from None
    info = DataSource(
        demonstration=bool(meta.get("demonstration", False)),
        source=str(meta.get("source", f"fichier {resolved.name}")),
        path=str(resolved),
        files=tuple(meta.get("files", ())),
        created=str(meta.get("created", "")),
        national=_national(meta, resolved),
    )
    if meta.get("format") == FORMAT_VERSION and set(CANONICAL_COLUMNS) <= set(schema.names):
        return TradeData(info=info, store=ParquetStore(resolved, state=state))
    frame = _read_table(resolved)
    check_unchanged(resolved, state)
    if validated or any(c not in frame.columns for c in CANONICAL_COLUMNS):
        # A table written before quarters and masses were kept is read as annual values without masses.
        table = validate(frame, source=resolved.name)
    else:
        table = frame[CANONICAL_COLUMNS]
    release_unused_memory()
    return TradeData(table, info)


def _unreadable(resolved: Path, exc: Exception) -> InputDataError:
    return InputDataError(
        f"fichier Parquet illisible : {resolved} ({type(exc).__name__}) ; --data attend un dossier ou un "
        "fichier Parquet produit par « fichex data import » : importez-y vos fichiers CSV ou Excel"
    )


def _read_table(resolved: Path) -> pd.DataFrame:
    """The whole file as a DataFrame, code columns as categories."""
    import pyarrow.parquet as pq

    try:
        present = set(pq.read_schema(resolved).names)
        dictionary = [c for c in CODE_COLUMNS if c in present]
        arrow = pq.read_table(resolved, read_dictionary=dictionary)
    except Exception as exc:  # pyarrow raises several unrelated types for a damaged file
        raise _unreadable(resolved, exc) from None
    frame = arrow.to_pandas(self_destruct=True, split_blocks=True)
    del arrow
    frame = frame.drop(columns=[c for c in frame.columns if c not in CANONICAL_COLUMNS])
    release_unused_memory()
    return frame


def _national(meta: dict, resolved: Path) -> tuple[tuple[int, str, float, int], ...]:
    try:
        return tuple((int(y), str(f), float(v), int(m)) for y, f, v, m in meta.get("national", ()))
    except (TypeError, ValueError):
        raise InputDataError(
            f"description illisible dans {resolved} ; réimportez les données avec « fichex data import »"
        ) from None


def release_unused_memory() -> None:
    """Give back to the system what Arrow's allocator keeps after a read (≈ 100 MB for the demo data)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
