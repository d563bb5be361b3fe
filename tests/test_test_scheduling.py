"""The suite's own scheduling (conftest.SHARED_DOCUMENT_GROUPS): every group names tests that exist, and a test
outside the groups is scheduled on its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import SHARED_DOCUMENT_GROUPS, shared_documents_group

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("prefix, group", SHARED_DOCUMENT_GROUPS)
def test_each_group_names_existing_tests(prefix, group):
    path, _, name = prefix.partition("::")
    tests = [node.name for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8")))
             if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")]
    assert [t for t in tests if t.startswith(name)], f"{prefix} names no test"


def test_a_test_outside_the_groups_is_its_own_scope():
    assert shared_documents_group("tests/test_api.py::test_x") == "tests/test_api.py::test_x"
    assert shared_documents_group("tests/test_levels.py::test_x[a]") == "region_france"
