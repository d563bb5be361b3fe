"""Write the JSON Schemas of fichex's JSON outputs into docs/schema/ (one file per output, from
fichex.json_schema); tests/test_json_schema.py checks that the files are current."""

from __future__ import annotations

import json
import sys
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "docs" / "schema"


def rendered() -> dict[str, str]:
    """Each schema file's name and text."""
    from fichex.json_schema import SCHEMAS, schema

    return {f"{name}.schema.json": json.dumps(schema(name), ensure_ascii=False, indent=2) + "\n" for name in SCHEMAS}


def main() -> int:
    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    texts = rendered()
    for stale in SCHEMA_DIR.glob("*.schema.json"):
        if stale.name not in texts:
            stale.unlink()
    for name, text in texts.items():
        (SCHEMA_DIR / name).write_text(text, encoding="utf-8")
    print(f"{len(texts)} schémas écrits dans {SCHEMA_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
