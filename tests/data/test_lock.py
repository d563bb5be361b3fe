"""Pinned data and the locks of a data folder (data/lock.py): a file's state, a run's shared lock, an
import's exclusive ones, waiting and giving up with one French line."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from fichex.data import lock
from fichex.errors import InputDataError, OutputError

TABLE = "commerce_exterieur.parquet"


@pytest.fixture
def no_wait(monkeypatch):
    monkeypatch.setenv(lock.WAIT_ENV_VAR, "0")


def test_a_file_replaced_or_rewritten_has_another_state(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"a")
    state = lock.FileState.at(path)
    lock.check_unchanged(path, state)
    other = tmp_path / "g"
    other.write_bytes(b"a")
    os.replace(other, path)
    with pytest.raises(InputDataError, match=r"les données ont changé pendant la lecture : .*f a été remplacé"):
        lock.check_unchanged(path, state)
    state = lock.FileState.at(path)
    path.write_bytes(b"ab")  # rewritten in place: same inode, another size
    with pytest.raises(InputDataError):
        lock.check_unchanged(path, state)
    path.unlink()
    assert lock.FileState.at(path) is None


def test_the_wait_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv(lock.WAIT_ENV_VAR, "2.5")
    assert lock.wait_seconds() == 2.5
    monkeypatch.setenv(lock.WAIT_ENV_VAR, "beaucoup")
    assert lock.wait_seconds() == lock.DEFAULT_WAIT_SECONDS


def test_an_import_fails_with_one_line_while_a_run_reads_the_data(tmp_path, no_wait):
    (tmp_path / TABLE).write_bytes(b"A")
    held = lock.hold_shared(tmp_path / TABLE)
    try:
        with pytest.raises(OutputError, match=r"dossier de données occupé depuis 0 s : .* FICHEX_LOCK_WAIT"):
            with lock.importing(tmp_path, TABLE):
                pass
    finally:
        held.release()
    with lock.importing(tmp_path, TABLE):  # released: the import goes on
        pass


def test_a_run_waits_for_an_import_then_reads_the_new_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(lock.WAIT_ENV_VAR, "30")
    data = tmp_path / TABLE
    data.write_bytes(b"A")
    entered, result = threading.Event(), {}

    def read():
        entered.wait()
        held = lock.hold_shared(data)
        result["bytes"] = os.read(held.descriptor, 10)
        held.release()

    reader = threading.Thread(target=read)
    reader.start()
    with lock.importing(tmp_path, TABLE):
        entered.set()
        time.sleep(0.3)
        assert "bytes" not in result  # the run waits for the import
        new = tmp_path / "new"
        new.write_bytes(b"B")
        os.replace(new, data)
    reader.join(10)
    assert result["bytes"] == b"B"
    assert "un import remplace" in capsys.readouterr().err


def test_a_run_gives_up_after_the_wait_with_one_line(tmp_path, no_wait):
    (tmp_path / TABLE).write_bytes(b"A")
    with lock.importing(tmp_path, TABLE):
        with pytest.raises(InputDataError, match=r"données en cours d'import depuis 0 s : .* relancez"):
            lock.hold_shared(tmp_path / TABLE)


def test_imports_into_one_folder_take_turns(tmp_path, no_wait):
    with lock.importing(tmp_path, TABLE):
        with pytest.raises(OutputError, match="un autre import l'écrit"):
            with lock.importing(tmp_path, TABLE):
                pass


def test_a_folder_the_import_created_is_removed_when_it_fails(tmp_path):
    folder = tmp_path / "a" / "b"
    with pytest.raises(ValueError):
        with lock.importing(folder, TABLE):
            assert folder.is_dir()
            raise ValueError
    assert not (tmp_path / "a").exists()
    kept = tmp_path / "existant"
    kept.mkdir()
    with pytest.raises(ValueError):
        with lock.importing(kept, TABLE):
            raise ValueError
    assert kept.is_dir()


def test_no_file_is_written_for_the_locks(tmp_path):
    (tmp_path / TABLE).write_bytes(b"A")
    with lock.importing(tmp_path, TABLE):
        pass
    lock.hold_shared(tmp_path / TABLE).release()
    assert sorted(p.name for p in tmp_path.iterdir()) == [TABLE]


def test_a_missing_data_file_is_one_line(tmp_path):
    with pytest.raises(InputDataError, match="fichier de données illisible"):
        lock.hold_shared(Path(tmp_path / "absent.parquet"))
