"""Where the aggregation asks the data its questions: the one seam between fichex and a query engine.

A fiche needs, for its year, the table summed to flow × territory × A129 × partner (the « year
aggregate », a few hundred thousand rows whatever the size of the table: shares, ranks, the région's and
France's summaries and the target's own figures all come from it), and, for its Données sheet, its own
rows of every year summed the same way. Two stores answer these questions:

- ParquetStore: DuckDB over the canonical Parquet file, reading only the row groups of the year or the
  territory asked for (the file is written in year × flow row groups sorted by territory). It is pinned
  to the state of the file it opened (data/lock.py): every query checks, once it ran, that the file is
  still that one, so that one run never mixes two datasets. The year aggregates are cached beside the
  data (or in the user's cache folder when the data folder is read-only), keyed on the data's content,
  so that every target and every run reuses them; a cached aggregate is checked before it is used.
- FrameStore: the same answers from a table already in memory (tests, small tables, the library).

To run past one machine, a third store would send the same SQL (`YEAR_AGGREGATE_SQL`, `DETAIL_SQL`) to
a distributed engine over the same Parquet files (DuckDB on object storage, Spark SQL): nothing else in
fichex reads the trade table.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from fichex.data.lock import FileState, changed_error, check_unchanged

AGGREGATE_COLUMNS = ["flux", "code_departement", "code_a129", "code_pays", "valeur_eur"]
DETAIL_KEY = ["annee", "flux", "code_departement", "code_a129", "code_pays"]
CACHE_FORMAT = 2
CACHE_METADATA_KEY = b"fichex-cache"
CACHE_DIR_NAME = ".fichex-cache"
CACHE_ENV_VAR = "FICHEX_CACHE"
# DuckDB's memory for each of a store's two connections (its default is 80 % of the machine's; the store's and the
# one-territory one, `territory_connection`, so at most twice this): a query that needs more, a year aggregate of a
# very large table, spills to a folder of its connection's own in the system's temporary folder, which DuckDB
# creates only if it spills and removes when the connection closes.
STORE_MEMORY = "128MB"
# DuckDB's threads for a store's queries: a whole year's (its aggregate, its product sums) is read faster by several.
STORE_THREADS = max(1, min(os.cpu_count() or 1, 4))

# The year aggregate, computed part by part (a flow and a run of territories: the file is sorted that way, so each
# part reads its own row groups) and unsorted: it has about as many rows as the year has lines, and DuckDB would
# hold the whole of it to group or sort it at once; the store streams each part in Arrow batches and sorts the
# codes itself (`streamed_aggregate`). The parts together are the year, each row in exactly one.
YEAR_AGGREGATE_SQL = """
    SELECT flux, code_departement, code_a129, code_pays, SUM(valeur_eur) AS valeur_eur
    FROM trade WHERE annee = $year AND flux = $flux AND code_departement BETWEEN $first AND $last
    GROUP BY flux, code_departement, code_a129, code_pays
"""
YEAR_LINES_SQL = """
    SELECT flux, code_departement, COUNT(*) AS lignes FROM trade WHERE annee = $year
    GROUP BY flux, code_departement ORDER BY flux, code_departement
"""
AGGREGATE_PART_LINES = 1_000_000  # lines of the table grouped at once: ≈ 60 MB of DuckDB's memory
STREAM_BATCH_ROWS = 100_000  # rows of a streamed result converted at once


def aggregate_parts(lines: pd.DataFrame, most: int | None = None) -> list[tuple[str, str, str]]:
    """The parts of a year aggregate: (flow, first territory, last territory), runs of consecutive territories
    of one flow (in YEAR_LINES_SQL's order) of at most `most` lines each (default AGGREGATE_PART_LINES; a
    territory alone may have more); one empty part when the year has no line."""
    most = AGGREGATE_PART_LINES if most is None else most
    parts: list[list] = []
    for flow, code, count in zip(lines["flux"].astype(str), lines["code_departement"].astype(str),
                                 lines["lignes"].astype("int64")):
        if parts and parts[-1][0] == flow and parts[-1][3] + count <= most:
            parts[-1][2], parts[-1][3] = code, parts[-1][3] + count
        else:
            parts.append([flow, code, code, int(count)])
    return [(flow, first, last) for flow, first, last, _ in parts] or [("E", "", "")]

DETAIL_SQL = """
    SELECT annee, flux, code_departement, code_a129, code_pays, SUM(valeur_eur) AS valeur_eur
    FROM trade WHERE list_contains($codes, code_departement)
    GROUP BY annee, flux, code_departement, code_a129, code_pays
    HAVING SUM(valeur_eur) > 0
