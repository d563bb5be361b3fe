"""The pool's helpers stopped through multiprocessing's private API, and the fallback without it."""

from __future__ import annotations

import multiprocessing
from multiprocessing import forkserver, resource_tracker

import pytest

from fichex.batch import pool_internals


def _square(n: int) -> int:
    return n * n


@pytest.mark.skipif(not hasattr(forkserver, "_forkserver"), reason="a Python without the fork server's state")
def test_the_fork_server_and_the_tracker_are_stopped():
    context = multiprocessing.get_context("forkserver")
    with context.Pool(1) as pool:
        assert pool.map(_square, [3]) == [9]
    pool.join()
    del pool
    assert forkserver._forkserver._forkserver_pid is not None
    pool_internals.stop_pool_helpers()
    assert forkserver._forkserver._forkserver_pid is None
    assert resource_tracker._resource_tracker._pid is None


def test_without_the_private_methods_nothing_is_done(monkeypatch):
    monkeypatch.setattr(forkserver, "_forkserver", object())
    monkeypatch.setattr(resource_tracker, "_resource_tracker", object())
    pool_internals.stop_pool_helpers()  # no AttributeError: the helpers end at exit, as without this module


def test_stopping_twice_is_harmless():
    pool_internals.stop_pool_helpers()
    pool_internals.stop_pool_helpers()
