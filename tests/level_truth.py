"""The defects that make a sentence untrue of its territory, or a number written two ways, as patterns to scan
every text of a generated document for (tests/wording/test_level_truth.py).

Each rule: a name, the kinds of territory it applies to, and a pattern; `defects` returns what a document's texts
break. The kinds: « departement », « region », « france », « monaco », « corse », « drom » (the last three are
départements too), « ti » (a Territoire d'industrie's documents, made of its départements' pages), « partiel » (a
département's documents on data covering part of France).
"""

from __future__ import annotations

import re
from typing import NamedTuple

COMMAND_LINE = "fichex "
ALL = frozenset({"departement", "region", "france", "monaco", "corse", "drom", "ti"})
NOT_DEPARTEMENT = frozenset({"region", "france"})


class Rule(NamedTuple):
    name: str
    kinds: frozenset
    pattern: re.Pattern


def _rule(name: str, kinds, pattern: str) -> Rule:
    return Rule(name, frozenset(kinds), re.compile(pattern))


# A département's own phrases: said of a région or France, they are false.
_DEPARTEMENT_PHRASES = (r"\b(du|ce|le|dans le|depuis le|avec le) département\b(?! (A|B|\d|exporte))"
                        r"|situation départementale|échelle départementale|regard départemental")

RULES = (
    # Level truth
    _rule("phrase de département", NOT_DEPARTEMENT, _DEPARTEMENT_PHRASES),
    _rule("« département » pour Monaco", {"monaco"},
          r"\b(du|ce|le|dans le|depuis le|avec le) département\b(?! (A|B|\d|exporte))|\d+e département sur"
          r"|département 99|Département : |Comparaison : département"),
    _rule("« monodépartementale »", ALL - {"drom"}, r"monodépartementale"),
    _rule("Corse « un seul département »", {"corse", "region"}, r"Corse.{0,40}un seul département"),
    _rule("part de soi-même", {"france"}, r"Part de la France|Rang national|(exportée|importée) au niveau national|sur 1 "),
    _rule("part de soi-même", {"region"}, r"Part de la région|valeur (exportée|importée) par la région"),
    _rule("part régionale de la région elle-même", {"corse", "drom"},
          r"Part de la région|la région et la France|de la région et du pays"),
    _rule("« 1er sur 1 »", ALL, r"\b1er sur 1\b"),
    _rule("comparaison à la région pour la France", {"france"}, r"comparés à la région|à sa région"),
    _rule("carte : le territoire pour le département", {"region", "france"},
          r"plus la (région|France) exporte"),
    # Sentences left with a hole
    _rule("« () »", ALL, r"\(\s*\)"),
    _rule("« ; . »", ALL, r";\s*\."),
    _rule("ligne répétée « ; rang ; rang »", ALL, r"(\d+e \w+ sur \d+ pour les \w+) ; \1"),
    # One number style
    _rule("chiffres séparés par une espace ordinaire", ALL, r"\d \d{3}(?!\d)"),
    _rule("trait d'union pour moins", ALL, r"(?<![\w\-–])-\d"),
    _rule("pourcentage détaché", ALL, r"\d[ \u00a0]%"),
    _rule("guillemet sans espace insécable", ALL, r"« |(?<=\S) »"),
    _rule("millions avec « .0 »", ALL, r"\d\.0[ \u00a0]?M€|\d\.0 millions"),
    _rule("période « 2025 : 1er trimestre : »", ALL, r"\d{4} : \d+(er|e) "),
    # Data covering part of France: its total is not France's
    _rule("« France entière » sur données partielles", {"partiel"}, r"France entière"),
    _rule("part de la France non qualifiée sur données partielles", {"partiel"},
          r"des exportations françaises|Part de la France(?! \(données partielles)"
          r"|(exportée|importée) au niveau national(?! \(données partielles)"),
)


def defects(kind: str, texts: list[tuple[str, str]]) -> list[str]:
    """« rule – part: text » for every text of a document of `kind` that a rule finds."""
    found = []
    for part, text in texts:
        if text.startswith(COMMAND_LINE):  # the command that made the document, as typed
            continue
        for rule in RULES:
            if kind in rule.kinds and rule.pattern.search(text):
                found.append(f"{rule.name} – {part}: {text[:200]}")
    return found