"""
# France's Données (aggregation.detail_table): the territories' rows of every year summed together, the territory
# dropped (at most years × 2 flows × the A129 products × the partners, whatever the size of the table; the
# values are never negative, so a sum is positive exactly when one of its territories' rows is).
COMBINED_DETAIL_SQL = """
    SELECT annee, flux, code_a129, code_pays, SUM(valeur_eur) AS valeur_eur
    FROM trade WHERE list_contains($codes, code_departement)
    GROUP BY annee, flux, code_a129, code_pays
    HAVING SUM(valeur_eur) > 0
"""
COMBINED_DETAIL_KEY = ["annee", "flux", "code_a129", "code_pays"]
PERIODS_SQL = "SELECT DISTINCT annee, trimestre FROM trade ORDER BY annee, trimestre"
TOTALS_SQL = """
    SELECT annee, flux, SUM(valeur_eur) AS valeur_eur, COUNT(*) AS lignes
    FROM trade GROUP BY annee, flux ORDER BY annee, flux
"""
YEAR_TOTALS_SQL = "SELECT flux, SUM(valeur_eur) AS valeur_eur FROM trade WHERE annee = $year GROUP BY flux"
TERRITORIES_SQL = "SELECT DISTINCT code_departement FROM trade"
# The year (or some of its quarters) summed to flow × territory × product code (CPF4 in DGDDI files), with the
# mass and the value of the rows that give one (aggregation/specialisation.py): ≈ 2 × 100 × 300 rows.
PRODUCT_COLUMNS = ["flux", "code_departement", "code_produit", "valeur_eur", "masse_kg", "valeur_avec_masse_eur"]
PRODUCT_SUMS_SQL = """
    SELECT flux, code_departement, code_produit, SUM(valeur_eur) AS valeur_eur,
           COALESCE(SUM(masse_kg), 0) AS masse_kg,
           SUM(CASE WHEN masse_kg IS NULL THEN 0 ELSE valeur_eur END) AS valeur_avec_masse_eur
    FROM trade WHERE annee = $year AND (len($quarters) = 0 OR list_contains($quarters, trimestre))
    GROUP BY flux, code_departement, code_produit
    HAVING SUM(valeur_eur) > 0
    ORDER BY flux, code_departement, code_produit
"""
QUARTERLY_SQL = """
    SELECT annee, trimestre, flux, SUM(valeur_eur) AS valeur_eur
    FROM trade WHERE list_contains($codes, code_departement)
    GROUP BY annee, trimestre, flux ORDER BY annee, trimestre, flux
"""
QUARTERLY_KEY = ["annee", "trimestre", "flux"]
# A fiche's two questions about its territories, DETAIL_SQL's and QUARTERLY_SQL's, answered from one pass over
# their rows (`detail_and_quarterly`): each grouping set sums the same rows as its query, `trimestre_somme` 1
# on a detail row (its quarters summed), 0 on a quarterly row (kept even when nil, as QUARTERLY_SQL keeps them);
# the quarterly rows first, in QUARTERLY_SQL's order.
DETAIL_QUARTERLY_SQL = """
    SELECT annee, trimestre, flux, code_departement, code_a129, code_pays, SUM(valeur_eur) AS valeur_eur,
           GROUPING(trimestre) AS trimestre_somme
    FROM trade WHERE list_contains($codes, code_departement)
    GROUP BY GROUPING SETS ((annee, flux, code_departement, code_a129, code_pays), (annee, trimestre, flux))
    HAVING SUM(valeur_eur) > 0 OR GROUPING(trimestre) = 0
    ORDER BY trimestre_somme, annee, trimestre, flux
