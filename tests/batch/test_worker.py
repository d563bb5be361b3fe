"""One process's share of a build: stale temporaries cleaned up, a failing target reported, not raised."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from fichex.batch import worker
from fichex.batch.targets import departement_target, output_paths
from fichex.data.reference import departement


@pytest.fixture
def stopped():
    """Whatever a test starts, the worker state is forgotten afterwards."""
    yield
    worker.stop()


def test_remove_stale_temporaries(tmp_path):
    old = tmp_path / ".commerce-exterieur-x.tmp"
    recent = tmp_path / ".commerce-exterieur-y.tmp"
    other = tmp_path / "notes.tmp"
    for path in (old, recent, other):
        path.write_bytes(b"partiel")
    long_ago = time.time() - worker.STALE_AFTER_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    os.utime(other, (long_ago, long_ago))
    worker.remove_stale_temporaries(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".commerce-exterieur-y.tmp", "notes.tmp"]


def test_remove_stale_temporaries_of_a_missing_folder(tmp_path):
    worker.remove_stale_temporaries(tmp_path / "absent")
    assert list(tmp_path.iterdir()) == []


def test_build_target_reports_a_fichex_error_as_failed(demo_trade, tmp_path, stopped):
    worker.start(demo_trade, template=Path("missing.pptx"))
    creuse = departement_target(departement("23"))
    result = worker.build_target(creuse, 2024, ("pptx",), tmp_path, "fichex build 23")
    assert (result.code, result.nom, result.status) == ("23", "Creuse", "failed")
    assert result.reason.startswith("modèle PowerPoint introuvable : missing.pptx")
    assert result.files == [] and result.seconds > 0
    assert not output_paths(tmp_path, 2024, creuse)["pptx"].exists()


def test_build_target_reports_a_bug_with_its_type(demo_trade, tmp_path, stopped, monkeypatch):
    worker.start(demo_trade, template=None)

    def broken(code, year):
        raise KeyError("colonne")

    monkeypatch.setattr(worker._STATE["current"].builder, "build", broken)
    result = worker.build_target(departement_target(departement("87")), 2024, ("xlsx",), tmp_path, "")
    assert result.status == "failed"
    assert result.reason == "erreur inattendue (KeyError : 'colonne')"


def test_build_target_writes_the_workbook(demo_trade, tmp_path, stopped):
    worker.start(demo_trade, template=None)
    creuse = departement_target(departement("23"))
    result = worker.build_target(creuse, 2024, ("xlsx",), tmp_path, "fichex build 23")
    path = output_paths(tmp_path, 2024, creuse)["xlsx"]
    assert result.status == "built" and result.reason == ""
    assert [info.path for info in result.files] == [str(path)]
    assert result.files[0].size == path.stat().st_size
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_stop_forgets_the_state(demo_trade):
    worker.start(demo_trade, template=None)
    assert "current" in worker._STATE
    worker.stop()
    assert worker._STATE == {}
    worker.stop()  # twice is harmless


def test_the_collector_is_eased_while_targets_are_built_then_put_back(demo_trade):
    import gc

    before = gc.get_threshold()
    worker.start(demo_trade, template=None)
    worker.start(demo_trade, template=None)  # started again without a stop: the first threshold is the one kept
    try:
        assert gc.get_threshold() == worker.GC_THRESHOLD != before
        assert gc.get_freeze_count() > 0  # what was loaded is out of the collections' scans
    finally:
        worker.stop()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_the_collector_is_off_during_a_target_then_frees_what_it_left(demo_trade, tmp_path, stopped, monkeypatch):
    """Off while a target is built, on again after it (and after a failed one), the target's cycles freed
    by then: the python-pptx objects of its deck are not kept for a later full pass."""
    import gc
    import weakref

    from fichex.render import pptx as pptx_package

    worker.start(demo_trade, template=None)
    creuse = departement_target(departement("23"))
    seen, decks = [], []
    write_deck = pptx_package.write_deck

    def watched(fiche, path, **options):
        seen.append(gc.isenabled())

        class Cycle:  # what a deck leaves: objects that refer to one another
            pass
        cycle = Cycle()
        cycle.itself = cycle
        decks.append(weakref.ref(cycle))
        return write_deck(fiche, path, **options)

    monkeypatch.setattr(pptx_package, "write_deck", watched)
    assert gc.isenabled()
    threshold = gc.get_threshold()
    gc.set_threshold(10**9, *threshold[1:])  # no collection but the one the target's end asks for
    try:
        result = worker.build_target(creuse, 2024, ("pptx",), tmp_path, "fichex build 23")
        assert result.status == "built" and seen == [False] and gc.isenabled()
        assert decks[0]() is None  # freed by the pass at the target's end
    finally:
        gc.set_threshold(*threshold)
    monkeypatch.setattr(pptx_package, "write_deck", lambda *a, **k: 1 / 0)
    assert worker.build_target(creuse, 2024, ("pptx",), tmp_path, "fichex build 23").status == "failed"
    assert gc.isenabled()
    gc.disable()  # a caller that had it off: off it stays, and no pass is made for it
    try:
        collections = gc.get_stats()[0]["collections"]
        worker.build_target(creuse, 2024, ("pptx",), tmp_path, "fichex build 23")
        assert not gc.isenabled() and gc.get_stats()[0]["collections"] == collections
    finally:
        gc.enable()


def _data_folder(tmp_path: Path) -> Path:
    from fichex.data import trade

    folder = tmp_path / "donnees"
    folder.mkdir()
    (folder / trade.TRADE_FILE_NAME).write_bytes(trade.load().store.path.read_bytes())
    return folder / trade.TRADE_FILE_NAME


def _replace(data_file: Path) -> None:
    """What an import does: a new table renamed over the old one."""
    new = data_file.with_name("nouveau.parquet")
    new.write_bytes(data_file.read_bytes())
    os.replace(new, data_file)


def test_a_worker_opens_the_data_its_build_pinned(tmp_path, stopped, monkeypatch):
    from fichex.data import trade

    monkeypatch.setattr(worker, "stop_once_on_signals", lambda **kwargs: None)  # not in the test process
    data_file = _data_folder(tmp_path)
    pin = trade.load(data_file).pin
    worker.start_in_worker(str(data_file), None, pin)
    assert worker._STATE["current"].failure == ""
    creuse = departement_target(departement("23"))
    assert worker.build_target(creuse, 2024, ("xlsx",), tmp_path / "out", "").status == "built"


def test_a_worker_whose_data_was_replaced_fails_each_target_with_one_line(tmp_path, stopped, monkeypatch):
    from fichex.data import trade

    monkeypatch.setattr(worker, "stop_once_on_signals", lambda **kwargs: None)
    data_file = _data_folder(tmp_path)
    pin = trade.load(data_file).pin
    _replace(data_file)  # between the build's check and the worker's start
    worker.start_in_worker(str(data_file), None, pin)
    for code in ("23", "87"):
        result = worker.build_target(departement_target(departement(code)), 2024, ("xlsx",), tmp_path / "out", "")
        assert result.status == "failed"
        assert result.reason.startswith(f"les données ont changé pendant la lecture : {data_file}")
        assert "\n" not in result.reason
    assert not (tmp_path / "out").exists()


def test_a_target_built_after_the_data_changed_fails_rather_than_mixing(tmp_path, stopped):
    from fichex.data import trade

    data_file = _data_folder(tmp_path)
    worker.start(trade.load(data_file), template=None)
    creuse = departement_target(departement("23"))
    assert worker.build_target(creuse, 2024, ("xlsx",), tmp_path / "out", "").status == "built"
    _replace(data_file)  # the year aggregate is held; Données and Évolution would be read again
    result = worker.build_target(departement_target(departement("87")), 2024, ("xlsx",), tmp_path / "out", "")
    assert result.status == "failed" and "les données ont changé" in result.reason
    assert not output_paths(tmp_path / "out", 2024, departement_target(departement("87")))["xlsx"].exists()
