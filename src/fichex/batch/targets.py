"""What a batch builds and where: target selection, formats, and the paths of each target's files."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fichex.wording import console as console_text, grammar as grammar_text
from fichex.batch.results import target_key
from fichex.data import reference
from fichex.data.reference import Departement
from fichex.defaults import FORMATS
from fichex.errors import FichexError, UnknownCodeError


LEVELS = ("departement", "region", "france", "territoire")
ALL_LEVELS = "tout"  # `--level tout`: every level at once


@dataclass(frozen=True)
class Target:
    """One fiche a batch builds: a département, a région, France or a Territoire d'industrie (its codes are
    then its départements'; `code` is its identifier)."""

    level: str
    code: str
    nom: str
    code_region: str = ""
    region: str = ""
    departements: tuple[str, ...] = ()  # a Territoire d'industrie's

    @property
    def key(self) -> str:
        """Unique across levels (« 75 » is Paris, « R75 » Nouvelle-Aquitaine): how results are matched."""
        return target_key(self.level, self.code)

    @property
    def folder_code(self) -> str:
        """The code the folder and file names start with: « 23 », « r75 », « fr », « ti »."""
        return {"departement": self.code, "region": f"r{self.code}", "france": "fr", "territoire": "ti"}[self.level]


def departement_target(dep: Departement) -> Target:
    return Target("departement", dep.code, dep.nom, dep.code_region, dep.region)


def region_target(code: str) -> Target:
    code_region = reference.region_code(code)
    name = reference.region_name(code_region)
    return Target("region", code_region, name, code_region, name)


def france_target() -> Target:
    return Target("france", "FR", grammar_text.FRANCE)


def territoire_target(name: str, present: set[str] | None = None) -> Target:
    """A Territoire d'industrie with its territories in the data (2A and 2B → « 20 » in DGDDI data), each once."""
    official, codes = reference.territoire(name)
    territories = [reference.departement_in_data(code, present)[0].code for code in codes]
    return Target("territoire", reference.territoire_identifier(official), official,
                  departements=tuple(dict.fromkeys(territories)))


def parse_levels(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """« region,france » → ("region", "france"); « tout » → every level; default: départements.

    Raises:
        FichexError: an unknown level.
    """
    if text is None:
        return ("departement",)
    items = text.split(",") if isinstance(text, str) else list(text)
    wanted = {unicodedata.normalize("NFKD", item).encode("ascii", "ignore").decode().strip().lower()
              for item in items if item.strip()}
    if ALL_LEVELS in wanted:
        return LEVELS
    wanted = {"territoire" if w in ("ti", "territoires") else w.rstrip("s") for w in wanted}
    unknown = sorted(wanted - set(LEVELS))
    if unknown or not wanted:
        raise FichexError(console_text.unknown_level(unknown, LEVELS + (ALL_LEVELS,)))
    return tuple(level for level in LEVELS if level in wanted)


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


def output_paths(out_dir: Path, year: int, target: Target | Departement) -> dict[str, Path]:
    """The path of each format's file for one target (every format, built or not)."""
    code = target.folder_code if isinstance(target, Target) else target.code
    return {fmt: output_path(out_dir, year, code, target.nom, fmt) for fmt in FORMATS}


def parse_formats(text: str | Sequence[str]) -> tuple[str, ...]:
    """« xlsx,pptx » → ("xlsx", "pptx"), in canonical order.

    Raises:
        FichexError: an unknown format.
    """
    items = text.split(",") if isinstance(text, str) else list(text)
    wanted = {item.strip().lower() for item in items if item.strip()}
    unknown = sorted(wanted - set(FORMATS))
    if unknown or not wanted:
        raise FichexError(console_text.unknown_format(unknown, FORMATS))
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
        raise UnknownCodeError(console_text.NO_TARGET)
    return [reference.departement(code) for code in dict.fromkeys(chosen)]


def resolve_level_targets(codes: Sequence[str] = (), *, levels: Sequence[str] = ("departement",),
                          region: str | None = None, all_targets: bool = False,
                          territoires: Sequence[str] = (), present: set[str] | None = None) -> list[Target]:
    """The fiches to build at every level asked, each once, checked before any work starts.

    Args:
        codes: codes of the first level asked (département codes, or région codes with `levels`
            ("region",)); levels: what `--level` asked; region: a région's départements; all_targets: every
            fiche of each level asked; territoires: Territoires d'industrie by name, prefix or identifier.

    Raises:
        UnknownCodeError: an unknown code or name; nothing to build.
    """
    targets: list[Target] = []
    levels = tuple(levels) or ("departement",)
    if "departement" in levels and (codes and levels[0] == "departement" or region is not None or all_targets):
        targets += [departement_target(dep) for dep in
                    resolve_targets(codes if levels[0] == "departement" else (), region, all_targets, present)]
    if "region" in levels:
        chosen = list(codes) if levels[0] == "region" else []
        if all_targets:  # the régions of the territories the data holds (of the COG before it is read)
            table = reference.departements()
            territories = (reference.territory_set(present) & present if present is not None
                           else set(table.loc[table["cog"], "code_departement"]))
            region_of = dict(zip(table["code_departement"], table["code_region"]))
            regions_present = {region_of[code] for code in territories}
            chosen += [c for c in reference.regions()["code_region"] if c in regions_present]
        targets += [region_target(code) for code in chosen]
    if "france" in levels:
        targets.append(france_target())
    names = list(territoires)
    if "territoire" in levels and all_targets:
        names += list(dict.fromkeys(reference.territoires_industrie()["territoire_industrie"]))
    targets += [territoire_target(name, present) for name in names]
    if not targets:
        raise UnknownCodeError(console_text.NO_TARGET)
    return list({t.key: t for t in targets}.values())


def substitution_notes(codes: Sequence[str], present: set[str]) -> list[str]:
    """One line per typed code answered by another territory of the data (2A → Corse « 20 »)."""
    notes = []
    for code in codes:
        dep, other = reference.departement_in_data(code, present)
        if other:
            notes.append(console_text.corsica_note(reference.departement(code).code, dep.nom, dep.code))
    return list(dict.fromkeys(notes))
