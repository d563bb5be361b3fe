"""Build the documents of many départements: target selection, parallel workers, incremental skips, manifest."""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from fichex import __version__
from fichex.batch import targets as naming
from fichex.data import reference
from fichex.errors import DependencyError, FichexError, UnknownCodeError

FORMATS = ("xlsx", "pptx", "pdf")
DEFAULT_FORMATS = ("xlsx", "pptx")
MANIFEST_NAME = "fichex-manifest.json"
LIBREOFFICE_PACKAGES = "libreoffice-impress libreoffice-calc"


@dataclass(frozen=True)
class FileInfo:
    """A file written by a build."""

    path: str
    size: int
    sha256: str


@dataclass
class TargetResult:
    """What happened to one département."""

    code: str
    nom: str
    status: str  # "built" | "skipped" | "failed"
    files: list[FileInfo] = field(default_factory=list)
    reason: str = ""
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {"code": self.code, "nom": self.nom, "statut": {"built": "construit", "skipped": "inchangé",
                                                               "failed": "échec"}[self.status],
                "fichiers": [asdict(f) for f in self.files], "motif": self.reason,
                "secondes": round(self.seconds, 3)}


@dataclass
class BuildResult:
    """The outcome of a build: one result per target, in target order."""

    out_dir: Path
    year: int
    results: list[TargetResult]
    seconds: float = 0.0
    demonstration: bool = False
    data_source: str = ""

    @property
    def failed(self) -> list[TargetResult]:
        return [r for r in self.results if r.status == "failed"]

    def to_json(self) -> dict:
        counts = {s: sum(r.status == s for r in self.results) for s in ("built", "skipped", "failed")}
        return {"dossier": str(self.out_dir), "annee": self.year, "donnees_demonstration": self.demonstration,
                "source_donnees": self.data_source, "construits": counts["built"],
                "inchanges": counts["skipped"], "echecs": counts["failed"], "secondes": round(self.seconds, 3),
                "cibles": [r.to_json() for r in self.results]}


def parse_formats(text: str | Sequence[str]) -> tuple[str, ...]:
    """« xlsx,pptx » → ("xlsx", "pptx"), in canonical order.

    Raises:
        FichexError: an unknown format.
    """
    items = text.split(",") if isinstance(text, str) else list(text)
    wanted = {item.strip().lower() for item in items if item.strip()}
    unknown = sorted(wanted - set(FORMATS))
    if unknown or not wanted:
        raise FichexError(f"format inconnu : {', '.join(unknown) or '(vide)'} ; formats possibles : {','.join(FORMATS)}")
    return tuple(f for f in FORMATS if f in wanted)


def resolve_targets(codes: Sequence[str] = (), region: str | None = None, all_departements: bool = False) -> list[str]:
    """Département codes to build, checked before any work starts.

    Raises:
        UnknownCodeError: an unknown département or région code, with the closest valid codes.
    """
    chosen: list[str] = []
    if all_departements:
        chosen.extend(reference.departements()["code_departement"])
    if region is not None:
        chosen.extend(reference.departements_of_region(region))
    errors = []
    for code in codes:
        try:
            chosen.append(reference.departement(code).code)
        except UnknownCodeError as exc:
            errors.append(str(exc))
    if errors:
        raise UnknownCodeError(errors[0])
    if not chosen:
        raise UnknownCodeError(
            "aucune cible : donnez des codes département (23 87 2A), --region CODE ou --all"
        )
    return list(dict.fromkeys(chosen))


def _file_info(path: Path) -> FileInfo:
    from fichex.atomic import file_sha256

    return FileInfo(str(path), path.stat().st_size, file_sha256(path))


def soffice_path() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_libreoffice() -> str:
    """Path of soffice, or a DependencyError naming the Debian packages."""
    found = soffice_path()
    if not found:
        raise DependencyError(
            f"LibreOffice introuvable pour produire les PDF ; installez-le : apt-get install -y {LIBREOFFICE_PACKAGES}"
        )
    return found


