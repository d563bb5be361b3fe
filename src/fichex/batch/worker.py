"""One process's share of a batch build: the data loaded and aggregated once, then one target at a time.

Every process reads the same data: a worker opens the data file its build pinned (`TradeData.pin`) and
fails each of its targets with one French line if the file is no longer that one; every query checks it
again (data/store.py).

The state lives in this module because `concurrent.futures` workers are set up by an initializer that
can only reach module globals; the serial path of `batch.build` uses the same state in the main process.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from fichex.wording import console as console_text
from fichex.aggregation.aggregate import FicheBuilder
from fichex.atomic import ensure_dir, stop_once_on_signals
from fichex.batch import index_page
from fichex.batch.results import FileInfo, TargetResult
from fichex.batch.targets import Target, output_paths
from fichex.data import trade as trade_module
from fichex.data.lock import FileState
from fichex.errors import FichexError

STALE_AFTER_SECONDS = 600
# An interrupted worker has this long to remove its temporaries before it ends regardless.
WORKER_EXIT_AFTER_SECONDS = 5.0


@dataclass
class _State:
    builder: FicheBuilder | None
    template: Path | None
    in_worker: bool
    profile: Path | None = None  # LibreOffice user profile, created on the first PDF
    failure: str = ""  # why this worker could not open its build's data: each of its targets fails with it


_STATE: dict[str, _State] = {}
# The garbage collector's thresholds while this process builds (Python's default is 700, 10, 10): about 40 %
# less of its time over a batch, some 15 MB more at the peak of a process. The collector is off during each
# target (_collector_paused); these apply between targets and while a workbook too big for memory is written.
GC_THRESHOLD = (10_000, 20, 20)
_GC_THRESHOLD_BEFORE: list[tuple[int, int, int]] = []


def start(trade: trade_module.TradeData, template: Path | None, *, in_worker: bool = False) -> None:
    """Set this process up to build targets from `trade`.

    What is loaded by then (modules, the data, the reference tables) lives as long as the build: it is
    frozen out of the garbage collector's reach (`gc.freeze`), so that each collection during the build
    scans the targets' own objects only, not those hundreds of thousands again; and the collector runs
    less often (GC_THRESHOLD: a target allocates millions of objects, most freed as soon as unused). `stop` puts
    both back as they were.
    """
    _STATE["current"] = _State(FicheBuilder(trade), template, in_worker)
    if not _GC_THRESHOLD_BEFORE:  # a second start without a stop keeps the first one's to restore
        _GC_THRESHOLD_BEFORE.append(gc.get_threshold())
    gc.set_threshold(*GC_THRESHOLD)
    gc.freeze()


def start_in_worker(data_path: str, template: Path | None, pin: FileState | None = None) -> None:
    """Pool initializer: load the data file the main process has validated (in the state `pin` it opened
    it in), and clean up at exit."""
    stop_once_on_signals(exit_after=WORKER_EXIT_AFTER_SECONDS)
    try:
        start(trade_module.load(data_path, validated=False, pin=pin), template, in_worker=True)
    except FichexError as exc:  # an initializer that raises breaks the pool: each target says why instead
        _STATE["current"] = _State(None, template, True, failure=str(exc))
    # multiprocessing children leave through os._exit, skipping atexit: its own finalizers do run.
    from multiprocessing.util import Finalize

    Finalize(None, stop, exitpriority=10)


def stop() -> None:
    """Forget this process's state and remove its LibreOffice profile."""
    state = _STATE.pop("current", None)
    gc.unfreeze()
    if _GC_THRESHOLD_BEFORE:
        gc.set_threshold(*_GC_THRESHOLD_BEFORE.pop())
    if state is not None and state.profile is not None:
        shutil.rmtree(state.profile, ignore_errors=True)


