"""Import of the DGDDI regional files (dgddi.py reads them): duplicates, reconciliation, report, outputs.

The files are read block by block, two at a time (regional_stage.py); each checked block is staged on disk
as Parquet (rows kept with their key as one integer, `cle`: see dgddi_keys; rows rejected) and dropped from
memory. DuckDB then finds the duplicates (on `cle`) and sums the report's totals over the staged files, and
the canonical table is written from it one part of the lines at a time (`_partitions`: a year, a flow, a run
of départements, a range of `cle`), each part sorted on `cle` in memory: nothing but the checked blocks is
staged (about the table's size). Memory stays bounded whatever the size of the files: about two blocks being
checked (4 MB of text each), DuckDB's limit and one row group being written.

Publications that overlap (an annual file and a later « dernière publication », publications.py orders
them): per key, the lines of the latest publication holding it are kept, and those of the earlier ones
rejected, each with its motif; duplicates are then looked for within what is kept, as in one publication.
A Ctrl-C or `kill` ends the import as an interruption wherever it lands (DuckDB and Arrow included), and
the staging folder goes with it; a full temporary folder is one error naming it.
"""

from __future__ import annotations

import errno
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fichex.wording import console as console_text, grammar as grammar_text
from fichex.atomic import private_tmpdir, signal_exception
from fichex.data import trade
from fichex.data.importing import common, dgddi, dgddi_keys, national, publications
from fichex.data.importing.dgddi_files import Found
from fichex.data.importing.common import INTO, MOTIF_CONFLICT, MOTIF_DUPLICATE, REJECTED_COLUMNS
from fichex.data.importing.regional_stage import RECONCILIATION_KEY, Stage as _Stage, check_into_stage
from fichex.data.importing.report import REJECTED_FILE_NAME, REPORT_FILE_NAME, FileReport, ImportReport
from fichex.errors import FichexError, InputDataError, OutputError

Progress = Callable[[int, int | None], None]
STAGE_MEMORY = "160MB"        # DuckDB's memory while deduplicating and sorting; it spills to disk beyond
REJECTED_BATCH_ROWS = 65_536  # rejected lines written per batch
PREFETCH_BATCHES = 1          # sorted batches DuckDB prepares ahead of the one being written
PARTITION_ROWS = 200_000      # lines sorted at once: within STAGE_MEMORY, so that DuckDB need not spill; the
#   next part is sorted while one is written (_sorted_batches): 400 000 made that peak about 40 MB higher
_SOURCE_SHIFT = 1 << 32       # (source file, line) as one number: source × 2³² + line
_RANK_SHIFT = 1 << 48         # (publication rank, then first line) as one number to order by
NO_VALID_LINE_FIX = ("vérifiez qu'il s'agit bien du fichier régional DGDDI tel que téléchargé "
                     "(voir docs/donnees-reelles.md)")


def _arrow_reader(con, sql: str, rows: int):
    """The result of `sql` streamed as Arrow record batches of about `rows` rows (a relation's reader: no
    copy of the whole result; DuckDB 2 names it to_arrow_reader, DuckDB 1 fetch_arrow_reader)."""
    relation = con.sql(sql)
    if hasattr(relation, "to_arrow_reader"):
        return relation.to_arrow_reader(rows)
    return relation.fetch_arrow_reader(rows)


def _sql_path(path: Path) -> str:
    return _sql_text(str(path))