"""


# The bounded question an agent may ask (`fichex mcp`'s « interroger »): a sum of the table grouped by
# columns of this list only, filtered on values (never SQL from the caller), at most QUERY_MAX_ROWS rows.
QUERY_COLUMNS = ("annee", "trimestre", "flux", "code_departement", "code_a129", "code_produit", "code_pays")
QUERY_FILTERS = {"annees": "annee", "flux": "flux", "territoires": "code_departement", "pays": "code_pays"}
QUERY_MAX_ROWS = 200


def grouped_sum_sql(group_by: Sequence[str]) -> str:
    """The SQL of `grouped_sum` for columns of QUERY_COLUMNS (checked by the caller): values and masses summed,
    the rows counted, the number of groups beside each row; the largest values first."""
    columns = ", ".join(group_by)
    select = f"{columns}, " if group_by else ""
    return f"""
    SELECT {select}SUM(valeur_eur) AS valeur_eur, SUM(masse_kg) AS masse_kg, COUNT(*) AS lignes,
           COUNT(*) OVER () AS groupes
    FROM trade
    WHERE (len($annees) = 0 OR list_contains($annees, annee))
      AND (len($flux) = 0 OR list_contains($flux, flux))
      AND (len($territoires) = 0 OR list_contains($territoires, code_departement))
      AND (len($pays) = 0 OR list_contains($pays, code_pays))
      AND (len($produits) = 0 OR list_contains($produits, code_a129) OR list_contains($produits, code_produit))
    {f"GROUP BY {columns}" if group_by else ""}
    ORDER BY valeur_eur DESC{f", {columns}" if group_by else ""}
    LIMIT $limit
