"""The grammar of the territory a document is about: what it is called, with which article, what « ce
territoire » is, what it is ranked among, which shares it has.

Every sentence that names the fiche's territory is written from a `Place`, so a région's and France's
documents are written for their level, not rewritten from a département's. The levels and their special
territories: a département (named by INSEE's TNCC: « la Creuse », « les Bouches-du-Rhône », « Paris »), a
one-département région's département (DROM: its région is itself), Corse as customs reports it (« 20 »: Corse-du-Sud
and Haute-Corse together), Monaco (« la Principauté de Monaco », a territory, not a département), a région, France.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fichex.territories import CORSICA_CODE, DROM_CODES, MONACO_CODE
from fichex.wording.grammar import territory_forms

if TYPE_CHECKING:
    from fichex.aggregation.model import Fiche


DEPARTEMENT, REGION, FRANCE = "departement", "region", "france"


@dataclass(frozen=True)
class Place:
    """A territory's grammar. `the` is « le département », `of_the` « du département », `in_the` « dans le
    département », `from_the` « depuis le département », `this` « ce département », `scale` « départementale »;
    `subject` and `of_subject` name it (« la Creuse », « de la Creuse »); `ranked_among` is what its ranks count
    (« départements »; empty for France, ranked among nothing)."""

    level: str
    code: str
    name: str
    noun: str
    the: str
    of_the: str
    in_the: str
    from_the: str
    this: str
    scale: str
    subject: str
    of_subject: str
    ranked_among: str
    has_region_share: bool  # a région above it, other than itself (not a région, France, a DROM or Corse)
    has_france_share: bool  # everything but France

    @property
    def rank_noun(self) -> str:
        """What one of those it is ranked among is: « département », « région », « territoire » (Monaco)."""
        return self.ranked_among[:-1]

    @property
    def is_departement(self) -> bool:
        return self.level == DEPARTEMENT

    @property
    def is_monaco(self) -> bool:
        return self.level == DEPARTEMENT and self.code == MONACO_CODE

    @property
    def is_corsica(self) -> bool:
        return self.level == DEPARTEMENT and self.code == CORSICA_CODE

    @property
    def is_drom(self) -> bool:
        return self.level == DEPARTEMENT and self.code in DROM_CODES


def departement_place(code: str, name: str, tncc: int | None, single_region: bool = False) -> Place:
    """A département's grammar (Monaco's is a territory's; a DROM's and Corse's région is itself)."""
    subject, of_subject, _ = territory_forms(name, tncc)
    if code == MONACO_CODE:
        return Place(DEPARTEMENT, code, name, "territoire", "la Principauté", "de la Principauté", "dans la Principauté",
                     "depuis la Principauté", "ce territoire", "locale", "la Principauté de Monaco",
                     "de la Principauté de Monaco", "territoires", True, True)
    return Place(DEPARTEMENT, code, name, "département", "le département", "du département", "dans le département",
                 "depuis le département", "ce département", "départementale", subject, of_subject, "départements",
                 not single_region, True)


def region_place(code: str, name: str) -> Place:
    """A région's grammar: « la région Bretagne » (always right, where région names take various articles)."""
    return Place(REGION, code, name, "région", "la région", "de la région", "dans la région", "depuis la région",
                 "cette région", "régionale", f"la région {name}", f"de la région {name}", "régions", False, True)


def france_place(name: str = "France") -> Place:
    """France's grammar: no share of itself, no rank."""
    return Place(FRANCE, "FR", name, "pays", "la France", "de la France", "en France", "depuis la France", "ce pays",
                 "nationale", "la France", "de la France", "", False, False)


def place_of(fiche: Fiche) -> Place:
    """The grammar of the fiche's territory."""
    territory = fiche.territory
    if fiche.level == REGION:
        return region_place(territory.code, territory.nom)
    if fiche.level == FRANCE:
        return france_place(territory.nom)
    return departement_place(territory.code, territory.nom, territory.tncc, fiche.single_departement_region)