def _connect(stage: _Stage, names: list[str], inputs: list[int]):
    """A DuckDB session over the staged blocks: views `staged`, `dup` (keys held by several lines of one
    publication), `final` (the lines kept), `rejected` (every rejected line, duplicates and lines of an
    earlier publication included); and the publications when they overlap (else an empty list)."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{STAGE_MEMORY}'")
    con.execute(f"SET temp_directory = {_sql_path(stage.folder / 'duckdb')}")
    con.execute("SET threads = 2")
    con.execute(f"CREATE VIEW staged AS SELECT * FROM read_parquet({_sql_path(stage.folder / 'kept-*.parquet')})")
    con.execute("CREATE TEMP TABLE names (source BIGINT, name VARCHAR)")
    con.executemany("INSERT INTO names VALUES (?, ?)", list(enumerate(names)))
    overlapping: list[publications.Publication] = []
    groups = publications.group(names, inputs)
    try:
        if len(groups) > 1:
            periods = con.execute("SELECT DISTINCT source, annee, trimestre FROM staged").fetchall()
            ranked = publications.order(groups, periods)
            if publications.overlap(ranked, periods):
                overlapping = ranked
                _keep_latest_publication(con, ranked, stage.key)
        _deduplicate(con, stage, "current" if overlapping else "staged")
    except BaseException:
        con.close()  # its files in the staging folder are closed before the folder is removed
        raise
    return con, overlapping


def _keep_latest_publication(con, ranked: list[publications.Publication], key: str) -> None:
    """Views `current` (the staged lines of the latest publication holding their key) and `superseded`
    (the others, as rejected lines: « doublon exact » when the kept line is the same, else « révisée »)."""
    con.execute("CREATE TEMP TABLE pubs (source BIGINT, rank BIGINT)")
    con.executemany("INSERT INTO pubs VALUES (?, ?)", [(s, p.rank) for p in ranked for s in p.sources])
    con.execute("CREATE VIEW ranked AS SELECT s.*, p.rank FROM staged s JOIN pubs p USING (source)")
    # Per key held by several publications: the latest's rank, and its first line (its value and mass).
    order = f"rank * {_RANK_SHIFT} - (source * {_SOURCE_SHIFT} + ligne)"
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"""
        CREATE TEMP TABLE later AS
        SELECT {key}, max(rank) AS latest, arg_max(source * {_SOURCE_SHIFT} + ligne, {order}) AS winner,
               arg_max(valeur_eur, {order}) AS winner_value, arg_max(coalesce(masse_kg, -1), {order}) AS winner_mass
        FROM ranked GROUP BY ALL HAVING min(rank) < max(rank)""")
    con.execute(f"""
        CREATE VIEW current AS
        SELECT s.* EXCLUDE (rank) FROM ranked s LEFT JOIN later l USING ({key})
        WHERE l.latest IS NULL OR s.rank = l.latest""")
    same = "s.valeur_eur = l.winner_value AND coalesce(s.masse_kg, -1) = l.winner_mass"
    value = "CAST(CAST(s.valeur_eur AS BIGINT) AS VARCHAR)"
    where = f"w.name || ':' || CAST(l.winner % {_SOURCE_SHIFT} AS VARCHAR)"
    con.execute(f"""
        CREATE VIEW superseded AS
        SELECT n.name AS fichier, s.ligne, CAST(s.annee AS VARCHAR) AS annee, CAST(s.trimestre AS VARCHAR) AS periode,
               s.flux, s.code_departement, s.code_produit, s.code_pays, {value} AS valeur,
               CASE WHEN {same} THEN {_sql_text(MOTIF_DUPLICATE)} ELSE {_sql_text(common.MOTIF_REVISED)} END AS motif,
               CASE WHEN {same} THEN 'copie de ' || {where}
                    ELSE {_sql_text(common.REVISED_DETAIL)} || CAST(CAST(l.winner_value AS BIGINT) AS VARCHAR)
                         || ' (' || {where} || ')' END AS detail,
               s.source, l.winner // {_SOURCE_SHIFT} AS replaced_by, NOT ({same}) AS revised
        FROM ranked s JOIN later l USING ({key})
        JOIN names n ON n.source = s.source JOIN names w ON w.source = l.winner // {_SOURCE_SHIFT}
        WHERE s.rank < l.latest""")


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _deduplicate(con, stage: _Stage, lines: str) -> None:
    """`dup`, `final`, `duplicates` and `rejected` over the view `lines` (every staged line, or those of the
    latest publication of their key)."""
    # Lines sharing a key: an exact copy keeps its first line (in reading order); copies that disagree on
    # the value or the mass (or that give a mass and not the other) are all rejected. Grouped on the key as
    # one integer (`cle`, exact: see dgddi_keys) and plain aggregates (no DISTINCT), one part of the lines at
    # a time (a key lies in one part): each part's groups fit in STAGE_MEMORY, so DuckDB need not spill.
    # Only the lines whose key may be repeated (stage.seen, found while staging) are grouped: none at all
    # when no key is, the usual case.
    parts = _partitions(con, lines)
    con.execute("SET preserve_insertion_order = false")
    product = ", code_produit VARCHAR" if stage.exotic else ""
    con.execute(f"CREATE TEMP TABLE dup (cle BIGINT{product}, conflict BOOLEAN, first BIGINT)")
    for condition in _repeat_conditions(con, stage, parts):
        con.execute(f"""
            INSERT INTO dup SELECT {stage.key},
                   min(valeur_eur) <> max(valeur_eur) OR min(masse_kg) <> max(masse_kg)
                       OR (count(masse_kg) > 0 AND count(masse_kg) < count(*)) AS conflict,
                   min(source * {_SOURCE_SHIFT} + ligne) AS first
            FROM {lines} WHERE {condition} GROUP BY ALL HAVING count(*) > 1""")
    con.execute("SET preserve_insertion_order = true")  # the sorted parts below keep their order
    # The lines kept: a view that every total below reads; the canonical table is written from it one part
    # at a time, each sorted in memory (`sorted_parts`), so that nothing but the checked blocks is staged.
    kept = (f"{lines} s WHERE TRUE" if not con.execute("SELECT count(*) FROM dup").fetchone()[0] else
            f"{lines} s LEFT JOIN dup d USING ({stage.key}) WHERE (d.first IS NULL "
            f"OR (NOT d.conflict AND s.source * {_SOURCE_SHIFT} + s.ligne = d.first))")
    columns = ", ".join("s." + c for c in trade.CANONICAL_COLUMNS)
    stage.sorted_parts = [f"SELECT {columns} FROM {kept} AND {_part_condition(part, 's.')} "
                          f"ORDER BY {', '.join('s.' + c for c in stage.order)}" for part in parts]
    con.execute(f"CREATE VIEW final AS SELECT {columns} FROM {kept}")
    columns = ", ".join(REJECTED_COLUMNS)
    earlier = f" UNION ALL SELECT {columns} FROM superseded" if lines != "staged" else ""
    con.execute(f"""
        CREATE VIEW duplicates AS
        SELECT n.name AS fichier, s.ligne, CAST(s.annee AS VARCHAR) AS annee, CAST(s.trimestre AS VARCHAR) AS periode,
               s.flux, s.code_departement, s.code_produit, s.code_pays,
               CAST(CAST(s.valeur_eur AS BIGINT) AS VARCHAR) AS valeur,
               CASE WHEN d.conflict THEN {_sql_text(MOTIF_CONFLICT)} ELSE {_sql_text(MOTIF_DUPLICATE)} END AS motif,
               CASE WHEN d.conflict THEN 'valeur ' || CAST(CAST(s.valeur_eur AS BIGINT) AS VARCHAR)
                    ELSE 'copie de ' || f.name || ':' || CAST(d.first % {_SOURCE_SHIFT} AS VARCHAR) END AS detail
        FROM {lines} s JOIN dup d USING ({stage.key})
        JOIN names n ON n.source = s.source
        JOIN names f ON f.source = d.first // {_SOURCE_SHIFT}
        WHERE d.conflict OR s.source * {_SOURCE_SHIFT} + s.ligne <> d.first{earlier}""")
    blocks = (f"SELECT {columns} FROM read_parquet({_sql_path(stage.folder / 'rejected-*.parquet')}) UNION ALL "
              if stage.rejected_blocks else "")
    con.execute(f"CREATE VIEW rejected AS {blocks}SELECT {columns} FROM duplicates")


def _repeat_conditions(con, stage: _Stage, parts: list[tuple[int, str, str, str]]) -> list[str]:
    """The SQL conditions of the lines to group in search of duplicates, one query each: those whose key
    may be repeated (table `repeated`), none when no key may be, or every line part by part when too many
    keys may be (dgddi_keys.SeenKeys)."""
    import pyarrow as pa

    repeated = stage.seen.repeated()
    if repeated is None:
        return [_part_condition(part) for part in parts]
    if not len(repeated):
        return []
    con.register("repeated_keys", pa.table({"cle": repeated}))
    con.execute("CREATE TEMP TABLE repeated AS SELECT cle FROM repeated_keys")
    con.unregister("repeated_keys")
    return ["cle IN (SELECT cle FROM repeated)"]


def _partitions(con, lines: str) -> list[tuple[int, str, str, str]]:
    """The lines of the view `lines` cut, in the storage order, into parts of at most PARTITION_ROWS lines
    (a year, a flow and a run of départements; one département may exceed it): (year, flow, first and last
    département).
    Sorting or grouping all the lines at once spilled about 6 times the table's size to the staging folder."""
    parts: list[list] = []
    for year, flow, dep, rows in con.execute(
            f"SELECT annee, flux, code_departement, count(*) FROM {lines} GROUP BY ALL ORDER BY ALL").fetchall():
        last = parts[-1] if parts else None
        if last is not None and (last[0], last[1]) == (year, flow) and last[4] + rows <= PARTITION_ROWS:
            last[3], last[4] = dep, last[4] + rows
        else:
            parts.append([year, flow, dep, dep, rows])
    return [(int(y), str(f), str(a), str(b)) for y, f, a, b, _ in parts]


