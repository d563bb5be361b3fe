import hashlib

import pytest

from fichex import atomic as outputs
from fichex.errors import OutputError


def test_atomic_path_renames_into_place(tmp_path):
    target = tmp_path / "sous" / "fichier.txt"
    with outputs.atomic_path(target) as tmp:
        assert tmp.parent == target.parent and tmp.name.startswith(".fichier.txt.")
        tmp.write_text("complet")
        assert not target.exists()
    assert target.read_text() == "complet"
    assert [p.name for p in target.parent.iterdir()] == ["fichier.txt"]


@pytest.mark.parametrize("error", [RuntimeError("bogue"), KeyboardInterrupt()])
def test_atomic_path_leaves_nothing_on_error(tmp_path, error):
    target = tmp_path / "fichier.txt"
    target.write_text("ancien")
    with pytest.raises(type(error)):
        with outputs.atomic_path(target) as tmp:
            tmp.write_text("moitié")
            raise error
    assert target.read_text() == "ancien"
    assert [p.name for p in tmp_path.iterdir()] == ["fichier.txt"]


def test_output_folder_that_is_a_file(tmp_path):
    blocker = tmp_path / "f"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="un fichier porte déjà ce nom, ce n'est pas un dossier"):
        outputs.ensure_dir(blocker / "d")


def test_read_only_folder(tmp_path):
    import os

    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):  # running as root: permissions are not enforced
            pytest.skip("les droits ne s'appliquent pas à root")
        with pytest.raises(OutputError, match="non accessible en écriture"):
            outputs.ensure_dir(folder)
    finally:
        folder.chmod(0o700)


def test_file_sha256(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"abc" * 1_000_000)
    assert outputs.file_sha256(path) == hashlib.sha256(b"abc" * 1_000_000).hexdigest()


def test_orphan_pool_folders_of_dead_fichex_builds_go_others_stay(tmp_path, monkeypatch):
    """A pymp-* folder named by the pool marker of a fichex process that is gone is removed with its
    marker; the folder of a live process (this one), and any folder no marker names, stay."""
    import os
    import subprocess
    import sys
    import tempfile

    from fichex.atomic import POOL_MARKER_PREFIX, pool_marker, remove_orphan_pool_folders

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead_pid = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout.strip()
    orphan = tmp_path / "pymp-orphan"
    orphan.mkdir()
    (tmp_path / f"{POOL_MARKER_PREFIX}{dead_pid}").write_text(str(orphan), encoding="utf-8")
    live = tmp_path / "pymp-live"
    live.mkdir()
    unknown = tmp_path / "pymp-unknown"  # another program's, idle: no socket, no marker
    unknown.mkdir()
    outside = tmp_path / "elsewhere" / "pymp-outside"  # a marker never sends the removal elsewhere
    outside.mkdir(parents=True)
    with pool_marker(str(live)):
        (tmp_path / f"{POOL_MARKER_PREFIX}1234567").write_text(str(outside), encoding="utf-8")
        remove_orphan_pool_folders()
        assert not orphan.exists() and not (tmp_path / f"{POOL_MARKER_PREFIX}{dead_pid}").exists()
        assert live.exists() and unknown.exists()
        assert outside.exists()
    assert not (tmp_path / f"{POOL_MARKER_PREFIX}{os.getpid()}").exists()  # this build's marker, gone at the end


def _dead_pid() -> int:
    import subprocess
    import sys

    return int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout)


def test_private_folders_of_processes_that_are_gone_are_reclaimed(tmp_path, monkeypatch):
    """A folder named for a dead process goes whatever its age; a live process's stays; an unnamed one
    (an older fichex) goes only once old."""
    import os
    import tempfile
    import time

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with outputs.private_tmpdir() as mine:
        assert mine.name.startswith(f"{outputs.PRIVATE_TMP_PREFIX}{os.getpid()}-")
        dead = tmp_path / f"{outputs.PRIVATE_TMP_PREFIX}{_dead_pid()}-abc"
        (dead / "duckdb").mkdir(parents=True)
        (dead / "kept-000000.parquet").write_bytes(b"x")
        recent, old = tmp_path / f"{outputs.PRIVATE_TMP_PREFIX}abcdef", tmp_path / f"{outputs.PRIVATE_TMP_PREFIX}ghijkl"
        recent.mkdir()
        old.mkdir()
        os.utime(old, (time.time() - 2 * outputs.STALE_PRIVATE_TMP_SECONDS,) * 2)
        outputs.remove_stale_private_tmpdirs()
        assert mine.exists() and recent.exists()
        assert not dead.exists() and not old.exists()


def test_temporary_files_of_processes_that_are_gone_are_removed(tmp_path):
    import os

    with outputs.atomic_path(tmp_path / "commerce_exterieur.parquet", "--into") as live:
        live.write_bytes(b"en cours")
        assert live.name.startswith(f".commerce_exterieur.parquet.{os.getpid()}.")
        orphan = tmp_path / f".commerce_exterieur.parquet.{_dead_pid()}.abcd_123.tmp"
        orphan.write_bytes(b"PAR1")
        other = tmp_path / ".notes.tmp"  # not one of ours: no process id
        other.write_bytes(b"x")
        outputs.remove_orphan_temporary_files(tmp_path)
        assert live.exists() and other.exists() and not orphan.exists()


@pytest.mark.parametrize("name, expected", [("SIGINT", "KeyboardInterrupt()"), ("SIGTERM", "SystemExit(143)")])
def test_the_signal_received_is_the_exception_to_raise(name, expected):
    """After stop_once_on_signals turned a signal into an exception, signal_exception gives it again (for a
    library that swallowed it); before any signal, None."""
    import subprocess
    import sys

    script = ("import os, signal, time\n"
              "from fichex.atomic import signal_exception, stop_once_on_signals\n"
              "stop_once_on_signals()\n"
              "print(signal_exception())\n"
              "try:\n"
              f"    os.kill(os.getpid(), signal.{name})\n"
              "    time.sleep(5)\n"
              "except BaseException:\n"
              "    print(repr(signal_exception()))\n")
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert completed.stdout.split() == ["None", expected]


def test_an_interruption_while_the_temporary_file_is_made_leaves_nothing_behind(tmp_path, monkeypatch):
    """In a process with other threads (DuckDB's), Ctrl-C may be raised while atomic_path makes its file, even
    with signals held in the main thread: the file is named before it is made, so the cleanup removes it."""
    import os

    made = os.open

    def made_then_interrupted(path, *args, **kwargs):
        made(path, *args, **kwargs)  # the file exists, the interruption lands before it is handed back
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "open", made_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        with outputs.atomic_path(tmp_path / "rapport.json"):
            pass
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []
