"""The build manifest (`fichex-manifest.json` in the output folder): what produced each file, and whether a
target's files are still up to date with their inputs."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from fichex.version import __version__
from fichex.atomic import atomic_path, file_sha256
from fichex.batch.results import FileInfo, TargetResult
from fichex.batch.targets import Target, output_paths
from fichex.render.brand import brand_path
from fichex.resources import default_template_path, package_dir, reference_dir

MANIFEST_NAME = "fichex-manifest.json"


def code_fingerprint(code_dir: Path | None = None, tables_dir: Path | None = None) -> str:
    """sha256 over fichex's own code and reference tables (by default the installed package's): a change of
    wording or of a renderer without a version bump still rebuilds the documents. Each file counts by its
    path inside its folder and its bytes, so a file moved, added, removed or edited changes the digest."""
    code_dir = code_dir or package_dir()
    tables_dir = tables_dir or reference_dir()
    digest = hashlib.sha256()
    for folder, pattern in ((code_dir, "**/*.py"), (tables_dir, "*.csv")):
        for path in sorted(folder.glob(pattern)):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def inputs_fingerprint(data_path: str, template: Path | None, year: int, formats: tuple[str, ...],
                       options: dict, *, data_sha256: str | None = None) -> str:
    """sha256 of everything a target's documents depend on: data file, template and its brand.toml (when a
    deck is built), fichex's code and version, year, formats and the content options.

    Args:
        data_sha256: the data file's sha256 as the build read it (`TradeData.content_sha256`, from the file
            the build pinned); default: the file at `data_path` now.
    """
    template_path = template or default_template_path()
    uses_template = "pptx" in formats or "pdf" in formats
    parts = {
        "fichex": __version__, "code": code_fingerprint(), "annee": year, "formats": list(formats),
        "donnees": data_sha256 or file_sha256(Path(data_path)), "options": options,
        "modele": file_sha256(template_path) if uses_template and template_path.exists() else "",
        "marque": file_sha256(brand) if uses_template and (brand := brand_path(template)).exists() else "",
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def read(out_dir: Path) -> dict:
    """The manifest of an output folder (an empty one when absent or unreadable)."""
    try:
        manifest = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"fichiers": {}}
    # Hand-edited or foreign JSON: start afresh (its targets are rebuilt) rather than fail on its shape.
    if not isinstance(manifest, dict) or not isinstance(manifest.get("fichiers"), dict):
        return {"fichiers": {}}
    return manifest


def write(out_dir: Path, manifest: dict) -> None:
    """Write the manifest atomically."""
    with atomic_path(out_dir / MANIFEST_NAME) as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")


def key_of(out_dir: Path, path: Path | str) -> str:
    """A file's key in the manifest: its path inside the output folder (« 2024/23-creuse/….xlsx »), the
    same however the folder is spelled (relative, absolute, through a link)."""
    try:
        return Path(path).resolve().relative_to(Path(out_dir).resolve()).as_posix()
    except ValueError:
        return str(path)


def record(manifest: dict, result: TargetResult, provenance: dict, out_dir: Path) -> None:
    """Enter each file a target built, with `provenance` (year, data, fingerprint, command…), and its key
    figures in the « fiches » section, by target folder, for the index page."""
    for info in result.files:
        manifest["fichiers"][key_of(out_dir, info.path)] = {
            "sha256": info.sha256, "size": info.size, "departement": result.code,
            "niveau": result.level, "nom": result.nom, **provenance}
    if result.figures and result.files:
        if not isinstance(manifest.get("fiches"), dict):
            manifest["fiches"] = {}
        manifest["fiches"][key_of(out_dir, Path(result.files[0].path).parent)] = dict(result.figures)


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock: builds writing into the same folder update the manifest in turn."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory lock; concurrent builds there may lose entries
        yield
        return
    descriptor = os.open(out_dir, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def update(out_dir: Path, result: TargetResult, provenance: dict) -> None:
    """Enter a target's files into the manifest on disk, merged under the folder's lock with what other
    builds have written since, as soon as the target is built (an interrupted run describes what it left)."""
    with locked(out_dir):
        manifest = read(out_dir)
        record(manifest, result, provenance, out_dir)
        write(out_dir, manifest)


def up_to_date(dep: Target, year: int, formats: tuple[str, ...], out_dir: Path, manifest: dict,
               fingerprint: str) -> list[FileInfo] | None:
    """The target's files when every one was built from the same inputs and is unchanged on disk, else None."""
    files = []
    paths = output_paths(out_dir, year, dep)
    for fmt in formats:
        path = paths[fmt]
        entry = manifest["fichiers"].get(key_of(out_dir, path))
        if not entry or entry.get("empreinte_entrees") != fingerprint or not path.exists():
            return None
        if path.stat().st_size != entry.get("size") or file_sha256(path) != entry.get("sha256"):
            return None
        files.append(FileInfo(str(path), entry["size"], entry["sha256"]))
    return files
