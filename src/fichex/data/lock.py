"""The data a run reads cannot change under it: the state a data file is pinned to, and the advisory locks
(POSIX `flock`) that runs and imports of one data folder take.

- A build holds a shared lock on the Parquet file it reads, from the moment it opens it until its last
  target is written (`hold_shared`). Its worker processes take no lock: they check that the file they
  open is the one the build pinned (`FileState`), and every query checks it again after it ran.
- An import holds an exclusive lock on the Parquet file it replaces, which it gets only once no run reads
  it, and on its data folder, so that imports into one folder take turns (`importing`), both for its
  whole run. It waits, saying so on stderr, and gives up after $FICHEX_LOCK_WAIT seconds (30 minutes by
  default) with one French line; so does a build waiting for an import.

The locks live on the files themselves (the folder, the Parquet file): nothing is written for them. A
writer that does not take them (a copy by hand, an older fichex) is still caught by the state checks: the
run then fails with one French line instead of mixing two datasets. Where `fcntl` is missing (Windows),
only the state checks apply.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fichex.errors import InputDataError, OutputError

WAIT_ENV_VAR = "FICHEX_LOCK_WAIT"
DEFAULT_WAIT_SECONDS = 1800.0
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class FileState:
    """Which file a path named, and in which state: device, inode, size, modification time. A file replaced
    (renamed over) has another inode; a file rewritten in place has another size or modification time."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, stat: os.stat_result) -> FileState:
        return cls(stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)

    @classmethod
    def at(cls, path: Path) -> FileState | None:
        """The state of the file `path` names now, None when there is none."""
        try:
            return cls.of(os.stat(path))
        except OSError:
            return None


def changed_error(path: Path | str) -> InputDataError:
    """The error of a run whose data file changed after the run opened it."""
    return InputDataError(
        f"les données ont changé pendant la lecture : {path} a été remplacé ou modifié (un import ?) ; "
        "relancez la commande une fois l'import terminé"
    )


def check_unchanged(path: Path | str, state: FileState) -> None:
    """Raise `changed_error` unless `path` still names the file in `state`."""
    if FileState.at(Path(path)) != state:
        raise changed_error(path)


def wait_seconds() -> float:
    """How long a run or an import waits for a lock: $FICHEX_LOCK_WAIT seconds, else 30 minutes."""
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV_VAR, "")))
    except ValueError:
        return DEFAULT_WAIT_SECONDS


def _flock():
    try:
        import fcntl
    except ImportError:  # Windows: no advisory lock, the state checks remain
        return None
    return fcntl


def _acquire(descriptor: int, exclusive: bool, waiting: str, timeout_error) -> None:
    """Take the lock on `descriptor`, at once or after waiting: `waiting` is said once on stderr; past
    wait_seconds(), `timeout_error(seconds)` is raised."""
    fcntl = _flock()
    if fcntl is None:
        return
    mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
    started = time.monotonic()
    said = False
    while True:
        try:
            fcntl.flock(descriptor, mode)
            return
        except BlockingIOError:
            pass
        except OSError:  # a file system without locks (some network mounts): the state checks remain
            return
        waited = time.monotonic() - started
        if waited >= wait_seconds():
            raise timeout_error(round(waited))
        if not said:
            print(f"fichex : {waiting}", file=sys.stderr, flush=True)
            said = True
        time.sleep(POLL_SECONDS)


class HeldFile:
    """A data file opened and locked (shared) for a run; `state` is the state it is pinned to. Releasing it
    closes its descriptor, which releases the lock; a run that ends by an exception before it releases
    the file lets it go with its table (`__del__`)."""

    def __init__(self, path: Path, descriptor: int, state: FileState) -> None:
        self.path = path
        self.descriptor: int | None = descriptor
        self.state = state

    def release(self) -> None:
        if self.descriptor is not None:
            os.close(self.descriptor)
            self.descriptor = None

    def __del__(self) -> None:
        self.release()


def _data_timeout(path: Path):
    return lambda seconds: InputDataError(
        f"données en cours d'import depuis {seconds} s : {path} ; relancez la commande une fois l'import "
        f"terminé, ou attendez plus longtemps avec {WAIT_ENV_VAR}=secondes"
    )