def _part_condition(part: tuple[int, str, str, str], alias: str = "") -> str:
    """The SQL condition selecting the lines of one part (columns prefixed with `alias`): a range of `cle`,
    which holds a year, a flow and a run of territories whole (dgddi_keys.span)."""
    low, high = dgddi_keys.span(dgddi_keys.key_space(dgddi.YEAR_MIN, dgddi.YEAR_MAX), *part)
    return f"{alias}cle BETWEEN {low} AND {high}"


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


def _write_rejected(con, path: Path) -> None:
    """lignes_rejetees.csv from DuckDB's `rejected`, by file and line, a batch at a time."""
    reader = _arrow_reader(con, "SELECT * FROM rejected UNION ALL SELECT * FROM national_rejected "
                                "ORDER BY fichier, ligne", REJECTED_BATCH_ROWS)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        first = True
        for batch in reader:
            frame = batch.to_pandas().reindex(columns=REJECTED_COLUMNS)
            for column in REJECTED_COLUMNS:
                if column != "ligne":
                    frame[column] = common.harmless_cells(frame[column].fillna(""), str)
            frame.to_csv(handle, sep=";", index=False, header=first, lineterminator="\n")
            first = False
        if first:
            pd.DataFrame(columns=REJECTED_COLUMNS).to_csv(handle, sep=";", index=False, lineterminator="\n")


