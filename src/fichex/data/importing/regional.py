"""Import of the DGDDI regional files (dgddi.py reads them): duplicates, reconciliation, report, outputs.

The files are read block by block (dgddi.read_source); each checked block is staged on disk as Parquet
(rows kept, rows rejected) and dropped from memory. DuckDB then finds the duplicates, sorts the rows into
the storage order and sums the report's totals over the staged files, spilling to disk beyond
STAGE_MEMORY; the canonical table and the rejected-lines file are written from its results one row group
at a time. Memory therefore stays bounded whatever the size of the files: about one block being checked
(4 MB of text), DuckDB's limit and one row group being written.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from fichex import texts
from fichex.atomic import atomic_path, private_tmpdir
from fichex.data import reference, trade
from fichex.data.importing import dgddi
from fichex.data.importing.report import REJECTED_FILE_NAME, REPORT_FILE_NAME, FileReport, ImportReport
from fichex.errors import InputDataError

RECONCILIATION_KEY = ["flux", "annee", "code_departement"]
Progress = Callable[[int, int | None], None]
STAGE_MEMORY = "160MB"        # DuckDB's memory while deduplicating and sorting; it spills to disk beyond
REJECTED_BATCH_ROWS = 65_536  # rejected lines written per batch
_KEY = ", ".join(trade.KEY_COLUMNS)
_SOURCE_SHIFT = 1 << 32       # (source file, line) as one number: source × 2³² + line
_HASHES = (f"hash({_KEY}) AS h1, hash(concat_ws('|', {_KEY})) AS h2")


def _arrow_reader(con, sql: str, rows: int):
    """The result of `sql` streamed as Arrow record batches of about `rows` rows (a relation's reader: no
    copy of the whole result; DuckDB 2 names it to_arrow_reader, DuckDB 1 fetch_arrow_reader)."""
    relation = con.sql(sql)
    if hasattr(relation, "to_arrow_reader"):
        return relation.to_arrow_reader(rows)
    return relation.fetch_arrow_reader(rows)


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class _Stage:
    """The checked blocks on disk: kept-N.parquet (canonical columns, `source`, `ligne`) and
    rejected-N.parquet (the rejected-lines columns, as text)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.blocks = 0
        self.rejected_blocks = 0
        self.read: list[pd.DataFrame] = []

    def add(self, block: dgddi.Block, source: int) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from fichex.data.importing.pipeline import REJECTED_COLUMNS

        kept = block.kept
        if len(kept):
            kept = kept.assign(source=np.int64(source))  # code columns stay categorical: Parquet dictionaries
            pq.write_table(pa.Table.from_pandas(kept, preserve_index=False), self.folder / f"kept-{self.blocks:06d}.parquet")
            self.blocks += 1
        if len(block.rejected):
            rejected = block.rejected.reindex(columns=REJECTED_COLUMNS)
            frame = {c: rejected[c].fillna("").astype(str) for c in REJECTED_COLUMNS if c != "ligne"}
            frame["ligne"] = rejected["ligne"].astype("int64")
            pq.write_table(pa.Table.from_pandas(pd.DataFrame(frame)[REJECTED_COLUMNS], preserve_index=False),
                           self.folder / f"rejected-{self.rejected_blocks:06d}.parquet")
            self.rejected_blocks += 1
        self.read.append(block.read)
        _release_arrow_memory()
        if len(self.read) >= 64:  # keep the read totals small: one line per flow × year × département
            self.read = [self.read_totals()]

    def read_totals(self) -> pd.DataFrame:
        frame = pd.concat(self.read, ignore_index=True)
        return frame.groupby(RECONCILIATION_KEY, as_index=False, sort=False)[["lignes", "euros"]].sum()