"""


def check_query(group_by: Sequence[str], limit: int) -> None:
    """A grouped sum's columns and cap, before any SQL is written.

    Raises:
        ValueError: a column not in QUERY_COLUMNS, or a cap outside 1…QUERY_MAX_ROWS (the callers turn it into
            one French line).
    """
    unknown = [column for column in group_by if column not in QUERY_COLUMNS]
    if unknown or len(set(group_by)) != len(group_by):
        raise ValueError(unknown[0] if unknown else "doublon")
    if not 1 <= int(limit) <= QUERY_MAX_ROWS:
        raise ValueError(str(limit))


def _query_filters(filters: dict[str, Sequence]) -> dict[str, list]:
    """The filters of a grouped sum as the lists the SQL takes (an empty list keeps every value)."""
    return {"annees": [int(y) for y in filters.get("annees") or ()],
            **{key: [str(v) for v in filters.get(key) or ()] for key in ("flux", "territoires", "pays", "produits")}}


def _grouped_sum_frame(table: pd.DataFrame, group_by: Sequence[str], filters: dict[str, list],
                       limit: int) -> pd.DataFrame:
    """The pandas twin of `grouped_sum_sql`."""
    keep = pd.Series(True, index=table.index)
    for key, column in QUERY_FILTERS.items():
        if filters[key]:
            keep &= table[column].astype(int if key == "annees" else str).isin(filters[key])
    if filters["produits"]:
        keep &= table["code_a129"].astype(str).isin(filters["produits"]) | table["code_produit"].astype(str).isin(
            filters["produits"])
    rows = table[keep]
    sums = {"valeur_eur": ("valeur_eur", "sum"), "masse_kg": ("masse_kg", "sum"), "lignes": ("valeur_eur", "size")}
    if group_by:
        grouped = rows.groupby(list(group_by), observed=True, sort=False).agg(**sums).reset_index()
        for column in group_by:
            grouped[column] = grouped[column].astype(int if column in ("annee", "trimestre") else str)
    else:
        grouped = pd.DataFrame({"valeur_eur": [rows["valeur_eur"].sum()], "masse_kg": [rows["masse_kg"].sum()],
                                "lignes": [len(rows)]}) if len(rows) else pd.DataFrame(columns=list(sums))
    grouped["groupes"] = len(grouped)
    grouped = grouped.sort_values(["valeur_eur", *group_by], ascending=[False, *[True] * len(group_by)])
    return grouped.head(limit).reset_index(drop=True)


def _codes(codes: str | Sequence[str]) -> list[str]:
    """One territory code or several (a région's, France's), as the list the queries take."""
    return [codes] if isinstance(codes, str) else [str(code) for code in codes]


def _year_aggregate(frame: pd.DataFrame) -> pd.DataFrame:
    """The table of one year summed to flow × territory × A129 × partner, sorted, its codes as categories (the
    pandas twin of YEAR_AGGREGATE_SQL)."""
    grouped = frame.groupby(AGGREGATE_COLUMNS[:-1], observed=True, sort=False)["valeur_eur"].sum().reset_index()
    for column in AGGREGATE_COLUMNS[:-1]:
        grouped[column] = grouped[column].astype(str)
    grouped = grouped.sort_values(AGGREGATE_COLUMNS[:-1]).reset_index(drop=True)
    return as_categories(grouped, AGGREGATE_COLUMNS[:-1])


def as_categories(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """`frame` with `columns` as text categories in sorted order (what `astype(str).astype("category")` gives):
    a year aggregate of a large table has millions of rows, each code then held in a byte or two."""
    converted = {}
    for column in columns:
        values = frame[column]
        if not isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(str).astype("category")
        categories = values.cat.categories.astype(str)
        converted[column] = pd.Categorical(values).rename_categories(categories).reorder_categories(
            sorted(categories))
    return frame.assign(**converted)


def streamed_aggregate(readers, categories: Sequence[str], read=None) -> pd.DataFrame:
    """Grouped results streamed as Arrow record batches (a list of `pyarrow.RecordBatchReader`s or of
    callables returning one, read one after the other, of the same columns) as one frame sorted by `categories` (each a text column, as
    sorted categories: see `as_categories`), the other columns as they come.

    Each batch's codes are looked up once per distinct value and kept as small integers: neither the whole
    Arrow result nor a text object per row is ever held, and the result is sorted on those integers (sorted
    categories: the order of the text, as an SQL ORDER BY on the same columns gives it). `read`, when given,
    is called once every batch is read, before the frame is built (the store closes its connection there).
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    seen: dict[str, dict[str, int]] = {name: {} for name in categories}
    parts: dict[str, list] = {}
    schema = None
    for batch in _batches_of(readers):
        schema = schema or batch.schema
        for name in batch.schema.names:
            column = batch.column(name)
            if name in seen:
                encoded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)
                positions = seen[name]
                lookup = [positions.setdefault(str(value), len(positions)) for value in encoded.dictionary.to_pylist()]
                lookup = np.asarray([*lookup, -1], dtype=np.int16 if len(positions) < 2 ** 15 else np.int32)
                indices = encoded.indices.fill_null(len(lookup) - 1).to_numpy(zero_copy_only=False)
                column = lookup[indices]
            else:
                column = column.to_numpy(zero_copy_only=False)
            parts.setdefault(name, []).append(column)
    if schema is None:  # no row: the columns from the first reader
        schema = (readers[0]() if callable(readers[0]) else readers[0]).schema
    if read is not None:
        read()
    columns: dict[str, object] = {}
    for name in schema.names:
        empty = np.empty(0, dtype=np.int32 if name in seen else schema.field(name).type.to_pandas_dtype())
        values = np.concatenate(parts.pop(name)) if name in parts else empty
        if name in seen:
            ordered = sorted(seen[name])
            rank = np.empty(len(ordered) + 1, dtype=np.int32)
            rank[[seen[name][value] for value in ordered]] = np.arange(len(ordered), dtype=np.int32)
            rank[-1] = -1
            values = pd.Categorical.from_codes(rank[values], categories=ordered)
        columns[name] = values
    order = np.lexsort([columns[name].codes for name in reversed(categories)])
    frame = pd.DataFrame({name: values[order] for name, values in columns.items()})
    return as_categories(frame, categories)


def _batches_of(readers):
    """Every batch of `readers` in turn (a callable is called when its turn comes: one query runs at a time)."""
    for reader in readers:
        yield from (reader() if callable(reader) else reader)


def _arrow_batches(relation, rows: int):
    """A DuckDB relation's result as Arrow record batches of about `rows` rows, streamed (DuckDB 2 names the
    reader to_arrow_reader, DuckDB 1 fetch_arrow_reader)."""
    if hasattr(relation, "to_arrow_reader"):
        return relation.to_arrow_reader(rows)
    return relation.fetch_arrow_reader(rows)


