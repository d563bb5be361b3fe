"""What a batch build reports: the files written, the outcome of each target, the whole build."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from fichex.wording import console as console_text
from fichex.atomic import file_sha256
from fichex.json_contract import SCHEMA_VERSION, territory_json

STATUSES = ("built", "skipped", "failed")


@dataclass(frozen=True)
class FileInfo:
    """A file written by a build."""

    path: str
    size: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> FileInfo:
        """Size and sha256 of a file on disk."""
        return cls(str(path), path.stat().st_size, file_sha256(path))


def target_key(level: str, code: str) -> str:
    """A target's code made unique across levels: « 75 » is Paris, « R75 » Nouvelle-Aquitaine, « FR » France,
    « TI-creuse-industrie » a Territoire d'industrie."""
    return {"departement": code, "region": f"R{code}", "france": "FR", "territoire": f"TI-{code}"}[level]


@dataclass
class TargetResult:
    """What happened to one target (a département, a région, France, a Territoire d'industrie)."""

    code: str
    nom: str
    status: str  # one of STATUSES
    files: list[FileInfo] = field(default_factory=list)
    reason: str = ""
    seconds: float = 0.0
    figures: dict = field(default_factory=dict)  # key figures of a built fiche, for the index page
    level: str = "departement"

    @property
    def key(self) -> str:
        """Unique across levels, as batch.targets.Target.key."""
        return target_key(self.level, self.code)

    def to_json(self) -> dict:
        return {"code": self.code, "nom": self.nom, "niveau": self.level,
                "territoire": territory_json(self.level, self.code, self.nom), "statut": console_text.STATUS[self.status],
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
    notes: list[str] = field(default_factory=list)
    index: Path | None = None  # the output folder's index.html

    @property
    def failed(self) -> list[TargetResult]:
        return [r for r in self.results if r.status == "failed"]

    def counts(self) -> dict[str, int]:
        """Number of targets per status."""
        return {s: sum(r.status == s for r in self.results) for s in STATUSES}

    def to_json(self) -> dict:
        counts = self.counts()
        return {"schema_version": SCHEMA_VERSION, "dossier": str(self.out_dir), "annee": self.year, "donnees_demonstration": self.demonstration,
                "source_donnees": self.data_source, "notes": list(self.notes), "construits": counts["built"],
                "inchanges": counts["skipped"], "echecs": counts["failed"], "secondes": round(self.seconds, 3),
                "index": str(self.index) if self.index else None,
                "cibles": [r.to_json() for r in self.results]}
