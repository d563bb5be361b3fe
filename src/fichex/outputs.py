"""Safe file output: write to a temporary name in the target folder, then rename into place."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from fichex.errors import OutputError


def ensure_dir(folder: Path) -> Path:
    """Create a folder (and parents) or raise a French OutputError saying why it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(_describe(folder, exc)) from None
    if not os.access(folder, os.W_OK):
        raise OutputError(
            f"dossier de sortie non accessible en écriture : {folder} ; choisissez un autre --out-dir ou corrigez ses droits"
        )
    return folder


def _describe(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return f"disque plein en écrivant {path} ; libérez de la place ou choisissez un autre --out-dir"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"écriture refusée : {path} ; choisissez un autre --out-dir ou corrigez ses droits"
    return f"impossible d'écrire {path} ({exc.strerror}) ; vérifiez le dossier de sortie"


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
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success rename it onto `target`, else delete it.

    Raises:
        OutputError: the folder cannot be created or written, or the disk is full.
    """
    target = Path(target)
    ensure_dir(target.parent)
    with _signals_blocked():
        try:
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        except OSError as exc:
            raise OutputError(_describe(target.parent, exc)) from None
        os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with _signals_blocked():
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
    except OSError as exc:
        with _signals_blocked():
            tmp.unlink(missing_ok=True)
        raise OutputError(_describe(target, exc)) from None
    except BaseException:
        with _signals_blocked():
            tmp.unlink(missing_ok=True)
        raise