def _release_arrow_memory() -> None:
    """Give the block's buffers back to the system: Arrow's allocator keeps freed memory for reuse, which
    would add up to a few hundred MB over a large file."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _connect(stage: _Stage, names: list[str]):
    """A DuckDB session over the staged blocks: views `staged`, `dup` (keys held by several lines),
    `final` (the lines kept), `rejected` (every rejected line, duplicates included)."""
    import duckdb

    from fichex.data.importing.pipeline import MOTIF_CONFLICT, MOTIF_DUPLICATE, REJECTED_COLUMNS

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{STAGE_MEMORY}'")
    con.execute(f"SET temp_directory = {_sql_path(stage.folder / 'duckdb')}")
    con.execute("SET threads = 2")
    con.execute(f"CREATE VIEW staged AS SELECT * FROM read_parquet({_sql_path(stage.folder / 'kept-*.parquet')})")
    con.execute("CREATE TEMP TABLE names (source BIGINT, name VARCHAR)")
    con.executemany("INSERT INTO names VALUES (?, ?)", list(enumerate(names)))
    # Lines sharing a key: an exact copy keeps its first line (in reading order); copies that disagree on
    # the value or the mass (or that give a mass and not the other) are all rejected. Plain aggregates
    # only (no DISTINCT): DuckDB spills them to disk, so millions of keys fit in STAGE_MEMORY.
    # Grouped on two 64-bit hashes of the key (different functions: a false match is out of reach, about
    # 10⁻²⁴ for 28 million keys) and plain aggregates (no DISTINCT): DuckDB spills such groups to disk, so
    # tens of millions of keys fit in STAGE_MEMORY.
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"""
        CREATE TEMP TABLE dup AS
        SELECT {_HASHES},
               min(valeur_eur) <> max(valeur_eur) OR min(masse_kg) <> max(masse_kg)
                   OR (count(masse_kg) > 0 AND count(masse_kg) < count(*)) AS conflict,
               min(source * {_SOURCE_SHIFT} + ligne) AS first
        FROM staged GROUP BY ALL HAVING count(*) > 1""")
    con.execute("SET preserve_insertion_order = true")  # the sorted COPY below keeps its order
    # The lines kept, sorted into the storage order once, on disk (DuckDB sorts out of core): every total
    # below and the canonical table are read from there.
    final = stage.folder / "final.parquet"
    kept = ("staged s" if not con.execute("SELECT count(*) FROM dup").fetchone()[0] else
            f"(SELECT *, {_HASHES} FROM staged) s LEFT JOIN dup d USING (h1, h2) WHERE d.first IS NULL "
            f"OR (NOT d.conflict AND s.source * {_SOURCE_SHIFT} + s.ligne = d.first)")
    con.execute(f"""
        COPY (SELECT {", ".join("s." + c for c in trade.CANONICAL_COLUMNS)} FROM {kept}
              ORDER BY {", ".join("s." + c for c in trade.STORAGE_ORDER)})
        TO {_sql_path(final)} (FORMAT parquet, ROW_GROUP_SIZE {trade.ROW_GROUP_ROWS})""")
    con.execute(f"CREATE VIEW final AS SELECT * FROM read_parquet({_sql_path(final)})")
    con.execute(f"""
        CREATE VIEW duplicates AS
        SELECT n.name AS fichier, s.ligne, CAST(s.annee AS VARCHAR) AS annee, CAST(s.trimestre AS VARCHAR) AS periode,
               s.flux, s.code_departement, s.code_produit, s.code_pays,
               CAST(CAST(s.valeur_eur AS BIGINT) AS VARCHAR) AS valeur,
               CASE WHEN d.conflict THEN ? ELSE ? END AS motif,
               CASE WHEN d.conflict THEN 'valeur ' || CAST(CAST(s.valeur_eur AS BIGINT) AS VARCHAR)
                    ELSE 'copie de ' || f.name || ':' || CAST(d.first % {_SOURCE_SHIFT} AS VARCHAR) END AS detail
        FROM (SELECT *, {_HASHES} FROM staged) s JOIN dup d USING (h1, h2)
        JOIN names n ON n.source = s.source
        JOIN names f ON f.source = d.first // {_SOURCE_SHIFT}
        WHERE d.conflict OR s.source * {_SOURCE_SHIFT} + s.ligne <> d.first""".replace("?", "'{}'").format(
        MOTIF_CONFLICT.replace("'", "''"), MOTIF_DUPLICATE.replace("'", "''")))
    columns = ", ".join(REJECTED_COLUMNS)
    blocks = (f"SELECT {columns} FROM read_parquet({_sql_path(stage.folder / 'rejected-*.parquet')}) UNION ALL "
              if stage.rejected_blocks else "")
    con.execute(f"CREATE VIEW rejected AS {blocks}SELECT {columns} FROM duplicates")
    return con


def _reconciliation(read: pd.DataFrame, kept: pd.DataFrame) -> tuple[dict, ...]:
    """Per flow × year × département: lines and euros read = kept + rejected, checked against the table."""
    table = read.groupby(RECONCILIATION_KEY, sort=True)[["lignes", "euros"]].sum()
    kept = kept.set_index(RECONCILIATION_KEY)[["size", "sum"]]
    table = table.join(kept, how="outer").fillna(0)
    rows = []
    for (flow, year, dep), r in table.iterrows():
        lines, euros, kept_lines, kept_euros = int(r["lignes"]), float(r["euros"]), int(r["size"]), float(r["sum"])
        rows.append({"flux": flow, "annee": year, "code_departement": dep, "lignes_lues": lines,
                     "lignes_conservees": kept_lines, "lignes_rejetees": lines - kept_lines,
                     "euros_lus": euros, "euros_conserves": kept_euros, "euros_rejetes": euros - kept_euros})
    return tuple(rows)


def _national_reference(found: dgddi.Found, regional: dict, progress: Progress | None, done_before: int,
                        total: int | None) -> tuple[tuple, tuple[dict, ...]]:
    """France's totals from the national files (year, flow, euros, months) and, per year and flow, the
    gap between the regional sum (`regional`: (year, flow) → euros) and the national total."""
    if not found.national:
        return (), ()
    frames = []
    for source in found.national:
        def step(done: int, offset: int = done_before) -> None:
            if progress:
                progress(offset + done, total)

        frames.append(dgddi.national_totals(source, step))
        done_before += source.size
    months = pd.concat(frames, ignore_index=True).groupby(["annee", "flux", "mois"], as_index=False)["euros"].sum()
    by_year = months.groupby(["annee", "flux"]).agg(euros=("euros", "sum"), mois=("mois", "nunique"))
    national, gaps = [], []
    for (year, flow), row in by_year.iterrows():
        national.append((int(year), str(flow), float(row["euros"]), int(row["mois"])))
        mine = float(regional.get((int(year), str(flow)), 0.0))
        gaps.append({"annee": int(year), "flux": str(flow), "mois": int(row["mois"]), "national_eur": float(row["euros"]),
                     "regional_eur": mine, "ecart_eur": mine - float(row["euros"])})
    return tuple(national), tuple(gaps)


def _write_rejected(con, path: Path) -> None:
    """lignes_rejetees.csv from DuckDB's `rejected`, by file and line, a batch at a time."""
    from fichex.data.importing.pipeline import REJECTED_COLUMNS, _harmless, _lookup_raw

    reader = _arrow_reader(con, "SELECT * FROM rejected ORDER BY fichier, ligne", REJECTED_BATCH_ROWS)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        first = True
        for batch in reader:
            frame = batch.to_pandas().reindex(columns=REJECTED_COLUMNS)
            for column in REJECTED_COLUMNS:
                if column != "ligne":
                    frame[column] = _lookup_raw(frame[column].fillna(""), lambda v: _harmless(str(v)))
            frame.to_csv(handle, sep=";", index=False, header=first, lineterminator="\n")
            first = False
        if first:
            pd.DataFrame(columns=REJECTED_COLUMNS).to_csv(handle, sep=";", index=False, lineterminator="\n")


