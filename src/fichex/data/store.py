"""Where the aggregation asks the data its questions: the one seam between fichex and a query engine.

A fiche needs, for its year, the table summed to flow × territory × A129 × partner (the « year
aggregate », a few hundred thousand rows whatever the size of the table: shares, ranks, the région's and
France's summaries and the target's own figures all come from it), and, for its Données sheet, its own
rows of every year summed the same way. Two stores answer these questions:

- ParquetStore: DuckDB over the canonical Parquet file, reading only the row groups of the year or the
  territory asked for (the file is written in year × flow row groups sorted by territory). The year
  aggregates are cached beside the data (or in the user's cache folder when the data folder is read-only),
  under the data's fingerprint, so that every target and every run reuses them.
- FrameStore: the same answers from a table already in memory (tests, small tables, the library).

To run past one machine, a third store would send the same SQL (`YEAR_AGGREGATE_SQL`, `DETAIL_SQL`) to
a distributed engine over the same Parquet files (DuckDB on object storage, Spark SQL): nothing else in
fichex reads the trade table.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

AGGREGATE_COLUMNS = ["flux", "code_departement", "code_a129", "code_pays", "valeur_eur"]
DETAIL_KEY = ["annee", "flux", "code_departement", "code_a129", "code_pays"]
CACHE_FORMAT = 1
CACHE_DIR_NAME = ".fichex-cache"
CACHE_ENV_VAR = "FICHEX_CACHE"

YEAR_AGGREGATE_SQL = """
    SELECT flux, code_departement, code_a129, code_pays, SUM(valeur_eur) AS valeur_eur
    FROM trade WHERE annee = $year
    GROUP BY flux, code_departement, code_a129, code_pays
    ORDER BY flux, code_departement, code_a129, code_pays
"""
DETAIL_SQL = """
    SELECT annee, flux, code_departement, code_a129, code_pays, SUM(valeur_eur) AS valeur_eur
    FROM trade WHERE list_contains($codes, code_departement)
    GROUP BY annee, flux, code_departement, code_a129, code_pays
    HAVING SUM(valeur_eur) > 0
"""
PERIODS_SQL = "SELECT DISTINCT annee, trimestre FROM trade ORDER BY annee, trimestre"
TOTALS_SQL = """
    SELECT annee, flux, SUM(valeur_eur) AS valeur_eur, COUNT(*) AS lignes
    FROM trade GROUP BY annee, flux ORDER BY annee, flux
"""
TERRITORIES_SQL = "SELECT DISTINCT code_departement FROM trade"
QUARTERLY_SQL = """
    SELECT annee, trimestre, flux, SUM(valeur_eur) AS valeur_eur
    FROM trade WHERE list_contains($codes, code_departement)
    GROUP BY annee, trimestre, flux ORDER BY annee, trimestre, flux
