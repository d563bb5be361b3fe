"""Safe file output: write to a temporary name in the target folder, then rename into place."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from fichex.errors import OutputError


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, read by blocks."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ensure_dir(folder: Path, option: str = "--out-dir") -> Path:
    """Create a folder (and parents) or raise a French OutputError saying why it cannot be; `option` is the
    command-line option that named the folder, for the fix."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(_describe(folder, exc, option)) from None
    if not os.access(folder, os.W_OK):
        raise OutputError(
            f"dossier non accessible en écriture : {folder} ; choisissez un autre {option} ou corrigez ses droits"
        )
    return folder


def check_writable_dir(folder: Path, option: str = "--out-dir") -> None:
    """Fail early, without creating anything, when `folder` could not be created or written: a file in
    its place or on its path, or a parent without write permission."""
    folder = Path(folder)
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(_describe(existing, OSError(errno.ENOTDIR, "not a directory"), option))
    if not os.access(existing, os.W_OK):
        raise OutputError(f"dossier non accessible en écriture : {existing} ; choisissez un autre {option} ou "
                          "corrigez ses droits")


def _describe(path: Path, exc: OSError, option: str = "--out-dir") -> str:
    if exc.errno == errno.ENOSPC:
        return f"disque plein en écrivant {path} ; libérez de la place ou choisissez un autre {option}"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"écriture refusée : {path} ; choisissez un autre {option} ou corrigez ses droits"
    if exc.errno in (errno.EEXIST, errno.ENOTDIR):
        return f"un fichier porte déjà ce nom, ce n'est pas un dossier : {path} ; choisissez un autre {option}"
    return f"impossible d'écrire {path} (erreur système {exc.errno}) ; vérifiez le dossier de sortie"


def _temporary_name(target: Path) -> Path:
    """A new temporary file's path beside `target`, named as `tempfile.mkstemp` names one
    (`.<name>.<pid>.<8 random characters>.tmp`): the process id for `remove_stale_temporaries`."""
    return target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while creating or removing a temporary file, so that a second signal
    (Ctrl-C twice, or `kill` during the cleanup of a Ctrl-C) cannot leave it behind."""
    import signal
    import threading

    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def atomic_path(target: Path, option: str = "--out-dir") -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success rename it onto `target`, else delete it
    (`option`: the command-line option that named the folder, for the fix in error messages).

    Raises:
        OutputError: the folder cannot be created or written, or the disk is full.
    """
    target = Path(target)
    ensure_dir(target.parent, option)
    tmp: Path | None = None
    try:
        # A signal held during creation is delivered when the block ends, once `tmp` is known, so the cleanup
        # below always sees the file it has to remove. In a process with other threads (DuckDB's, Arrow's) the
        # signal may reach one of them and be raised here anyway, at any point: `tmp` is named before the file
        # is made, so that the cleanup knows it whenever the interruption lands.
        with _signals_blocked():
            while tmp is None:
                tmp = _temporary_name(target)
                try:
                    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                except FileExistsError:  # a name drawn twice (another's file): draw again
                    tmp = None
                except OSError as exc:
                    tmp = None
                    raise OutputError(_describe(target.parent, exc, option)) from None
        yield tmp
        with _signals_blocked():
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise OutputError(_describe(target, exc, option)) from None
    except BaseException:
        _remove(tmp)
        raise


PRIVATE_TMP_PREFIX = "fichex-tmp-"
STALE_PRIVATE_TMP_SECONDS = 3600


PRIVATE_TMP_REMOVAL_ATTEMPTS = 10  # 0.05 s, then twice as long each time, at most 1 s: about 5 s in all


@contextlib.contextmanager
def private_tmpdir() -> Iterator[Path]:
    """A folder of our own in the system's temporary folder for a library's scratch files (XlsxWriter's
    parts while it zips a workbook, an import's staging), removed with everything in it when the block
    ends, interrupted or not. Its name carries the process id (`fichex-tmp-<pid>-…`): a process killed
    outright leaves it, and `remove_stale_private_tmpdirs` removes it at a later start."""
    import shutil

    folder: Path | None = None
    try:
        # As in atomic_path: a signal held during creation is delivered when the block ends, inside this
        # `try`, once `folder` is known.
        with _signals_blocked():
            folder = Path(tempfile.mkdtemp(prefix=f"{PRIVATE_TMP_PREFIX}{os.getpid()}-"))
        yield folder
    finally:
        # As _remove: a second signal may land here. A library's threads (Arrow's writers, DuckDB's spill)
        # can still write a file in the folder for a moment after an interruption: try again, a little
        # later each time, for about five seconds at most.
        for attempt in range(PRIVATE_TMP_REMOVAL_ATTEMPTS if folder is not None else 0):
            try:
                with _signals_blocked():
                    shutil.rmtree(folder, ignore_errors=True)
                if not folder.exists():
                    break
                time.sleep(min(0.05 * 2 ** attempt, 1.0))
            except (KeyboardInterrupt, SystemExit):
                continue


