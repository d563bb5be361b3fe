"""Which caveats and comparisons apply to a fiche, decided once from its territory and its figures: data
(`model.Caveat`) that the wording phrases, never a rule the wording re-derives.

The kinds: the ports and hydrocarbons (from 10 % of a flow), an overseas département (trade with mainland France
is not foreign trade), Paris's energy imports (DGDDI convention), Corse (2A and 2B published together as 20),
Monaco (a territory in customs union, counted in PACA), a partial year, the EMEBI break (from two years in one
document), a one-département région (no share of the région), data covering part of France.
"""

from __future__ import annotations

from fichex.aggregation.model import (CAVEAT_CORSICA, CAVEAT_DROM, CAVEAT_EMEBI, CAVEAT_MONACO, CAVEAT_PARIS_ENERGY,
                                      CAVEAT_PARTIAL_DATA, CAVEAT_PARTIAL_YEAR, CAVEAT_PORTS, CAVEAT_SINGLE_REGION,
                                      COMPARED_YEARS_MIN, FLOWS, IMPORT, Caveat, Fiche)
from fichex.territories import CORSICA_CODE, DROM_CODES, MONACO_CODE, PARIS_CODE

HYDROCARBON_CODES = ("B06Z", "C19Z")  # A129: crude oil and natural gas, refined petroleum products
HYDROCARBON_SHARE_MIN = 0.10           # from 10 % of a flow, the ports-and-hydrocarbons caveat applies


def hydrocarbon_shares(fiche: Fiche) -> tuple[tuple[str, float], ...]:
    """(flow, share of the flow in %) for each flow the hydrocarbons weigh at least HYDROCARBON_SHARE_MIN of."""
    shares = []
    for flow in FLOWS:
        total = fiche.share(flow).total_eur
        hydrocarbons = sum(a.value(flow) for a in fiche.activities if a.code in HYDROCARBON_CODES)
        if total and hydrocarbons / total >= HYDROCARBON_SHARE_MIN:
            shares.append((flow, 100 * hydrocarbons / total))
    return tuple(shares)


def decide(fiche: Fiche) -> tuple[Caveat, ...]:
    """Every caveat that applies to the fiche, in the order the documents say them."""
    code = fiche.territory.code if fiche.level == "departement" else ""
    found = []
    if shares := hydrocarbon_shares(fiche):
        found.append(Caveat(CAVEAT_PORTS, tuple(flow for flow, _ in shares), shares))
    if code in DROM_CODES:
        found.append(Caveat(CAVEAT_DROM))
    if code == PARIS_CODE:
        found.append(Caveat(CAVEAT_PARIS_ENERGY, (IMPORT,)))
    if code == CORSICA_CODE:
        found.append(Caveat(CAVEAT_CORSICA))
    if code == MONACO_CODE:
        found.append(Caveat(CAVEAT_MONACO))
    if fiche.level == "departement" and fiche.single_departement_region:
        found.append(Caveat(CAVEAT_SINGLE_REGION))
    if fiche.partial:
        found.append(Caveat(CAVEAT_PARTIAL_YEAR))
    if len(fiche.years_available) >= COMPARED_YEARS_MIN:
        found.append(Caveat(CAVEAT_EMEBI))
    if not fiche.exports.france_complete:
        found.append(Caveat(CAVEAT_PARTIAL_DATA))
    return tuple(found)
