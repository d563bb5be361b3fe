"""What a batch builds and where: target selection, formats, and the paths of each target's files."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from fichex import texts
from fichex.data import reference
from fichex.data.reference import Departement
from fichex.defaults import FORMATS
from fichex.errors import FichexError, UnknownCodeError


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


def output_paths(out_dir: Path, year: int, dep: Departement) -> dict[str, Path]:
    """The path of each format's file for one département (every format, built or not)."""
    return {fmt: output_path(out_dir, year, dep.code, dep.nom, fmt) for fmt in FORMATS}


def parse_formats(text: str | Sequence[str]) -> tuple[str, ...]:
    """« xlsx,pptx » → ("xlsx", "pptx"), in canonical order.

    Raises:
        FichexError: an unknown format.
    """
    items = text.split(",") if isinstance(text, str) else list(text)
    wanted = {item.strip().lower() for item in items if item.strip()}
    unknown = sorted(wanted - set(FORMATS))
    if unknown or not wanted:
        raise FichexError(texts.unknown_format(unknown, FORMATS))
    return tuple(f for f in FORMATS if f in wanted)


def resolve_targets(codes: Sequence[str] = (), region: str | None = None, all_departements: bool = False,
                    present: set[str] | None = None) -> list[Departement]:
    """The territories to build, each resolved once, checked before any work starts.

    Args:
        codes: département codes as typed; region: a région code; all_departements: every territory.
        present: the territory codes of the data, once it is read: `--all` and `--region` then take the
            territories the data describes (« 20 » Corse and « 99 » Monaco in DGDDI files, 2A and 2B in
            tables that separate them), and 2A or 2B name the Corse fiche of data that has only « 20 ».

    Raises:
        UnknownCodeError: an unknown département or région code, with the closest valid codes; no target.
    """
    chosen: list[str] = []
    table = reference.departements()
    if present is None:
        wanted = set(table.loc[table["cog"], "code_departement"])
    else:
        wanted = reference.territory_set(present) & present
    if all_departements:
        chosen.extend(c for c in table["code_departement"] if c in wanted)
    if region is not None:
        chosen.extend(c for c in reference.departements_of_region(region) if c in wanted)
    errors = []
    for code in codes:
        try:
            chosen.append(reference.departement_in_data(code, present)[0].code)
        except UnknownCodeError as exc:
            errors.append(str(exc))
    if errors:
        raise UnknownCodeError(errors[0])
    if not chosen:
        raise UnknownCodeError(texts.NO_TARGET)
    return [reference.departement(code) for code in dict.fromkeys(chosen)]


def substitution_notes(codes: Sequence[str], present: set[str]) -> list[str]:
    """One line per typed code answered by another territory of the data (2A → Corse « 20 »)."""
    notes = []
    for code in codes:
        dep, other = reference.departement_in_data(code, present)
        if other:
            notes.append(texts.corsica_note(reference.departement(code).code, dep.nom, dep.code))
    return list(dict.fromkeys(notes))