def import_regional(found: Found, into: Path, *, progress: Progress | None = None,
                    source_names: list[str] | None = None, created: str = "") -> ImportReport:
    """Read and check the regional files of `found` and write the data folder `into` (the canonical table,
    rapport_import.json and lignes_rejetees.csv, which appear together); return the report.

    Raises:
        InputDataError: an unreadable file, or no usable line at all.
        OutputError: the folder cannot be written.
    """
    if not found.sources:
        raise InputDataError(console_text.national_alone_error([s.name for s in found.national]))
    try:
        with private_tmpdir() as folder:
            stage = _Stage(folder)
            report, con = _stage_and_describe(found, into, stage, progress, source_names, created)
            _write_outputs(con, report, stage.sorted_parts)
    except FichexError:
        raise
    except Exception as exc:
        # A Ctrl-C or `kill` that lands in DuckDB or Arrow comes back wrapped in their own error: it ends
        # the import as an interruption, like one landing in Python. A full disk there is the staging's.
        stopped = signal_exception()
        if stopped is not None:
            raise stopped from None
        if _disk_full(exc):
            raise OutputError(console_text.staging_disk_full(tempfile.gettempdir())) from None
        raise
    return report


def _disk_full(exc: BaseException) -> bool:
    """A write refused for want of space, as Python, Arrow or DuckDB report it."""
    return getattr(exc, "errno", None) == errno.ENOSPC or "No space left on device" in str(exc)