def import_regional(found: dgddi.Found, into: Path, *, progress: Progress | None = None,
                    source_names: list[str] | None = None, created: str = "") -> ImportReport:
    """Read and check the regional files of `found` and write the data folder `into` (the canonical table,
    rapport_import.json and lignes_rejetees.csv, which appear together); return the report.

    Raises:
        InputDataError: an unreadable file, or no usable line at all.
        OutputError: the folder cannot be written.
    """
    if not found.sources:
        raise InputDataError(texts.national_alone_error([s.name for s in found.national]))
    with private_tmpdir() as folder:
        stage = _Stage(folder)
        report, con = _stage_and_describe(found, into, stage, progress, source_names, created)
        _write_outputs(con, report, folder)
    return report


def _stage_and_describe(found: dgddi.Found, into: Path, stage: _Stage, progress: Progress | None,
                        source_names: list[str] | None, created: str):
    total = sum(source.size for source in [*found.sources, *found.national]) or None
    done_before = 0
    file_reports = []
    names = [source.name for source in found.sources]
    for index, source in enumerate(found.sources):
        lines = rejected = 0

        def step(done: int, offset: int = done_before) -> None:
            if progress:
                progress(offset + done, total)

        for block in dgddi.read_source(source, step):
            stage.add(block, index)
            lines += int(block.read["lignes"].sum())
            rejected += len(block.rejected)
        done_before += source.size
        file_reports.append(FileReport(source.name, texts.IMPORT_STATUS_IMPORTED, rows_read=lines,
                                       rows_rejected=rejected, columns={"format": texts.REGIONAL_FORMAT},
                                       unit=texts.REGIONAL_UNIT))
    read = stage.read_totals()
    rows_read = int(read["lignes"].sum())
    if not stage.blocks:
        reasons = _reasons_of_blocks(stage)
        raise InputDataError(f"aucune ligne valide sur {rows_read} lues ({reasons}) ; vérifiez qu'il s'agit bien du "
                             "fichier régional DGDDI tel que téléchargé (voir docs/donnees-reelles.md)")
    con = _connect(stage, names)
    try:
        by_reason = con.execute("SELECT motif, count(*) FROM rejected GROUP BY motif").fetchall()
        rejected_by_reason = {str(k): int(v) for k, v in sorted(by_reason, key=lambda kv: (-kv[1], kv[0]))}
        rows_kept = con.execute("SELECT count(*) FROM final").fetchone()[0]
        if not rows_kept:
            reasons = ", ".join(f"{k} : {v}" for k, v in rejected_by_reason.items())
            raise InputDataError(f"aucune ligne valide sur {rows_read} lues ({reasons}) ; vérifiez qu'il s'agit bien "
                                 "du fichier régional DGDDI tel que téléchargé (voir docs/donnees-reelles.md)")
        per_file = dict(con.execute("SELECT fichier, count(*) FROM duplicates GROUP BY fichier").fetchall())
        if per_file:
            file_reports = [FileReport(f.name, f.status, f.rows_read, f.rows_rejected + int(per_file.get(f.name, 0)),
                                       f.columns, f.unit) for f in file_reports]
        rows_rejected = sum(rejected_by_reason.values())

        # One scan of the sorted lines for every total the report needs (a few thousand groups at most).
        groups = con.execute("SELECT annee, flux, code_departement, code_pays, count(*) AS size, "
                             "sum(valeur_eur) AS total FROM final GROUP BY ALL").df()
        annual = groups.groupby(["annee", "flux", "code_departement"], sort=True)["total"].sum()
        totals = tuple({"annee": int(y), "flux": str(f), "code_departement": str(d), "valeur_eur": float(v)}
                       for (y, f, d), v in annual.items())
        countries = reference.countries().set_index("code_pays")
        special_codes = set(countries.index[countries["special"]])
        specials = groups[groups["code_pays"].isin(special_codes)].groupby("code_pays", sort=True)["total"].sum()
        special_partners = tuple({"code_pays": str(code), "pays": str(countries.at[code, "pays"]),
                                  "valeur_eur": round(float(value), 2)} for code, value in specials.items())
        kept_sums = (groups.groupby(["flux", "annee", "code_departement"], as_index=False)
                     .agg(size=("size", "sum"), sum=("total", "sum")))
        kept_sums["annee"] = kept_sums["annee"].astype(str)
        quarters = con.execute("SELECT annee, list(DISTINCT trimestre) FROM final GROUP BY annee ORDER BY annee").fetchall()
        regional = {(int(y), str(f)): float(v) for (y, f), v in groups.groupby(["annee", "flux"])["total"].sum().items()}
    except BaseException:
        con.close()
        raise

    national, gaps = _national_reference(found, regional, progress, done_before, total)
    shown = source_names or names
    warnings = [texts.partial_year_warning(texts.period_label(int(year), tuple(int(q) for q in qs)))
                for year, qs in quarters if len(set(qs)) < 4]
    if rows_rejected:
        warnings.append(texts.rejected_lines_warning(rows_rejected, into / REJECTED_FILE_NAME))
    info = trade.DataSource(
        demonstration=found.demonstration,
        source=found.demonstration_text or texts.regional_source(shown, found.demonstration),
        path=str(into / trade.TRADE_FILE_NAME), files=tuple([*names, *(s.name for s in found.national)]),
        created=created, national=national)
    if found.demonstration:
        warnings.insert(0, texts.regional_demonstration_warning(shown))
    file_reports += [FileReport(name, texts.IMPORT_STATUS_SKIPPED, reason=reason) for name, reason in found.skipped]
    file_reports += [FileReport(name, texts.IMPORT_STATUS_ANNEX, reason=f"sha256 {digest[:12]}")
                     for name, digest in found.annexes]
    report = ImportReport(
        output=into / trade.TRADE_FILE_NAME, report_path=into / REPORT_FILE_NAME,
        rejected_path=into / REJECTED_FILE_NAME, files=tuple(file_reports), rows_read=rows_read,
        rows_kept=int(rows_kept), rows_rejected=rows_rejected, rejected_by_reason=rejected_by_reason,
        rows_written=int(rows_kept), totals=totals, special_partners=special_partners, warnings=tuple(warnings),
        info=info, reconciliation=_reconciliation(read, kept_sums), annexes=tuple(n for n, _ in found.annexes),
        national_gaps=gaps)
    return report, con


