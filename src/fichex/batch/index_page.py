"""The output folder's `index.html`: every fiche the manifest knows whose files are still in the folder,
with the key figures recorded when it was built, rewritten under the folder's lock after each build that
wrote a document (so builds of different targets into one folder add up, and nothing is re-aggregated)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from fichex.wording import grammar as grammar_text, index_page as index_text, levels as levels_text
from fichex.atomic import atomic_path
from fichex.batch import manifest as manifest_file
from fichex.defaults import FORMATS
from fichex.render.index_html import IndexFigures, IndexLink, IndexRow, render_index, row_sort_key
from fichex.render.thumbnail import png_size, thumbnail_path

INDEX_NAME = "index.html"


def figures_of(fiche) -> dict:
    """The key figures the index shows, as JSON for the manifest's « fiches » section (taken from the
    `Fiche` a worker has just rendered: the index never aggregates)."""
    exports, imports = fiche.exports, fiche.imports
    period = grammar_text.period(fiche)
    level = fiche.level
    return {
        # A région's row reads « Région Nouvelle-Aquitaine » under « R75 » (« 75 » is Paris), France's « FR ».
        "code": {"region": f"R{fiche.territory.code}", "france": "FR"}.get(level, fiche.territory.code),
        "nom": levels_text.level_title(level, fiche.territory.nom),
        "code_region": fiche.region.code, "region": fiche.region.nom,
        "annee": int(fiche.year), "periode": period if period != str(fiche.year) else "",
        "exportations_eur": float(exports.total_eur), "importations_eur": float(imports.total_eur),
        "part_region_exportations_pct": float(exports.share_of_region_pct),
        "part_france_exportations_pct": float(exports.share_of_france_pct),
        "rang_exportations": int(exports.rank), "departements_classes": int(exports.n_departements),
        "region_complete": bool(exports.region_complete), "france_complete": bool(exports.france_complete),
        "donnees_demonstration": bool(fiche.demonstration),
        "niveau": level,
    }


def collect(manifest: dict, out_dir: Path) -> list[IndexRow]:
    """The rows of the page: one per target folder of the manifest holding at least one of its files,
    linked by paths relative to `out_dir`: départements in code order, then régions, France and the
    Territoires d'industrie; the latest year first."""
    out_dir = Path(out_dir)
    folders: dict[str, dict[str, tuple[str, int, dict]]] = {}
    for key, entry in manifest.get("fichiers", {}).items():
        path = PurePosixPath(key)
        kind = path.suffix.lstrip(".")
        # Keys outside the folder (absolute, « .. ») cannot be linked relatively: the page leaves them out.
        if kind not in FORMATS or path.is_absolute() or ".." in path.parts or not isinstance(entry, dict):
            continue
        try:
            size = (out_dir / path).stat().st_size
        except OSError:  # gone: left out
            continue
        folders.setdefault(str(path.parent), {})[kind] = (key, size, entry)
    recorded = manifest.get("fiches")
    recorded = recorded if isinstance(recorded, dict) else {}
    rows = [_row(folder, files, recorded.get(folder), out_dir) for folder, files in folders.items()]
    return sorted(rows, key=lambda row: (row_sort_key(row), -row.year, row.name))


def _row(folder: str, files: dict[str, tuple[str, int, dict]], figures: object, out_dir: Path) -> IndexRow:
    links = tuple(IndexLink(kind, files[kind][0], files[kind][1]) for kind in FORMATS if kind in files)
    thumbnail = size = None
    if "pdf" in files:
        png = thumbnail_path(out_dir / files["pdf"][0])
        if png.is_file():
            thumbnail, size = png.relative_to(out_dir).as_posix(), png_size(png)
    entry = next(iter(files.values()))[2]
    try:
        return _recorded_row(figures, links, thumbnail, size)
    except (TypeError, KeyError, ValueError):  # no figures (an older fichex) or hand-edited: links only
        return _unrecorded_row(folder, entry, links, thumbnail, size)


def _recorded_row(figures: object, links, thumbnail, size) -> IndexRow:
    if not isinstance(figures, dict):
        raise TypeError("no figures")
    return IndexRow(
        code=str(figures["code"]), name=str(figures["nom"]), region=str(figures["region"]),
        year=int(figures["annee"]), period=str(figures.get("periode") or ""), links=links,
        demonstration=bool(figures["donnees_demonstration"]), thumbnail=thumbnail, thumbnail_size=size,
        figures=IndexFigures(
            exports_eur=float(figures["exportations_eur"]), imports_eur=float(figures["importations_eur"]),
            share_of_region_pct=float(figures["part_region_exportations_pct"]),
            share_of_france_pct=float(figures["part_france_exportations_pct"]),
            rank=int(figures["rang_exportations"]), ranked=int(figures["departements_classes"]),
            region_complete=bool(figures.get("region_complete", True)),
            france_complete=bool(figures.get("france_complete", True)),
            level=str(figures.get("niveau", "departement"))))


def _unrecorded_row(folder: str, entry: dict, links, thumbnail, size) -> IndexRow:
    """A fiche whose figures the manifest lacks: its name and région from the reference tables."""
    from fichex.data import reference
    from fichex.errors import FichexError

    code = str(entry.get("departement", ""))
    name, region = str(entry.get("nom") or PurePosixPath(folder).name), ""
    departements: tuple[tuple[str, str], ...] = ()
    if entry.get("niveau") == "territoire":  # its figures are its départements': in the documents
        code, (region, departements) = "TI", _territoire_places(name)
        name = index_text.index_territoire_name(name)
    else:
        try:
            dep = reference.departement(code)
            name, region = dep.nom, dep.region
        except (FichexError, KeyError, ValueError):
            pass
    try:
        year = int(entry.get("annee") or PurePosixPath(folder).parent.name)
    except ValueError:
        year = 0
    return IndexRow(code=code, name=name, region=region, year=year, links=links,
                    demonstration=bool(entry.get("donnees_demonstration", False)), thumbnail=thumbnail,
                    thumbnail_size=size, departements=departements)


def _territoire_places(name: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A Territoire d'industrie's région(s), « A, B » in the order of its départements, and its départements'
    (code, name) pairs, from the reference tables; nothing when the name is no longer in them."""
    from fichex.data import reference
    from fichex.errors import FichexError

    try:
        departements = [reference.departement(code) for code in reference.territoire(name)[1]]
    except (FichexError, KeyError, ValueError):
        return "", ()
    regions = ", ".join(dict.fromkeys(dep.region for dep in departements))
    return regions, tuple((dep.code, dep.nom) for dep in departements)


def write(out_dir: Path) -> Path:
    """Rewrite `out_dir/index.html` from the manifest, under the folder's lock, atomically.

    Raises:
        OutputError: the page cannot be written (disk full, no permission).
    """
    out_dir = Path(out_dir)
    with manifest_file.locked(out_dir):
        page = render_index(collect(manifest_file.read(out_dir), out_dir))
        with atomic_path(out_dir / INDEX_NAME) as tmp:
            tmp.write_text(page, encoding="utf-8")
    return out_dir / INDEX_NAME


def refresh(out_dir: Path, wrote_documents: bool) -> Path | None:
    """Rewrite the page after a build that wrote documents, or write it when the folder has none yet and
    the manifest lists fiches; the page's path, None when there is none."""
    path = Path(out_dir) / INDEX_NAME
    if wrote_documents or (not path.exists() and collect(manifest_file.read(Path(out_dir)), Path(out_dir))):
        return write(out_dir)
    return path if path.exists() else None