"""


def _codes(codes: str | Sequence[str]) -> list[str]:
    """One territory code or several (a région's, France's), as the list the queries take."""
    return [codes] if isinstance(codes, str) else [str(code) for code in codes]


def _year_aggregate(frame: pd.DataFrame) -> pd.DataFrame:
    """The table of one year summed to flow × territory × A129 × partner, sorted (the pandas twin of
    YEAR_AGGREGATE_SQL)."""
    grouped = frame.groupby(AGGREGATE_COLUMNS[:-1], observed=True, sort=False)["valeur_eur"].sum().reset_index()
    for column in AGGREGATE_COLUMNS[:-1]:
        grouped[column] = grouped[column].astype(str)
    return grouped.sort_values(AGGREGATE_COLUMNS[:-1]).reset_index(drop=True)


class FrameStore:
    """The store of a table held in memory."""

    def __init__(self, table: pd.DataFrame) -> None:
        self.table = table

    def periods(self) -> dict[int, tuple[int, ...]]:
        pairs = self.table[["annee", "trimestre"]].drop_duplicates()
        return {int(year): tuple(sorted(int(q) for q in group["trimestre"])) for year, group in pairs.groupby("annee")}

    def territories(self) -> set[str]:
        column = self.table["code_departement"]
        if isinstance(column.dtype, pd.CategoricalDtype):
            return {str(code) for code in column.cat.remove_unused_categories().cat.categories}
        return {str(code) for code in column.unique()}

    def year_aggregate(self, year: int) -> pd.DataFrame:
        return _year_aggregate(self.table[self.table["annee"] == year])

    def totals(self) -> pd.DataFrame:
        grouped = self.table.groupby(["annee", "flux"], observed=True, sort=True)["valeur_eur"].agg(["sum", "size"])
        return pd.DataFrame({"annee": [int(y) for y, _ in grouped.index], "flux": [str(f) for _, f in grouped.index],
                             "valeur_eur": grouped["sum"].to_numpy(), "lignes": grouped["size"].to_numpy()})

    def quarterly(self, codes: str | Sequence[str]) -> pd.DataFrame:
        rows = self.table[self.table["code_departement"].isin(_codes(codes))]
        grouped = rows.groupby(["annee", "trimestre", "flux"], observed=True, sort=True)["valeur_eur"].sum()
        return pd.DataFrame({"annee": [int(y) for y, _, _ in grouped.index],
                             "trimestre": [int(q) for _, q, _ in grouped.index],
                             "flux": [str(f) for _, _, f in grouped.index], "valeur_eur": grouped.to_numpy()})

    def detail(self, codes: str | Sequence[str]) -> pd.DataFrame:
        rows = self.table[self.table["code_departement"].isin(_codes(codes))]
        grouped = rows.groupby(DETAIL_KEY, observed=True, sort=False)["valeur_eur"].sum().reset_index()
        return grouped[grouped["valeur_eur"] > 0]


class ParquetStore:
    """The store of a canonical Parquet file, queried in place by DuckDB."""

    def __init__(self, path: Path, cache_dir: Path | None = None) -> None:
        self.path = Path(path)
        self._connection = None
        self._aggregates: dict[int, pd.DataFrame] = {}
        self._periods: dict[int, tuple[int, ...]] | None = None
        self._territories: set[str] | None = None
        self._cache_dir = cache_dir

    # -- DuckDB ----------------------------------------------------------------------------------------
    @property
    def connection(self):
        if self._connection is None:
            import duckdb

            connection = duckdb.connect(":memory:", config={"threads": max(1, min(os.cpu_count() or 1, 4))})
            path = str(self.path).replace("'", "''")
            connection.execute(f"CREATE VIEW trade AS SELECT * FROM read_parquet('{path}')")
            self._connection = connection
        return self._connection

    def _query(self, sql: str, **parameters) -> pd.DataFrame:
        return self.connection.sql(sql, params=parameters or None).to_arrow_table().to_pandas()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # -- questions -------------------------------------------------------------------------------------
    def periods(self) -> dict[int, tuple[int, ...]]:
        if self._periods is None:
            pairs = self._query(PERIODS_SQL)
            self._periods = {int(year): tuple(int(q) for q in group["trimestre"])
                             for year, group in pairs.groupby("annee")}
        return self._periods

    def territories(self) -> set[str]:
        if self._territories is None:
            self._territories = set(self._query(TERRITORIES_SQL)["code_departement"].astype(str))
        return self._territories

    def totals(self) -> pd.DataFrame:
        return self._query(TOTALS_SQL)

    def year_aggregate(self, year: int) -> pd.DataFrame:
        if year not in self._aggregates:
            cached = self._cache_path(year)
            frame = _read_cache(cached) if cached is not None else None
            if frame is None:
                frame = self._query(YEAR_AGGREGATE_SQL, year=int(year))
                for column in AGGREGATE_COLUMNS[:-1]:
                    frame[column] = frame[column].astype(str)
                if cached is not None:
                    _write_cache(cached, frame)
            self._aggregates[year] = frame
        return self._aggregates[year]

    def detail(self, codes: str | Sequence[str]) -> pd.DataFrame:
        return self._query(DETAIL_SQL, codes=_codes(codes))

    def quarterly(self, codes: str | Sequence[str]) -> pd.DataFrame:
        frame = self._query(QUARTERLY_SQL, codes=_codes(codes))
        return frame.astype({"annee": "int64", "trimestre": "int64", "flux": str})

    # -- cache -----------------------------------------------------------------------------------------
    def fingerprint(self) -> tuple[str, str]:
        """Which data file (its path) and which state of it (size, modification time) the cached aggregates
        describe, and how they were computed (cache format, the aggregate's SQL: editing the query retires
        every aggregate cached before)."""
        stat = self.path.stat()
        which = hashlib.sha256(str(self.path.resolve()).encode()).hexdigest()[:12]
        state = hashlib.sha256(json.dumps([CACHE_FORMAT, YEAR_AGGREGATE_SQL, stat.st_size, stat.st_mtime_ns])
                               .encode()).hexdigest()[:12]
        return which, state

    def _cache_path(self, year: int) -> Path | None:
        folder = self._cache_dir or cache_dir_for(self.path)
        if folder is None:
            return None
        which, state = self.fingerprint()
        return folder / f"agregat-{which}-{state}-{int(year)}.parquet"


def cache_dir_for(data_path: Path) -> Path | None:
    """Where year aggregates of a data file are cached: $FICHEX_CACHE (« off » disables the cache),
    else a .fichex-cache folder beside the data when it can be written, else the user's cache folder."""
    from fichex.resources import reference_dir

    value = os.environ.get(CACHE_ENV_VAR)
    if value:
        return None if value.lower() in ("off", "0", "non") else Path(value)
    beside = Path(data_path).resolve().parent
    embedded = reference_dir().resolve() in beside.parents or beside == reference_dir().resolve()
    if not embedded and os.access(beside, os.W_OK):
        return beside / CACHE_DIR_NAME
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "fichex"


def _read_cache(path: Path) -> pd.DataFrame | None:
    import pyarrow.parquet as pq

    try:
        frame = pq.read_table(path).to_pandas()
    except Exception:  # absent, half-written by a killed process, or damaged: recompute
        return None
    if list(frame.columns) != AGGREGATE_COLUMNS:
        return None
    return frame


def _write_cache(path: Path, frame: pd.DataFrame) -> None:
    """Write an aggregate atomically; a cache that cannot be written is only a missed speed-up."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp, compression="zstd")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return
    # Aggregates of an earlier state of the same data file are of no further use.
    _, which, _, year = path.stem.split("-")
    for old in path.parent.glob(f"agregat-{which}-*-{year}.parquet"):
        if old != path:
            old.unlink(missing_ok=True)