def _reasons_of_blocks(stage: _Stage) -> str:
    import pyarrow.parquet as pq

    counts: dict[str, int] = {}
    for path in sorted(stage.folder.glob("rejected-*.parquet")):
        for motif in pq.read_table(path, columns=["motif"]).column("motif").to_pylist():
            counts[motif] = counts.get(motif, 0) + 1
    return ", ".join(f"{k} : {v}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _write_outputs(con, report: ImportReport, stage_folder: Path) -> None:
    """The canonical table, the report and the rejected lines, written under temporary names and renamed
    together once all three are complete."""
    import pyarrow.parquet as pq

    from fichex.data.importing.pipeline import INTO

    with contextlib.ExitStack() as stack:
        rejected_tmp = stack.enter_context(atomic_path(report.rejected_path, INTO))
        report_tmp = stack.enter_context(atomic_path(report.report_path, INTO))
        try:
            _write_rejected(con, rejected_tmp)
            categories = {column: [v for (v,) in con.execute(f"SELECT DISTINCT {column} FROM final ORDER BY 1")
                                   .fetchall()] for column in trade.CODE_COLUMNS}
        finally:
            con.close()  # DuckDB's buffers go back to the system before the table is written
        report_tmp.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        # Sorted already: read a row group at a time (pre-buffering would keep every one read in memory).
        final = pq.ParquetFile(stage_folder / "final.parquet", pre_buffer=False)
        batches = final.iter_batches(batch_size=trade.ROW_GROUP_ROWS, columns=trade.CANONICAL_COLUMNS,
                                     use_threads=False)
        trade.write_parquet_batches(batches, report.output, report.info, categories, option=INTO)

