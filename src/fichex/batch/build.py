"""Build the documents of many départements: check everything first, skip what is up to date, build the
rest in this process or in parallel workers, record what was built in the manifest, then rewrite the
folder's index.html from it."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import multiprocessing.util
import os
import shlex
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from fichex.wording import console as console_text
from fichex.version import __version__
from fichex.atomic import file_sha256, pool_marker
from fichex.batch import index_page
from fichex.batch import manifest as manifest_file
from fichex.batch import pool_internals, worker
from fichex.batch.results import BuildResult, TargetResult
from fichex.batch.targets import (Target, output_paths, parse_formats, parse_levels, resolve_level_targets,
                                  substitution_notes)
from fichex.data import trade as trade_module
from fichex.data.store import ParquetStore
from fichex.defaults import DEFAULT_FORMATS, DEFAULT_OUT_DIR
from fichex.errors import InputDataError, OutputError

OnResult = Callable[[TargetResult, int, int], None]


@dataclass
class _Plan:
    """A build checked and ready to run."""

    targets: list[Target]
    notes: list[str]
    year: int
    formats: tuple[str, ...]
    out_dir: Path
    template: Path | None
    trade: trade_module.TradeData
    fingerprint: str
    command: str
    created: Path | None = None  # the outermost folder this build created: removed if the build leaves it empty


def build(codes: Sequence[str] = (), *, region: str | None = None, all_departements: bool = False,
          year: int | None = None, formats: str | Sequence[str] = DEFAULT_FORMATS,
          out_dir: Path | str = DEFAULT_OUT_DIR, data: Path | str | None = None,
          template: Path | str | None = None, jobs: int | None = None, force: bool = False,
          command: str | None = None, on_result: OnResult | None = None,
          levels: str | Sequence[str] | None = None, territoires: Sequence[str] = ()) -> BuildResult:
    """Build the workbook, deck and/or PDF of each target: départements, régions, France, Territoires
    d'industrie.

    Targets, formats, template and data are checked before any work starts. Each target is independent:
    a failure is recorded in its result and the others go on. Outputs are written atomically; a target
    whose files were produced from the same inputs (data, template, fichex code and version, year,
    formats) is skipped unless `force`.

    Args:
        codes: département codes (région codes when `levels` starts with « region »); region: a région
            code (its départements); all_departements: every fiche of each level asked.
        levels: « departement », « region », « france », « territoire », several with commas, or « tout ».
        territoires: Territoires d'industrie by name, unambiguous prefix or identifier (one deck each).
        year: the data year (default: the last complete year of the data); formats: « xlsx,pptx,pdf » or a sequence; out_dir: the output folder.
        data: a data folder or Parquet file (default: $FICHEX_DATA, else the demonstration data).
        template: a branded .pptx/.potx (default: the bundled one).
        jobs: worker processes (default: number of cores; 1 = in this process).
        force: rebuild even up-to-date targets.
        command: the command line written on the workbook's Méthode sheet and in the manifest (default:
            the `fichex build` command equivalent to this call).
        on_result: called after each target with (result, done, total), for progress displays.

    Raises:
        UnknownCodeError, InputDataError, TemplateError, OutputError, DependencyError: before any work.
    """
    start = time.perf_counter()
    plan = _plan(codes, region, all_departements, year, formats, out_dir, data, template, force, command,
                 levels, territoires)
    manifest = manifest_file.read(plan.out_dir)
    results, pending = _skip_up_to_date(plan, manifest, force)
    done = len(results)
    for n, result in enumerate(results.values(), 1):
        if on_result:
            on_result(result, n, len(plan.targets))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(pending) or 1))
    runner = _run_serial if jobs == 1 or len(pending) <= 1 else _run_pool
    runs = runner(plan, pending, jobs)
    interrupted = True
    try:
        for result in runs:
            results[result.key] = result  # already in the manifest (the runners record as targets complete)
            done += 1
            if on_result:
                on_result(result, done, len(plan.targets))
        interrupted = False
    finally:
        # Interrupted here: closing the runner now (not when the traceback is freed) lets the pool finish
        # the targets it started and enter them in the manifest.
        runs.close()
        worker.stop()
        plan.trade.release()  # imports into the data folder may go on
        if interrupted:
            # The page then lists what the manifest holds, the targets finished before the interruption
            # included; failing to write it must not hide the interruption.
            with contextlib.suppress(Exception):
                index_page.refresh(plan.out_dir, wrote_documents=True)
        if plan.created is not None:
            _remove_empty_folders(plan.created)  # every target refused: the build leaves no folder behind
    index = index_page.refresh(plan.out_dir, wrote_documents=any(r.status == "built" for r in results.values()))
    info = plan.trade.info
    return BuildResult(plan.out_dir, plan.year, [results[t.key] for t in plan.targets],
                       time.perf_counter() - start, demonstration=info.demonstration, data_source=info.source,
                       notes=plan.notes, index=index)


def _plan(codes, region, all_departements, year, formats, out_dir, data, template, force, command,
          levels=None, territoires=()) -> _Plan:
    """Check every input, in order of cost, and create the output folder only when all are good."""
    from fichex.atomic import ensure_dir, remove_orphan_pool_folders, remove_stale_private_tmpdirs

    levels = parse_levels(levels)
    chosen = dict(levels=levels, region=region, all_targets=all_departements, territoires=territoires)
    resolve_level_targets(codes, **chosen)  # a bad code fails before the data is read
    formats = parse_formats(formats)
    out_dir = Path(out_dir)
    if "pdf" in formats:
        from fichex.render.pdf import require_libreoffice

        require_libreoffice()
    template_path = Path(template) if template else None
    if "pptx" in formats or "pdf" in formats:
        from fichex.render.brand import load_brand
        from fichex.render.template import load_template

        if template_path is not None:
            load_template(template_path)  # a bad template fails once, before any work
        load_brand(template_path)  # and so does the brand.toml beside it
    trade = trade_module.load(data, hold=True)  # validated once, before any work; held until the run ends
    asked_year, year = year, trade.default_year if year is None else year
    if year not in trade.years:
        raise InputDataError(console_text.no_data_for_year(year, trade.years))
    totals = trade.store.totals()
    present = set(totals.loc[(totals["annee"] == year) & (totals["lignes"] > 0), "flux"].astype(str))
    for flow in ("E", "I"):
        if flow not in present:  # its ranks « 1er sur 0 », shares and balance would be printed as figures
            raise InputDataError(console_text.absent_flow_build_error(flow, year))
    targets = resolve_level_targets(codes, **chosen, present=trade.departements)
    notes = substitution_notes(codes, trade.departements) if levels[:1] == ("departement",) else []
    options = {"data": str(data) if data else None, "template": str(template_path) if template_path else None}
    fingerprint = manifest_file.inputs_fingerprint(trade.info.path, template_path, year, formats, options,
                                                   data_sha256=trade.content_sha256())
    if command is None:
        command = equivalent_command(codes, region=region, all_departements=all_departements, year=asked_year,
                                     formats=formats, out_dir=out_dir, data=data, template=template_path,
                                     force=force, levels=levels, territoires=territoires)
    created = next((folder for folder in reversed((out_dir, *out_dir.parents)) if not folder.exists()), None)
    ensure_dir(out_dir)  # only once everything else has been checked: a refused build leaves nothing
    remove_stale_private_tmpdirs()  # scratch folders of builds killed outright (kill -9, power loss)
    remove_orphan_pool_folders()    # and multiprocessing's own (pymp-*) of fichex builds that are gone
    return _Plan(targets, notes, year, formats, out_dir, template_path, trade, fingerprint, command, created)


# The options naming a folder or a file of the machine that builds.
PATH_OPTIONS = ("--out-dir", "--data", "--template")


def portable_command(command: str) -> str:
    """The command as the documents record it (the workbook's Méthode): without the options that name a folder
    or a file of the machine that built (PATH_OPTIONS), so that a workbook sent to others carries no local path
    and the same build into two folders gives the same bytes. The manifest, which stays beside the documents,
    keeps the command whole."""
    kept: list[str] = []
    words = iter(shlex.split(command))
    for word in words:
        if word in PATH_OPTIONS:
            next(words, None)  # and its value
        elif not word.startswith(tuple(f"{option}=" for option in PATH_OPTIONS)):
            kept.append(word)
    return shlex.join(kept)


def equivalent_command(codes: Sequence[str] = (), *, region: str | None = None, all_departements: bool = False,
                       year: int | None = None, formats: Sequence[str] = DEFAULT_FORMATS,
                       out_dir: Path | str = DEFAULT_OUT_DIR, data: Path | str | None = None,
                       template: Path | str | None = None, force: bool = False,
                       levels: Sequence[str] = ("departement",), territoires: Sequence[str] = ()) -> str:
    """The `fichex build` command line that does what a library call of `build` does (defaults omitted)."""
    parts = ["fichex", "build", *codes]
    if tuple(levels) != ("departement",):
        parts += ["--level", ",".join(levels)]
    for name in territoires:
        parts += ["--territoire", name]
    if region is not None:
        parts += ["--region", region]
    if all_departements:
        parts.append("--all")
    if year is not None:
        parts += ["--year", str(year)]
    if tuple(formats) != DEFAULT_FORMATS:
        parts += ["--formats", ",".join(formats)]
    if Path(out_dir) != Path(DEFAULT_OUT_DIR):
        parts += ["--out-dir", str(out_dir)]
    if data:
        parts += ["--data", str(data)]
    if template:
        parts += ["--template", str(template)]
    if force:
        parts.append("--force")
    return shlex.join(parts)


def _skip_up_to_date(plan: _Plan, manifest: dict, force: bool) -> tuple[dict[str, TargetResult], list[Target]]:
    """Results of the targets whose files are up to date, and the targets left to build."""
    skipped: dict[str, TargetResult] = {}
    pending = []
    for dep in plan.targets:
        files = None if force else manifest_file.up_to_date(dep, plan.year, plan.formats, plan.out_dir, manifest,
                                                             plan.fingerprint)
        if files is None:
            pending.append(dep)
        else:
            skipped[dep.key] = TargetResult(dep.code, dep.nom, "skipped", files, console_text.SKIPPED_REASON, level=dep.level)
    return skipped, pending


def _run_serial(plan: _Plan, pending: list[Target], jobs: int) -> Iterator[TargetResult]:
    """Build the targets one after the other in this process."""
    if pending:
        worker.start(plan.trade, plan.template)
    for dep in pending:
        result = worker.build_target(dep, plan.year, plan.formats, plan.out_dir, portable_command(plan.command))
        _record_or_discard(plan, dep, result)
        yield result


# The forkserver listens on a Unix socket in the temporary folder, whose path may not exceed 107 bytes on
# Linux (104 on macOS): `pymp-XXXXXXXX/listener-XXXXXXXX` adds about 32 to the folder's own path.
UNIX_SOCKET_PATH_MAX = 104
FORKSERVER_SOCKET_SUFFIX = 32


def pool_start_method(temp_dir: str | None = None) -> str:
    """How the pool's workers start: « forkserver » (fast, and safe beside threads), or « spawn » on Windows and
    where the temporary folder's path is too long for the forkserver's socket (a long $TMPDIR would otherwise
    end the build with « AF_UNIX path too long »)."""
    import tempfile

    if sys.platform == "win32":
        return "spawn"
    folder = temp_dir if temp_dir is not None else tempfile.gettempdir()
    if len(os.fsencode(folder)) + FORKSERVER_SOCKET_SUFFIX > UNIX_SOCKET_PATH_MAX:
        return "spawn"
    return "forkserver"


def _run_pool(plan: _Plan, pending: list[Target], jobs: int) -> Iterator[TargetResult]:
    """Build the targets in `jobs` worker processes, each loading the data once; results as they finish."""
    data_path = plan.trade.info.path
    # Workers open the data themselves (a file queried in place is shared through the page cache; a table
    # held in memory here is let go before they start).
    if not isinstance(plan.trade.store, ParquetStore):
        plan.trade = plan.trade.without_rows()
        _release_memory()
    context = multiprocessing.get_context(pool_start_method())
    try:
        yield from _pooled(plan, pending, jobs, context, data_path)
    finally:
        # The pool is joined (its executor shut down with wait=True): its helpers go too, so that no process of
        # the build outlives it.
        pool_internals.stop_pool_helpers()


def _pooled(plan: _Plan, pending: list[Target], jobs: int, context, data_path: str) -> Iterator[TargetResult]:
    """The pool itself, joined when this generator ends (finished, interrupted or closed)."""
    with pool_marker(multiprocessing.util.get_temp_dir()), \
            cf.ProcessPoolExecutor(jobs, mp_context=context, initializer=worker.start_in_worker,
                                   initargs=(data_path, plan.template, plan.trade.pin)) as pool:
        futures = {pool.submit(worker.build_target, dep, plan.year, plan.formats, plan.out_dir,
                               portable_command(plan.command)): dep
                   for dep in pending}
        recorded: set[cf.Future] = set()
        try:
            for future in cf.as_completed(futures):
                try:
                    result = future.result()
                except Exception as exc:  # a worker died (killed, out of memory)
                    dep = futures[future]
                    result = TargetResult(dep.code, dep.nom, "failed", reason=console_text.worker_died(exc), level=dep.level)
                _record_or_discard(plan, futures[future], result)
                recorded.add(future)  # only once in the manifest: an interruption above records it below
                yield result
        except BaseException:
            # Interrupted: the targets already started finish (their files are complete) and enter the
            # manifest, so that it describes what the folder holds.
            pool.shutdown(wait=True, cancel_futures=True)
            for future in futures:
                if future not in recorded and future.done() and not future.cancelled() and future.exception() is None:
                    result = future.result()
                    if result.status == "built":
                        _record(plan, result)
            raise


def _release_memory() -> None:
    import gc

    gc.collect()
    trade_module.release_unused_memory()


# --- A failed target leaves no file the manifest does not describe, and no empty folder -----------------------

PARTIAL_REMOVED = "retiré(s) pour ne pas laisser une fiche incomplète hors du manifeste : {names}"


def _record_or_discard(plan: _Plan, target: Target, result: TargetResult) -> None:
    if result.status == "built":
        _record(plan, result)
    else:
        _discard_partial(plan, target, result)


def _discard_partial(plan: _Plan, target: Target, result: TargetResult) -> None:
    """After a target failed partway (its workbook written, then the disk full for its deck): remove its files
    that the manifest does not describe as they are, with their stale entries, and the folders left empty;
    the result's reason names what was removed."""
    paths = [path for fmt, path in output_paths(plan.out_dir, plan.year, target).items() if fmt in plan.formats]
    removed: list[Path] = []
    # Best effort: the build goes on with its other targets if the folder is gone or the disk still full.
    with contextlib.suppress(OSError, OutputError), manifest_file.locked(plan.out_dir):
        manifest = manifest_file.read(plan.out_dir)
        stale = False
        for path in paths:
            key = manifest_file.key_of(plan.out_dir, path)
            if path.is_file() and not _described(path, manifest["fichiers"].get(key)):
                path.unlink()
                removed.append(path)
                stale = manifest["fichiers"].pop(key, None) is not None or stale
        if stale:
            manifest_file.write(plan.out_dir, manifest)
    if removed:
        result.reason = f"{result.reason} ; {PARTIAL_REMOVED.format(names=', '.join(p.name for p in removed))}"
    for folder in (paths[0].parent, paths[0].parent.parent):
        if folder != plan.out_dir and plan.out_dir in folder.parents:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty


def _described(path: Path, entry: object) -> bool:
    """Whether a manifest entry describes the file as it is on disk (size and sha256)."""
    return (isinstance(entry, dict) and entry.get("size") == path.stat().st_size
            and entry.get("sha256") == file_sha256(path))


def _remove_empty_folders(folder: Path) -> None:
    """Remove `folder` and the folders under it when no file is left in them (rmdir refuses any other)."""
    for root, _dirs, _files in os.walk(folder, topdown=False):
        with contextlib.suppress(OSError):
            os.rmdir(root)


def _record(plan: _Plan, result: TargetResult) -> None:
    """Enter a target's files into the manifest as soon as they are built (they are complete)."""
    info = plan.trade.info
    provenance = {"annee": plan.year, "donnees_demonstration": info.demonstration,
                  "empreinte_entrees": plan.fingerprint, "fichex": __version__, "donnees": info.path,
                  "source_donnees": info.source, "modele": str(plan.template or console_text.BUILTIN_TEMPLATE),
                  "commande": plan.command}
    manifest_file.update(plan.out_dir, result, provenance)
