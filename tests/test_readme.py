"""The README's library example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def library_example() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- library-example -->\s*```python\n(.*?)```", text, flags=re.S)
    assert match, "README.md: no python block after <!-- library-example -->"
    return match.group(1)


def test_readme_library_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(library_example(), "README.md", "exec"), namespace)
    assert (tmp_path / "creuse.xlsx").stat().st_size > 0 and (tmp_path / "creuse.pptx").stat().st_size > 0
    result = namespace["result"]
    assert [r.code for r in result.results] == ["23", "87"] and not result.failed
    assert namespace["fiche"].territory.nom == "Creuse"