def _stage_and_describe(found: Found, into: Path, stage: _Stage, progress: Progress | None,
                        source_names: list[str] | None, created: str):
    """Stage the regional files, let DuckDB dedupe and sort them; the report and the open connection."""
    total = sum(source.size for source in [*found.sources, *found.national]) or None
    file_reports = check_into_stage(found, stage, progress, total)
    names = [source.name for source in found.sources]
    read = stage.read_totals()
    rows_read = int(read["lignes"].sum())
    if not stage.blocks:
        raise common.no_valid_line_error(rows_read, _reasons_of_blocks(stage), NO_VALID_LINE_FIX)
    con, overlapping = _connect(stage, names, found.inputs)
    try:
        figures = _figures(con, rows_read)
        replaced = _replaced(con, overlapping)
    except BaseException:
        con.close()
        raise
    if figures.per_file:
        file_reports = [FileReport(f.name, f.status, f.rows_read,
                                   f.rows_rejected + int(figures.per_file.get(f.name, 0)), f.columns, f.unit)
                        for f in file_reports]
    national_totals, gaps, national_warnings = _national(con, found, figures, progress, total, into)
    shown = source_names or names
    info = trade.DataSource(
        demonstration=found.demonstration,
        source=found.demonstration_text or console_text.regional_source(shown, found.demonstration),
        path=str(into / trade.TRADE_FILE_NAME), files=tuple([*names, *(s.name for s in found.national)]),
        created=created, national=national_totals)
    file_reports += [FileReport(name, console_text.IMPORT_STATUS_SKIPPED, reason=reason) for name, reason in found.skipped]
    file_reports += [FileReport(name, console_text.IMPORT_STATUS_ANNEX, reason=f"sha256 {digest[:12]}")
                     for name, digest in found.annexes]
    report = ImportReport(
        output=into / trade.TRADE_FILE_NAME, report_path=into / REPORT_FILE_NAME,
        rejected_path=into / REJECTED_FILE_NAME, files=tuple(file_reports), rows_read=rows_read,
        rows_kept=figures.rows_kept, rows_rejected=figures.rows_rejected, rejected_by_reason=figures.by_reason,
        rows_written=figures.rows_kept, totals=figures.totals, special_partners=figures.special_partners,
        warnings=tuple(replaced + _warnings(found, figures, into, shown) + national_warnings), info=info,
        reconciliation=_reconciliation(read, figures.kept_sums), annexes=tuple(n for n, _ in found.annexes),
        national_gaps=gaps)
    return report, con


def _national(con, found: Found, figures, progress: Progress | None, total: int | None, into: Path):
    """France's totals from the national files and their gaps to the regional sums; the national lines
    rejected as unreadable go to the table `national_rejected` (written with the other rejected lines) and
    are one warning (they are not rows of the table: the report's line counts stay the regional files')."""
    done_before = sum(source.size for source in found.sources)
    totals, gaps, rejected = national.national_reference(found.national, figures.regional, progress, done_before,
                                                         total)
    national.register_rejected(con, rejected)
    if not len(rejected):
        return totals, gaps, []
    counts = rejected.groupby("fichier", sort=True).size()
    warnings = [console_text.national_unreadable_warning(str(name), int(count), into / REJECTED_FILE_NAME)
                for name, count in counts.items()]
    return totals, gaps, warnings


@dataclass(frozen=True)
class _Figures:
    """What DuckDB tells of the staged lines: rejections, lines kept and the report's totals."""

    by_reason: dict[str, int]
    rows_kept: int
    rows_rejected: int
    per_file: dict[str, int]  # duplicates per file
    totals: tuple[dict, ...]
    special_partners: tuple[dict, ...]
    kept_sums: pd.DataFrame  # lines and euros kept per flow × year × département
    quarters: list  # (year, its quarters)
    regional: dict[tuple[int, str], float]  # (year, flow) → euros


def _figures(con, rows_read: int) -> _Figures:
    """The rejections and totals of the staged lines; raise when no line is kept."""
    by_reason = common.rejected_by_reason(con.execute("SELECT motif, count(*) FROM rejected GROUP BY motif").fetchall())
    rows_kept = con.execute("SELECT count(*) FROM final").fetchone()[0]
    if not rows_kept:
        raise common.no_valid_line_error(rows_read, by_reason, NO_VALID_LINE_FIX)
    per_file = dict(con.execute("SELECT fichier, count(*) FROM duplicates GROUP BY fichier").fetchall())
    # One scan of the sorted lines for every total the report needs (a few thousand groups at most).
    groups = con.execute("SELECT annee, flux, code_departement, code_pays, count(*) AS size, "
                         "sum(valeur_eur) AS total FROM final GROUP BY ALL").df()
    kept_sums = (groups.groupby(["flux", "annee", "code_departement"], as_index=False)
                 .agg(size=("size", "sum"), sum=("total", "sum")))
    kept_sums["annee"] = kept_sums["annee"].astype(str)
    quarters = con.execute("SELECT annee, list(DISTINCT trimestre) FROM final GROUP BY annee ORDER BY annee").fetchall()
    regional = {(int(y), str(f)): float(v) for (y, f), v in groups.groupby(["annee", "flux"])["total"].sum().items()}
    return _Figures(by_reason=by_reason, rows_kept=int(rows_kept), rows_rejected=sum(by_reason.values()),
                    per_file=per_file, totals=common.per_year_totals(groups, "total"),
                    special_partners=common.special_partners(groups, "total"), kept_sums=kept_sums,
                    quarters=quarters, regional=regional)