def remove_stale_private_tmpdirs(older_than: float = STALE_PRIVATE_TMP_SECONDS) -> None:
    """Remove the private temporary folders of processes that are gone (killed outright: kill -9, power
    loss). A folder whose process still runs is kept; one without a process id in its name (an older
    fichex) is removed once older than `older_than` seconds."""
    import shutil
    import time

    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob(f"{PRIVATE_TMP_PREFIX}*"):
        pid = folder.name[len(PRIVATE_TMP_PREFIX):].split("-", 1)[0]
        try:
            if not folder.is_dir() or (_alive(int(pid)) if pid.isdigit() else now - folder.stat().st_mtime
                                       <= older_than):
                continue
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def remove_orphan_temporary_files(folder: Path) -> None:
    """Remove from `folder` the temporary files of `atomic_path` (`.<name>.<pid>.<random>.tmp`) whose
    process is gone: a run killed outright left them half-written."""
    import re

    pattern = re.compile(r"^\..+\.(\d+)\.[a-z0-9_]{8}\.tmp$")
    try:
        candidates = list(Path(folder).glob(".*.tmp"))
    except OSError:
        return
    for path in candidates:
        match = pattern.match(path.name)
        if match and not _alive(int(match.group(1))):
            with contextlib.suppress(OSError):
                if path.is_file():
                    path.unlink()


POOL_MARKER_PREFIX = "fichex-pool-"


@contextlib.contextmanager
def pool_marker(pool_folder: str) -> Iterator[None]:
    """While a parallel build runs, note in the temporary folder which `pymp-*` folder multiprocessing gave
    this process (its forkserver socket lives there), so that if the process is killed outright
    (kill -9) the next build can remove it: `remove_orphan_pool_folders`. Removed at the end."""
    import os

    marker = Path(tempfile.gettempdir()) / f"{POOL_MARKER_PREFIX}{os.getpid()}"
    try:
        marker.write_text(pool_folder, encoding="utf-8")
    except OSError:
        marker = None
    try:
        yield
    finally:
        if marker is not None:
            marker.unlink(missing_ok=True)


def remove_orphan_pool_folders() -> None:
    """Remove the `pymp-*` folders of fichex builds killed outright: only those a pool marker names, and
    only when the process that wrote the marker is gone. No other program's folder is ever touched (a
    live process may keep an idle `pymp-*` folder with no socket in it)."""
    import shutil

    temp = Path(tempfile.gettempdir())
    for marker in temp.glob(f"{POOL_MARKER_PREFIX}*"):
        pid = marker.name[len(POOL_MARKER_PREFIX):]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        try:
            folder = Path(marker.read_text(encoding="utf-8").strip())
            if folder.parent == temp and folder.name.startswith("pymp-"):
                shutil.rmtree(folder, ignore_errors=True)
            marker.unlink(missing_ok=True)
        except OSError:
            continue


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: alive
    return True


def _remove(tmp: Path | None) -> None:
    if tmp is None:
        return
    for _ in range(3):  # a second Ctrl-C or `kill` may land here before signals are held: try again
        try:
            with _signals_blocked():
                tmp.unlink(missing_ok=True)
            return
        except (KeyboardInterrupt, SystemExit):
            continue


_RECEIVED: dict[str, int | None] = {"signal": None}  # the signal stop_once_on_signals turned into an exception


def stop_once_on_signals(exit_after: float | None = None) -> None:
    """Turn the first SIGINT or SIGTERM into KeyboardInterrupt / SystemExit and ignore the next ones,
    so that cleanup code runs to its end (used by the CLI and by build workers).

    Args:
        exit_after: seconds after which the process ends anyway (build workers: an interruption that lands
            in the pool's own code is caught there, and the worker would then wait for work forever).
    """
    import os
    import signal
    import sys
    import threading

    state = {"stopping": False}

    def handler(signum, frame):
        if state["stopping"]:
            return
        state["stopping"] = True
        _RECEIVED["signal"] = signum
        if exit_after is not None:
            timer = threading.Timer(exit_after, os._exit, (128 + signum,))
            timer.daemon = True
            timer.start()
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        sys.exit(128 + signum)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def signal_exception() -> BaseException | None:
    """The exception stop_once_on_signals raised for the signal this process received (KeyboardInterrupt
    for SIGINT, SystemExit(128 + signal) otherwise), or None when none was. For a library (DuckDB, Arrow)
    that catches it and raises its own error in its place: the caller raises this one instead."""
    import signal

    signum = _RECEIVED["signal"]
    if signum is None:
        return None
    return KeyboardInterrupt() if signum == signal.SIGINT else SystemExit(128 + signum)