def build_target(target: Target, year: int, formats: tuple[str, ...], out_dir: Path, command: str) -> TargetResult:
    """Build one target's files; a failure is reported in the result, never raised (but an interruption)."""
    start_time = time.perf_counter()
    state = _STATE["current"]
    result = TargetResult(target.code, target.nom, "built", level=target.level)
    try:
        if state.failure:
            raise FichexError(state.failure)
        paths = output_paths(out_dir, year, target)
        with _collector_paused():
            if target.level == "territoire":
                _write_territoire_documents(state, target, year, formats, paths, command)
            else:
                fiche = _write_documents(state, target, year, formats, paths, command)
                result.figures = index_page.figures_of(fiche)
        result.files = [FileInfo.of(paths[fmt]) for fmt in formats if paths[fmt].exists()]
    except FichexError as exc:
        result.status, result.reason = "failed", str(exc)
    except Exception as exc:  # one target's bug must not stop the others; reported with its type
        result.status, result.reason = "failed", console_text.unexpected_error(exc)
    except (KeyboardInterrupt, SystemExit):
        # Temporary files are already removed (atomic.atomic_path). A worker stops here rather than
        # taking the next target; in the main process the interruption goes up to the CLI.
        if state.in_worker:
            os._exit(130)
        raise
    result.seconds = time.perf_counter() - start_time
    return result


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a target is built, then one pass over what the target left.

    A target's deck leaves its python-pptx objects in reference cycles (parts and their package): a few tens
    of MB that collections during the target would scan again and again, and promote to older generations
    where they would wait for a rare full pass (a worker then held about half as much memory again). Off
    for the target, they are all young at its end, and one pass over the young generation frees them. A
    département's, région's or France's workbook too big to be written in memory turns the collector on for
    its own writing (render/xlsx); a Territoire d'industrie's (its few départements' Données) is written with
    it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(0)


def _write_territoire_documents(state: _State, target: Target, year: int, formats: tuple[str, ...],
                                paths: dict[str, Path], command: str) -> None:
    """A Territoire d'industrie's deck and workbook: its départements' fiches, one after the other."""
    from fichex.render.pptx.territoire import write_territoire_deck
    from fichex.render.xlsx.territoire import write_territoire_workbook

    fiches = [state.builder.build(code, year) for code in target.departements]
    folder = ensure_dir(paths["xlsx"].parent)
    remove_stale_temporaries(folder)
    if "xlsx" in formats:
        write_territoire_workbook(target.nom, fiches, paths["xlsx"], command=command)
    write = lambda path: write_territoire_deck(target.nom, fiches, path, template=state.template)  # noqa: E731
    if "pptx" in formats:
        write(paths["pptx"])
    if "pdf" in formats:
        _write_pdf(state, write, formats, paths)


def _write_documents(state: _State, target: Target, year: int, formats: tuple[str, ...],
                     paths: dict[str, Path], command: str):
    """Write the target's documents; the `Fiche` they show."""
    from fichex.render.pptx import write_deck
    from fichex.render.xlsx import write_workbook

    fiche = state.builder.build_level(target.level, target.code, year)
    folder = ensure_dir(paths["xlsx"].parent)
    remove_stale_temporaries(folder)
    if "xlsx" in formats:
        write_workbook(fiche, paths["xlsx"], command=command)
    if "pptx" in formats:
        write_deck(fiche, paths["pptx"], template=state.template)
    if "pdf" in formats:
        _write_pdf(state, lambda path: write_deck(fiche, path, template=state.template), formats, paths)
    return fiche


def _write_pdf(state: _State, write_deck, formats: tuple[str, ...], paths: dict[str, Path]) -> None:
    """The deck as PDF (from the .pptx just written, or from a hidden one removed after), and the index
    page's thumbnail of its first page when poppler is installed."""
    from fichex.render.pdf import convert_to_pdf
    from fichex.render.thumbnail import write_thumbnail

    deck = paths["pptx"] if "pptx" in formats else paths["pptx"].parent / f".{paths['pptx'].name}"
    try:
        if deck != paths["pptx"]:
            write_deck(deck)
        convert_to_pdf(deck, paths["pdf"], _libreoffice_profile(state))
    finally:
        if deck != paths["pptx"]:
            deck.unlink(missing_ok=True)
    write_thumbnail(paths["pdf"])


def _libreoffice_profile(state: _State) -> Path:
    if state.profile is None:
        state.profile = Path(tempfile.mkdtemp(prefix="fichex-lo-"))
    return state.profile


def remove_stale_temporaries(folder: Path) -> None:
    """Remove temporaries left by a process killed without warning (SIGKILL, power loss); recent ones may
    belong to another build still running in the same folder."""
    if folder.is_dir():
        now = time.time()
        for stale in folder.glob(".commerce-exterieur-*.tmp"):
            try:
                if now - stale.stat().st_mtime > STALE_AFTER_SECONDS:
                    stale.unlink(missing_ok=True)
            except OSError:
                continue