def _replaced(con, overlapping: list[publications.Publication]) -> list[str]:
    """The report's lines on overlapping publications: the rule, then per pair (earlier, later) the lines
    of the earlier one replaced, and how many of them the later one revised (a different value or mass)."""
    if not overlapping:
        return []
    of = {source: p for p in overlapping for source in p.sources}
    pairs: dict[tuple[int, int], list[int]] = {}
    for source, by, lines, revised in con.execute(
            "SELECT source, replaced_by, count(*), count(*) FILTER (WHERE revised) FROM superseded GROUP BY ALL"
    ).fetchall():
        counts = pairs.setdefault((of[source].rank, of[by].rank), [0, 0])
        counts[0] += int(lines)
        counts[1] += int(revised)
    ranked = sorted(overlapping, key=lambda p: p.rank)
    lines = [console_text.publications_rule([(p.label, p.latest) for p in ranked])]
    lines += [console_text.publication_replaced(ranked[earlier].label, ranked[later].label, replaced, revised)
              for (earlier, later), (replaced, revised) in sorted(pairs.items())]
    return lines


def _warnings(found: Found, figures: _Figures, into: Path, shown: list[str]) -> list[str]:
    """Demonstration data, partial years, rejected lines."""
    warnings = [console_text.partial_year_warning(grammar_text.period_label(int(year), tuple(int(q) for q in qs)))
                for year, qs in figures.quarters if len(set(qs)) < 4]
    present = {flow for _, flow in figures.regional}
    warnings += [console_text.missing_flow_warning(flow, shown) for flow in ("E", "I") if flow not in present]
    if figures.rows_rejected:
        warnings.append(console_text.rejected_lines_warning(figures.rows_rejected, into / REJECTED_FILE_NAME))
    if found.demonstration:
        warnings.insert(0, console_text.regional_demonstration_warning(shown))
    return warnings


def _reasons_of_blocks(stage: _Stage) -> dict[str, int]:
    """The rejections by motif of the staged blocks (before duplicates are looked for)."""
    import pyarrow.parquet as pq

    counts: dict[str, int] = {}
    for path in sorted(stage.folder.glob("rejected-*.parquet")):
        for motif in pq.read_table(path, columns=["motif"]).column("motif").to_pylist():
            counts[motif] = counts.get(motif, 0) + 1
    return common.rejected_by_reason(counts.items())


def _write_outputs(con, report: ImportReport, sorted_parts: list[str]) -> None:
    """The canonical table, the report and the rejected lines, written under temporary names and renamed
    together once all three are complete; the table from DuckDB, one sorted part at a time."""
    categories: dict[str, list] = {}

    def write_rejected(path: Path) -> None:
        _write_rejected(con, path)
        categories.update({column: [v for (v,) in con.execute(f"SELECT DISTINCT {column} FROM final ORDER BY 1")
                                    .fetchall()] for column in trade.CODE_COLUMNS})

    def write_table() -> None:
        trade.write_parquet_batches(_sorted_batches(con, sorted_parts, trade.ROW_GROUP_ROWS), report.output,
                                    report.info, categories, option=INTO)

    try:
        common.write_outputs_together(report, write_rejected, write_table)
    finally:
        con.close()


def _sorted_batches(con, queries: list[str], rows: int) -> Iterator:
    """The record batches of `queries`, one query after the other, read by a thread PREFETCH_BATCHES ahead
    of the one being written: DuckDB sorts the next part while Arrow encodes and compresses this one. The
    thread is stopped (its query interrupted) before this ends, however it ends."""
    import queue

    ready: queue.Queue = queue.Queue(PREFETCH_BATCHES)
    stop = threading.Event()
    done = object()

    def hand_over(item) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for sql in queries:
                for batch in _arrow_reader(con, sql, rows):
                    if not hand_over(batch):
                        return
            hand_over(done)
        except BaseException as exc:  # raised again where the batches are used
            hand_over(exc)

    thread = threading.Thread(target=produce, name="fichex-import-sort", daemon=True)
    thread.start()
    try:
        while (item := ready.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        if thread.is_alive():
            con.interrupt()
        thread.join()