def convert_to_pdf(source: Path, target: Path, profile_dir: Path) -> None:
    """Convert an Office file to PDF with LibreOffice headless, atomically into `target`."""
    from fichex.atomic import atomic_path

    soffice = require_libreoffice()
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".pdf-") as work:
        command = [soffice, "--headless", f"-env:UserInstallation=file://{profile_dir}", "--convert-to", "pdf",
                   "--outdir", work, str(source)]
        completed = subprocess.run(command, capture_output=True, timeout=300, check=False)
        produced = Path(work) / (source.stem + ".pdf")
        if completed.returncode != 0 or not produced.exists():
            raise FichexError(f"LibreOffice n'a pas pu convertir {source.name} en PDF ; réessayez avec --jobs 1")
        with atomic_path(target) as tmp:
            shutil.copyfile(produced, tmp)


# --- one process's state: the data is loaded and aggregated once per process, not once per target ---
_STATE: dict = {}


def _init_state(data: str, template: str | None, top: int, in_worker: bool = False) -> None:
    from fichex.data import trade as trade_module
    from fichex.aggregation.aggregate import FicheBuilder

    if in_worker:
        from fichex.atomic import stop_once_on_signals

        stop_once_on_signals()
    # The main process validated this file before starting the workers; they only read it.
    trade = trade_module.load(data, validated=False)
    _STATE.update(builder=FicheBuilder(trade, top), trade=trade, template=template, in_worker=in_worker)
    if in_worker:
        # multiprocessing children leave through os._exit, skipping atexit: its own finalizers do run.
        from multiprocessing.util import Finalize

        Finalize(None, _remove_libreoffice_profile, exitpriority=10)


def _libreoffice_profile() -> Path:
    """A LibreOffice user profile for this process (created on the first PDF, removed at the end)."""
    if "profile" not in _STATE:
        _STATE["profile"] = Path(tempfile.mkdtemp(prefix="fichex-lo-"))
    return _STATE["profile"]


def _remove_libreoffice_profile() -> None:
    profile = _STATE.pop("profile", None)
    if profile is not None:
        shutil.rmtree(profile, ignore_errors=True)


def _release_memory() -> None:
    import gc

    from fichex.data.trade import release_unused_memory

    gc.collect()
    release_unused_memory()


