"""Where fichex finds its embedded reference data, demonstration dataset and templates."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
# In a wheel, data/ and templates/ are copied into the package as _data/ and _templates/;
# in a source checkout (editable install, tests) they sit at the repository root.
_REPO_ROOT = _PACKAGE_DIR.parent.parent

DATA_ENV_VAR = "FICHEX_DATA"


def package_dir() -> Path:
    """The installed fichex package (its code is part of the build fingerprint)."""
    return _PACKAGE_DIR


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[0]


def reference_dir() -> Path:
    """Folder holding the reference tables (départements, pays, activités, TI)."""
    return _first_existing(_PACKAGE_DIR / "_data", _REPO_ROOT / "data")


def demo_dataset_path() -> Path:
    """Path of the embedded demonstration trade table (Parquet)."""
    return reference_dir() / "demo" / "commerce_exterieur_demo.parquet"


def default_data_dir() -> Path | None:
    """Data folder named by the FICHEX_DATA environment variable, if any."""
    value = os.environ.get(DATA_ENV_VAR)
    return Path(value) if value else None


def templates_dir() -> Path:
    """Folder holding the bundled PowerPoint template."""
    return _first_existing(_PACKAGE_DIR / "_templates", _REPO_ROOT / "templates")


def default_template_path() -> Path:
    """Path of the bundled branded template."""
    return templates_dir() / "fichex.pptx"
