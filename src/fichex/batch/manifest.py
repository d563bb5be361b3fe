"""The build manifest (`fichex-manifest.json` in the output folder): what produced each file, and whether a
target's files are still up to date with their inputs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from fichex import __version__
from fichex.atomic import atomic_path, file_sha256
from fichex.batch.results import FileInfo, TargetResult
from fichex.batch.targets import output_path
from fichex.data.reference import Departement
from fichex.resources import default_template_path, package_dir, reference_dir

MANIFEST_NAME = "fichex-manifest.json"


def code_fingerprint() -> str:
    """sha256 over fichex's own code and reference tables: a change of wording or of a renderer without a
    version bump still rebuilds the documents."""
    files = sorted(package_dir().rglob("*.py")) + sorted(reference_dir().glob("*.csv"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_fingerprint(data_path: str, template: Path | None, year: int, formats: tuple[str, ...],
                       options: dict) -> str:
    """sha256 of everything a target's documents depend on: data file, template (when a deck is built),
    fichex's code and version, year, formats and the content options."""
    template_path = template or default_template_path()
    uses_template = "pptx" in formats or "pdf" in formats
    parts = {
        "fichex": __version__, "code": code_fingerprint(), "annee": year, "formats": list(formats),
        "donnees": file_sha256(Path(data_path)), "options": options,
        "modele": file_sha256(template_path) if uses_template and template_path.exists() else "",
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


def record(manifest: dict, result: TargetResult, provenance: dict) -> None:
    """Enter each file a target built, with `provenance` (year, data, fingerprint, command…)."""
    for info in result.files:
        manifest["fichiers"][info.path] = {"sha256": info.sha256, "size": info.size, "departement": result.code,
                                           **provenance}


def up_to_date(dep: Departement, year: int, formats: tuple[str, ...], out_dir: Path, manifest: dict,
               fingerprint: str) -> list[FileInfo] | None:
    """The target's files when every one was built from the same inputs and is unchanged on disk, else None."""
    files = []
    for fmt in formats:
        path = output_path(out_dir, year, dep.code, dep.nom, fmt)
        entry = manifest["fichiers"].get(str(path))
        if not entry or entry.get("empreinte_entrees") != fingerprint or not path.exists():
            return None
        if path.stat().st_size != entry.get("size") or file_sha256(path) != entry.get("sha256"):
            return None
        files.append(FileInfo(str(path), entry["size"], entry["sha256"]))
    return files