STALE_AFTER_SECONDS = 600


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove temporaries left by a process killed without warning (SIGKILL, power loss); recent ones may
    belong to another build still running in the same folder."""
    if folder.is_dir():
        now = time.time()
        for stale in folder.glob(".commerce-exterieur-*.tmp"):
            try:
                if now - stale.stat().st_mtime > STALE_AFTER_SECONDS:
                    stale.unlink(missing_ok=True)
            except OSError:
                continue


def document_command(code: str, year: int, data: str | None, template: str | None, top: int) -> str:
    """The command that reproduces one target's documents, as written in them: only the options that change
    their content (so that --jobs, --out-dir or --quiet do not change a byte)."""
    parts = ["fichex build", code, f"--year {year}"]
    if data:
        parts.append(f"--data {data}")
    if template:
        parts.append(f"--template {template}")
    if top != 10:
        parts.append(f"--top {top}")
    return " ".join(parts)


def _build_target(code: str, year: int, formats: tuple[str, ...], out_dir: str, options: dict) -> TargetResult:
    from fichex.aggregation.aggregate import long_table
    from fichex.atomic import ensure_dir

    start = time.perf_counter()
    dep = reference.departement(code)
    result = TargetResult(dep.code, dep.nom, "built")
    try:
        fiche = _STATE["builder"].build(dep.code, year)
        paths = {fmt: naming.output_path(Path(out_dir), year, dep.code, dep.nom, fmt) for fmt in FORMATS}
        folder = ensure_dir(paths["xlsx"].parent)
        _remove_stale_temporaries(folder)
        if "xlsx" in formats:
            from fichex.render.xlsx import write_workbook

            write_workbook(fiche, long_table(_STATE["trade"], dep.code), paths["xlsx"],
                           command=document_command(dep.code, year, **options), version=__version__)
        if "pptx" in formats or "pdf" in formats:
            from fichex.render.pptx import write_deck

            template = Path(_STATE["template"]) if _STATE["template"] else None
            if "pptx" in formats:
                write_deck(fiche, paths["pptx"], template=template)
                deck = paths["pptx"]
            else:
                deck = folder / f".{paths['pptx'].name}"
                write_deck(fiche, deck, template=template)
            if "pdf" in formats:
                try:
                    convert_to_pdf(deck, paths["pdf"], _libreoffice_profile())
                finally:
                    if deck != paths["pptx"]:
                        deck.unlink(missing_ok=True)
        result.files = [_file_info(paths[fmt]) for fmt in formats]
    except FichexError as exc:
        result.status, result.reason = "failed", str(exc)
    except Exception as exc:  # one target's bug must not stop the others; reported with its type
        result.status, result.reason = "failed", f"erreur inattendue ({type(exc).__name__} : {exc})"
    except (KeyboardInterrupt, SystemExit):
        # Temporary files are already removed (outputs.atomic_path). A worker stops here rather than
        # taking the next target; in the main process the interruption goes up to the CLI.
        if _STATE.get("in_worker"):
            os._exit(130)
        raise
    result.seconds = time.perf_counter() - start
    return result


def _code_fingerprint() -> str:
    """sha256 over fichex's own code and reference tables: a change of wording or of a renderer without a
    version bump still rebuilds the documents."""
    from fichex.resources import reference_dir

    package = Path(__file__).resolve().parent
    files = sorted(package.rglob("*.py")) + sorted(reference_dir().glob("*.csv"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _fingerprint(data_path: str, template: Path | None, year: int, formats: tuple[str, ...], top: int,
                 options: dict) -> str:
    from fichex.atomic import file_sha256
    from fichex.resources import default_template_path

    template_path = template or default_template_path()
    uses_template = "pptx" in formats or "pdf" in formats
    parts = {
        "fichex": __version__, "code": _code_fingerprint(), "annee": year, "formats": list(formats), "top": top,
        "donnees": file_sha256(Path(data_path)), "options": options,
        "modele": file_sha256(template_path) if uses_template and template_path.exists() else "",
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _read_manifest(out_dir: Path) -> dict:
    path = out_dir / MANIFEST_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"fichiers": {}}


def _write_manifest(out_dir: Path, manifest: dict) -> None:
    from fichex.atomic import atomic_path

    with atomic_path(out_dir / MANIFEST_NAME) as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")


def _up_to_date(code: str, nom: str, year: int, formats, out_dir: Path, manifest: dict, fingerprint: str):
    files = []
    for fmt in formats:
        path = naming.output_path(out_dir, year, code, nom, fmt)
        entry = manifest["fichiers"].get(str(path))
        if not entry or entry.get("empreinte_entrees") != fingerprint or not path.exists():
            return None
        from fichex.atomic import file_sha256

        if path.stat().st_size != entry.get("size") or file_sha256(path) != entry.get("sha256"):
            return None
        files.append(FileInfo(str(path), entry["size"], entry["sha256"]))
    return files


def build(codes: Sequence[str] = (), *, region: str | None = None, all_departements: bool = False,
          year: int = 2024, formats: Sequence[str] = DEFAULT_FORMATS, out_dir: Path | str = "out",
          data: Path | str | None = None, template: Path | str | None = None, jobs: int | None = None,
          force: bool = False, top: int = 10, command: str = "",
          on_result: Callable[[TargetResult, int, int], None] | None = None) -> BuildResult:
    """Build the workbook, deck and/or PDF of each target département.

    Targets are checked before any work starts. Each target is independent: a failure is recorded in
    its result and the others go on. Outputs are written atomically; a target whose outputs were
    produced from the same inputs (data, template, fichex version, year, formats) is skipped unless
    `force`.

    Args:
        codes: département codes; region: a région code (its départements); all_departements: every one.
        jobs: worker processes (default: number of cores; 1 = in this process).
        on_result: called after each target with (result, done, total), for progress displays.

    Raises:
        UnknownCodeError, InputDataError, TemplateError, OutputError, DependencyError: before any work.
    """
    from fichex import api
    from fichex.atomic import ensure_dir

    start = time.perf_counter()
    targets = resolve_targets(codes, region, all_departements)
    formats = parse_formats(formats)
    out_dir = Path(out_dir)
    if "pdf" in formats:
        require_libreoffice()
    template_path = Path(template) if template else None
    if template_path is not None and ("pptx" in formats or "pdf" in formats):
        from fichex.render.template import load_template

        load_template(template_path)  # a bad template fails once, before any work
    trade = api.load_data(data)  # validated here once, so that bad data fails before any work
    data_info, years = trade.info, trade.years
    if year not in years:
        from fichex.errors import InputDataError

        raise InputDataError(f"aucune donnée pour l'année {year} ; années disponibles : "
                             f"{', '.join(map(str, years))} (option --year)")
    options = {"data": str(data) if data else None, "template": str(template_path) if template_path else None,
               "top": top}
    fingerprint = _fingerprint(data_info.path, template_path, year, formats, top, options)
    ensure_dir(out_dir)  # only once everything else has been checked: a refused build leaves nothing
    manifest = _read_manifest(out_dir)

    results: dict[str, TargetResult] = {}
    pending = []
    for code in targets:
        dep = reference.departement(code)
        files = None if force else _up_to_date(dep.code, dep.nom, year, formats, out_dir, manifest, fingerprint)
        if files is not None:
            results[code] = TargetResult(dep.code, dep.nom, "skipped", files, "à jour (mêmes entrées)")
        else:
            pending.append(code)

    total, done = len(targets), 0
    for code in targets:
        if code in results and on_result:
            done += 1
            on_result(results[code], done, total)

    jobs = max(1, min(jobs or os.cpu_count() or 1, len(pending) or 1))
    args = (year, formats, str(out_dir), options)
    try:
        if jobs == 1 or len(pending) <= 1:
            _STATE.clear()
            _STATE.update(builder=None)
            if pending:
                from fichex.aggregation.aggregate import FicheBuilder

                _STATE.update(builder=FicheBuilder(trade, top), trade=trade,
                              template=str(template_path) if template_path else None)
            for code in pending:
                results[code] = _build_target(code, *args)
                done += 1
                if on_result:
                    on_result(results[code], done, total)
        else:
            # Workers load the data themselves; the main process lets its copy go (peak memory).
            del trade
            _release_memory()
            context = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
            with cf.ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_state,
                                        initargs=(data_info.path, str(template_path) if template_path else None,
                                                  top, True)) as pool:
                futures = {pool.submit(_build_target, code, *args): code for code in pending}
                try:
                    for future in cf.as_completed(futures):
                        code = futures[future]
                        try:
                            results[code] = future.result()
                        except Exception as exc:  # a worker died (killed, out of memory)
                            dep = reference.departement(code)
                            results[code] = TargetResult(dep.code, dep.nom, "failed",
                                                         reason=f"processus interrompu ({type(exc).__name__})")
                        done += 1
                        if on_result:
                            on_result(results[code], done, total)
                except BaseException:
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
    finally:
        _remove_libreoffice_profile()
        built = [r for r in results.values() if r.status == "built"]
        if built:
            for result in built:
                for info in result.files:
                    manifest["fichiers"][info.path] = {
                        "sha256": info.sha256, "size": info.size, "departement": result.code, "annee": year,
                        "donnees_demonstration": data_info.demonstration,
                        "empreinte_entrees": fingerprint, "fichex": __version__, "donnees": data_info.path,
                        "source_donnees": data_info.source, "modele": str(template_path or "modèle intégré"),
                        "commande": command,
                    }
            _write_manifest(out_dir, manifest)

    return BuildResult(out_dir, year, [results[c] for c in targets], time.perf_counter() - start,
                       demonstration=data_info.demonstration, data_source=data_info.source)