def hold_shared(path: Path) -> HeldFile:
    """Open the data file `path` and take a shared lock on it, waiting while an import replaces it; the file
    then locked is the one `path` names (a file replaced while the run waited is opened again).

    Raises:
        InputDataError: an import held the file longer than wait_seconds(), or the file cannot be opened.
    """
    while True:
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except OSError as exc:
            raise InputDataError(f"fichier de données illisible : {path} ({exc.strerror}) ; vérifiez le chemin "
                                 "donné à --data ou dans $FICHEX_DATA") from None
        try:
            _acquire(descriptor, False, f"un import remplace {path} ; la commande attend qu'il se termine…",
                     _data_timeout(path))
            state = FileState.of(os.fstat(descriptor))
        except BaseException:
            os.close(descriptor)
            raise
        if FileState.at(path) == state:
            return HeldFile(path, descriptor, state)
        os.close(descriptor)  # replaced while we waited: lock the file that is there now


def _missing_parents(folder: Path) -> list[Path]:
    """`folder` and those of its parents that do not exist, deepest first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _folder_timeout(folder: Path, option: str):
    return lambda seconds: OutputError(
        f"dossier de données occupé depuis {seconds} s : {folder} (un autre import l'écrit ou une commande le "
        f"lit) ; relancez l'import quand ils seront terminés, ou attendez plus longtemps avec {WAIT_ENV_VAR}="
        f"secondes, ou choisissez un autre {option}"
    )


def _lock_folder(folder: Path, option: str) -> int:
    """Open the folder and hold it exclusively (imports into it take turns); the folder locked is the one
    that is there (a folder removed while waiting is created and locked again)."""
    from fichex.atomic import ensure_dir

    while True:
        ensure_dir(folder, option)
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            _acquire(descriptor, True, f"un autre import écrit dans {folder} ; cet import attend qu'il se termine, "
                                       "puis remplacera ses données…", _folder_timeout(folder, option))
            try:
                same = os.path.samestat(os.fstat(descriptor), os.stat(folder))
            except OSError:
                same = False
            if same:
                return descriptor
        except BaseException:
            os.close(descriptor)
            raise
        os.close(descriptor)


def _lock_table(table: Path, folder: Path, option: str):
    """Hold the data file the import will replace, once no run reads it; None when there is none yet."""
    while True:
        try:
            handle = open(table, "rb")  # noqa: SIM115
        except FileNotFoundError:
            return None
        except OSError:  # unreadable: nothing can read it either; the import will replace it or fail
            return None
        try:
            _acquire(handle.fileno(), True, f"une commande lit {table} ; l'import attend qu'elle se termine…",
                     _folder_timeout(folder, option))
        except BaseException:
            handle.close()
            raise
        if FileState.at(table) == FileState.of(os.fstat(handle.fileno())):
            return handle
        handle.close()


@contextlib.contextmanager
def importing(folder: Path, table_name: str, option: str = "--into") -> Iterator[None]:
    """Hold a data folder for an import: imports into it take turns, and its data file is replaced only
    when no run reads it. A folder the import created is removed again when the import fails.

    The data file is locked before the folder, the order a build takes them in (its data file, then its
    output folder's manifest lock, which is the folder itself when both are one).

    Raises:
        OutputError: the folder cannot be created, or stayed busy longer than wait_seconds().
    """
    folder = Path(folder)
    path = folder / table_name
    created = _missing_parents(folder)
    table = _lock_table(path, folder, option)
    try:
        descriptor = _lock_folder(folder, option)
    except BaseException:
        if table is not None:
            table.close()
        raise
    try:
        now = FileState.at(path)
        if now is not None and (table is None or FileState.of(os.fstat(table.fileno())) != now):
            # Written by the import we waited for: lock that one too, once no run reads it.
            if table is not None:
                table.close()
            table = _lock_table(path, folder, option)
        yield
    except BaseException:
        for missing in created:  # deepest first; a folder holding anything stays
            with contextlib.suppress(OSError):
                missing.rmdir()
        raise
    finally:
        if table is not None:
            table.close()
        os.close(descriptor)
