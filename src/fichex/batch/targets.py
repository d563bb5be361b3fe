"""Output names: slugs and the paths of the files built for a département."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path


def slugify(text: str) -> str:
    """ASCII, lower case, words joined by hyphens: « Haute-Vienne » → « haute-vienne »."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def target_folder(out_dir: Path, year: int, code: str, name: str) -> Path:
    """`<out_dir>/<year>/<code>-<slug>/`."""
    return Path(out_dir) / str(year) / f"{code.lower()}-{slugify(name)}"


def output_path(out_dir: Path, year: int, code: str, name: str, extension: str) -> Path:
    """`<out_dir>/<year>/<code>-<slug>/commerce-exterieur-<code>-<slug>-<year>.<extension>`."""
    stem = f"commerce-exterieur-{code.lower()}-{slugify(name)}-{year}"
    return target_folder(out_dir, year, code, name) / f"{stem}.{extension}"