def _product_sums(frame: pd.DataFrame) -> pd.DataFrame:
    """The pandas twin of PRODUCT_SUMS_SQL, on rows already filtered to a year and its quarters."""
    masses = pd.to_numeric(frame["masse_kg"], errors="coerce")
    rows = pd.DataFrame({column: frame[column].astype(str) for column in PRODUCT_COLUMNS[:3]})
    rows["valeur_eur"] = frame["valeur_eur"].astype("float64")
    rows["masse_kg"] = masses.fillna(0.0).astype("float64")
    rows["valeur_avec_masse_eur"] = rows["valeur_eur"].where(masses.notna(), 0.0)
    grouped = rows.groupby(PRODUCT_COLUMNS[:3], sort=True)[PRODUCT_COLUMNS[3:]].sum().reset_index()
    return grouped[grouped["valeur_eur"] > 0].reset_index(drop=True)


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

    def product_sums(self, year: int, quarters: Sequence[int] = ()) -> pd.DataFrame:
        """See `ParquetStore.product_sums`."""
        keep = self.table["annee"] == year
        if quarters:
            keep &= self.table["trimestre"].isin([int(q) for q in quarters])
        return _product_sums(self.table[keep])

    def grouped_sum(self, group_by: Sequence[str], filters: dict[str, Sequence], limit: int) -> pd.DataFrame:
        """See `ParquetStore.grouped_sum`."""
        check_query(group_by, limit)
        return _grouped_sum_frame(self.table, group_by, _query_filters(filters), int(limit))

    def detail(self, codes: str | Sequence[str]) -> pd.DataFrame:
        rows = self.table[self.table["code_departement"].isin(_codes(codes))]
        grouped = rows.groupby(DETAIL_KEY, observed=True, sort=False)["valeur_eur"].sum().reset_index()
        return grouped[grouped["valeur_eur"] > 0]

    def detail_and_quarterly(self, codes: str | Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """See `ParquetStore.detail_and_quarterly`."""
        return self.detail(codes), self.quarterly(codes)

    def combined_detail(self, codes: Sequence[str]) -> pd.DataFrame:
        """See `ParquetStore.combined_detail`."""
        rows = self.table[self.table["code_departement"].isin(_codes(codes))]
        grouped = rows.groupby(COMBINED_DETAIL_KEY, observed=True, sort=False)["valeur_eur"].sum().reset_index()
        return grouped[grouped["valeur_eur"] > 0]


class ParquetStore:
    """The store of a canonical Parquet file, queried in place by DuckDB, pinned to the file's state.

    Args:
        path: the Parquet file.
        cache_dir: where year aggregates are cached (default: `cache_dir_for(path)`).
        state: the state the file must be in (a build's workers pass the one their build pinned); default:
            its state now.

    Raises:
        InputDataError: the file is not (or no longer) in `state`.
    """

    def __init__(self, path: Path, cache_dir: Path | None = None, *, state: FileState | None = None) -> None:
        self.path = Path(path)
        now = FileState.at(self.path)
        if now is None or (state is not None and now != state):
            raise changed_error(self.path)
        self.state = now
        self._connection = None
        self._territory_connection = None
        self._aggregates: dict[int, pd.DataFrame] = {}
        self._products: dict[tuple, pd.DataFrame] = {}
        self._periods: dict[int, tuple[int, ...]] | None = None
        self._territories: set[str] | None = None
        self._cache_dir = cache_dir
        self._content: str | None = None

    # -- DuckDB ----------------------------------------------------------------------------------------
    @property
    def connection(self):
        if self._connection is None:
            self._connection = self._connect(STORE_THREADS, "annee")
        return self._connection

    @property
    def territory_connection(self):
        """The connection of the questions about one territory, which every fiche of a batch asks: run by one
        DuckDB thread, its own. Such a query reads a few row groups, in no less time when threads that wait for
        one another share them, and in less processor time alone (≈ 15 % of the query's on the demonstration
        data, whose every row group holds every territory); setting a connection's threads anew for each query
        costs more than that (its threads are started again)."""
        if self._territory_connection is None:
            self._territory_connection = self._connect(1, "territoire")
        return self._territory_connection

    def _connect(self, threads: int, role: str):
        """A DuckDB connection of its own (`threads`, STORE_MEMORY) with the file as the view « trade », spilling
        to a folder named for the process, the store and the connection's `role` (never another's: a connection
        closed removes its folder)."""
        import duckdb

        spill = Path(tempfile.gettempdir()) / f"fichex-duckdb-{os.getpid()}-{id(self):x}-{role}"
        connection = duckdb.connect(":memory:", config={"threads": threads, "memory_limit": STORE_MEMORY,
                                                        "temp_directory": str(spill)})
        path = str(self.path).replace("'", "''")
        connection.execute(f"CREATE VIEW trade AS SELECT * FROM read_parquet('{path}')")
        return connection

    def _query(self, sql: str, **parameters) -> pd.DataFrame:
        """The result of `sql` as a frame."""
        return self._arrow_query(sql, **parameters).to_pandas()

    def _arrow_query(self, sql: str, *, connection=None, **parameters):
        """The result of `sql` as an Arrow table (on `connection`, default the store's `connection`)."""
        connection = self.connection if connection is None else connection
        table = connection.sql(sql, params=parameters or None).to_arrow_table()
        # The file was the pinned one when the query ended: a writer replaces it by renaming another file over
        # it (the query then read either the old file whole or a file that is no longer the pinned one).
        check_unchanged(self.path, self.state)
        return table

    def _computed_aggregate(self, year: int) -> pd.DataFrame:
        """The year aggregate computed part by part (`aggregate_parts`), streamed, sorted (see YEAR_AGGREGATE_SQL)."""
        parts = aggregate_parts(self._query(YEAR_LINES_SQL, year=year))

        def reader(flow: str, first: str, last: str):
            return lambda: _arrow_batches(self.connection.sql(YEAR_AGGREGATE_SQL, params={
                "year": year, "flux": flow, "first": first, "last": last}), STREAM_BATCH_ROWS)

        # DuckDB keeps the memory it grouped with (≈ 150 MB) until its connection closes: closed once the parts
        # are read, before the frame is built (the next query opens another), so that neither the frame's
        # building nor the fiche's computations come on top of it.
        frame = streamed_aggregate([reader(*part) for part in parts], AGGREGATE_COLUMNS[:-1], read=self.close)
        check_unchanged(self.path, self.state)  # see `_query`
        return frame

    def close(self) -> None:
        for name in ("_connection", "_territory_connection"):
            connection = getattr(self, name)
            if connection is not None:
                connection.close()
                setattr(self, name, None)

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
            frame = self._checked(_read_cache(cached, self.content_key(), year), year) if cached else None
            if frame is None:
                frame = self._computed_aggregate(int(year))
                if cached is not None:
                    _write_cache(cached, frame, self.content_key(), year)
            else:
                frame = as_categories(frame, AGGREGATE_COLUMNS[:-1])
            self._aggregates[year] = frame
        return self._aggregates[year]

    def detail(self, codes: str | Sequence[str]) -> pd.DataFrame:
        return self._query(DETAIL_SQL, codes=_codes(codes))

    def combined_detail(self, codes: Sequence[str]) -> pd.DataFrame:
        """The rows of the territories `codes` of every year summed together (COMBINED_DETAIL_KEY and
        `valeur_eur`, positive sums only): France's Données, as large as its years, flows, products and
        partners, not as the table."""
        return self._query(COMBINED_DETAIL_SQL, codes=_codes(codes))

    def product_sums(self, year: int, quarters: Sequence[int] = ()) -> pd.DataFrame:
        """The year (only `quarters` when given) summed to flow × territory × product code: PRODUCT_COLUMNS,
        rows of positive value only, sorted; masses 0 and `valeur_avec_masse_eur` 0 where no row gives a mass.
        Kept for the run (a fiche asks for its year and the year before)."""
        key = (int(year), tuple(sorted(int(q) for q in quarters)))
        if key not in self._products:
            frame = self._query(PRODUCT_SUMS_SQL, year=key[0], quarters=list(key[1]))
            for column in PRODUCT_COLUMNS[:3]:
                frame[column] = frame[column].astype(str)
            self._products[key] = frame.astype({column: "float64" for column in PRODUCT_COLUMNS[3:]})
        return self._products[key]

    def grouped_sum(self, group_by: Sequence[str], filters: dict[str, Sequence], limit: int) -> pd.DataFrame:
        """The table summed by `group_by` (columns of QUERY_COLUMNS), on the rows whose values are in `filters`
        (« annees », « flux », « territoires », « pays », « produits »: A129 or product codes; an absent or
        empty filter keeps every value): at most `limit` rows (≤ QUERY_MAX_ROWS), the largest values first,
        with `valeur_eur`, `masse_kg`, `lignes` and `groupes` (how many groups there are in all).

        Raises:
            ValueError: a column outside QUERY_COLUMNS or a cap outside 1…QUERY_MAX_ROWS.
        """
        check_query(group_by, limit)
        frame = self._query(grouped_sum_sql(group_by), **_query_filters(filters), limit=int(limit))
        for column in group_by:
            frame[column] = frame[column].astype("int64" if column in ("annee", "trimestre") else str)
        return frame

    def quarterly(self, codes: str | Sequence[str]) -> pd.DataFrame:
        frame = self._query(QUARTERLY_SQL, codes=_codes(codes))
        return frame.astype({"annee": "int64", "trimestre": "int64", "flux": str})

    def detail_and_quarterly(self, codes: str | Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """`detail(codes)` and `quarterly(codes)` from one query (DETAIL_QUARTERLY_SQL): a fiche asks both,
        and each query's cost is its pass over the territories' rows."""
        import pyarrow.compute as pc

        codes = _codes(codes)
        table = self._arrow_query(DETAIL_QUARTERLY_SQL, codes=codes,
                                  connection=self.territory_connection if len(codes) == 1 else None)
        # The quarterly rows first (`trimestre_somme` 0), each part turned into a frame of its own columns.
        quarters = len(table) - int(pc.sum(table.column("trimestre_somme")).as_py() or 0)
        detail = table.slice(quarters).select([*DETAIL_KEY, "valeur_eur"]).to_pandas()
        quarterly = table.slice(0, quarters).select([*QUARTERLY_KEY, "valeur_eur"]).to_pandas()
        return detail, quarterly.astype({"annee": "int64", "trimestre": "int64", "flux": str})

    # -- cache -----------------------------------------------------------------------------------------
    def content_key(self) -> str:
        """What the data file holds, cheaply: sha256 of its size and its Parquet footer (the schema, the
        metadata, and each row group's offsets, sizes and min/max statistics), and of how the aggregates
        are computed (cache format, the aggregate's SQL: editing the query retires every aggregate cached
        before). Read from the pinned file."""
        if self._content is None:
            with open(self.path, "rb") as handle:
                if FileState.of(os.fstat(handle.fileno())) != self.state:
                    raise changed_error(self.path)
                size = self.state.size
                handle.seek(max(0, size - 8))
                tail = handle.read(8)
                length = int.from_bytes(tail[:4], "little") if tail[4:] == b"PAR1" else size
                handle.seek(max(0, size - 8 - length))
                footer = handle.read()
            digest = hashlib.sha256(json.dumps([CACHE_FORMAT, YEAR_AGGREGATE_SQL, size]).encode())
            digest.update(footer)
            self._content = digest.hexdigest()
        return self._content

    def fingerprint(self) -> tuple[str, str]:
        """Which data file (its path, so that an aggregate of its earlier content can be removed) and which
        content (`content_key`) the cached aggregates describe."""
        which = hashlib.sha256(str(self.path.resolve()).encode()).hexdigest()[:12]
        return which, self.content_key()[:16]

    def _cache_path(self, year: int) -> Path | None:
        folder = usable_cache_dir(self._cache_dir or cache_dir_for(self.path))
        if folder is None:
            return None
        which, state = self.fingerprint()
        return folder / f"agregat-{which}-{state}-{int(year)}.parquet"

    def _checked(self, frame: pd.DataFrame | None, year: int) -> pd.DataFrame | None:
        """A cached aggregate whose totals by flow are the data's own for that year, else None."""
        if frame is None:
            return None
        data = self._query(YEAR_TOTALS_SQL, year=int(year))
        expected = {str(flow): float(value) for flow, value in zip(data["flux"], data["valeur_eur"])}
        cached = frame.groupby("flux", sort=False)["valeur_eur"].sum()
        found = {str(flow): float(value) for flow, value in cached.items()}
        if expected.keys() != found.keys():
            return None
        if all(math.isclose(expected[flow], found[flow], rel_tol=1e-9, abs_tol=0.01) for flow in expected):
            return frame
        return None


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


_WARNED: set[str] = set()


def warn_once(message: str) -> None:
    """Say on stderr, once per process, why the cache is not used (the command goes on without it)."""
    if message not in _WARNED:
        _WARNED.add(message)
        print(f"fichex : avertissement : {message}", file=sys.stderr, flush=True)


def _cache_warning(folder: Path, why: str) -> None:
    warn_once(f"cache des agrégats inutilisable : {folder} {why} ; les agrégats sont recalculés ; donnez à "
              f"{CACHE_ENV_VAR} un dossier à vous, ou {CACHE_ENV_VAR}=off")


def usable_cache_dir(folder: Path | None) -> Path | None:
    """The cache folder when it can be trusted, created if needed (mode 0700), else None with a warning.

    A cached aggregate is trusted only if no other user can have written it: the folder must be a folder
    owned by the user and writable by nobody else. Aggregates are keyed on content, not on a secret: their
    names are predictable, so the folder's ownership and mode are what keep another local user out.
    """
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError as exc:
        _cache_warning(folder, f"({exc.strerror or type(exc).__name__})")
        return None
    if not stat.S_ISDIR(info.st_mode):
        _cache_warning(folder, "n'est pas un dossier")
        return None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        _cache_warning(folder, "appartient à un autre utilisateur")
        return None
    if info.st_mode & 0o022:
        _cache_warning(folder, f"est modifiable par d'autres utilisateurs (chmod 700 {folder} pour le garder)")
        return None
    return folder


CHECKSUM_CHUNK_ROWS = 100_000  # cells of a column hashed at once


def aggregate_checksum(frame: pd.DataFrame) -> str:
    """sha256 of an aggregate's cells, column by column: each code column's cells as text joined by \\x1f and
    ended by \\x1e, then the values' float64 bytes. The text is taken from the categories' codes a chunk at a
    time (the same bytes as the whole column's text joined at once, never held)."""
    import numpy as np

    digest = hashlib.sha256()
    for column in AGGREGATE_COLUMNS[:-1]:
        values = frame[column]
        if not isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(str).astype("category")
        texts = np.array([str(c).encode() for c in values.cat.categories] + [b"nan"], dtype=object)
        codes = values.cat.codes.to_numpy()
        for start in range(0, len(codes), CHECKSUM_CHUNK_ROWS):
            if start:
                digest.update(b"\x1f")
            digest.update(b"\x1f".join(texts[codes[start:start + CHECKSUM_CHUNK_ROWS]].tolist()))
        digest.update(b"\x1e")
    digest.update(np.ascontiguousarray(frame["valeur_eur"].to_numpy(dtype="float64")).tobytes())
    return digest.hexdigest()


def _read_cache(path: Path, content: str, year: int) -> pd.DataFrame | None:
    """A cached aggregate when it is the user's, of this content and year, intact (its checksum) and
    plausible (finite values, none negative, flows E and I); else None: it is recomputed."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
            return None
        table = pq.read_table(path)
        meta = json.loads((table.schema.metadata or {}).get(CACHE_METADATA_KEY, b"{}"))
        frame = table.to_pandas()
        del table
        pa.default_memory_pool().release_unused()  # what Arrow read with, given back before the fiche is built
    except Exception:  # absent, half-written by a killed process, or damaged: recompute
        return None
    if list(frame.columns) != AGGREGATE_COLUMNS or not isinstance(meta, dict):
        return None
    if meta.get("donnees") != content or meta.get("annee") != int(year) or meta.get("lignes") != len(frame):
        return None
    values = pd.to_numeric(frame["valeur_eur"], errors="coerce")
    if not (values.notna().all() and bool(((values >= 0) & (values < math.inf)).all())
            and {str(flow) for flow in frame["flux"].unique()} <= {"E", "I"}):
        return None
    if meta.get("somme") != aggregate_checksum(frame):
        return None
    return frame


def _write_cache(path: Path, frame: pd.DataFrame, content: str, year: int) -> None:
    """Write an aggregate atomically, with what it describes and its checksum; a cache that cannot be
    written is only a missed speed-up (said once on stderr)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    meta = {"format": CACHE_FORMAT, "donnees": content, "annee": int(year), "lignes": len(frame),
            "somme": aggregate_checksum(frame)}
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               CACHE_METADATA_KEY: json.dumps(meta).encode()})
        pq.write_table(table, tmp, compression="zstd")
        del table
        pa.default_memory_pool().release_unused()  # what Arrow wrote with, given back before the fiche is built
        os.replace(tmp, path)
    except Exception as exc:  # pyarrow raises its own types too (a folder gone, a disk full)
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        _cache_warning(path.parent, f"({getattr(exc, 'strerror', None) or type(exc).__name__})")
        return
    # Aggregates of an earlier content of the same data file are of no further use.
    _, which, _, year_part = path.stem.split("-")
    try:
        for old in path.parent.glob(f"agregat-{which}-*-{year_part}.parquet"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
