"""Library entry points behind the CLI: key figures, reference listings, data loading."""

from __future__ import annotations

from pathlib import Path

from fichex.data import reference
from fichex.aggregation.model import Fiche, PartnerTrade

DEFAULT_YEAR = 2024


def load_data(data: Path | str | None = None):
    """The canonical trade table: `data` (file or folder), else $FICHEX_DATA, else the demonstration dataset."""
    from fichex.data import trade

    return trade.load(data)


def fiche(code: str, year: int = DEFAULT_YEAR, data: Path | str | None = None, top: int = 10) -> Fiche:
    """The fiche of one département.

    Raises:
        UnknownCodeError: unknown département code.
        InputDataError: unreadable data, or no row for that year.
    """
    from fichex.aggregation.aggregate import FicheBuilder

    reference.departement(code)  # fail on a bad code before loading the data
    return FicheBuilder(load_data(data), top).build(code, year)


def _partner_json(partner: PartnerTrade, rank: int) -> dict:
    return {"rang": rank, "code": partner.code, "pays": partner.nom, "zone": partner.zone,
            "exportations_eur": partner.exports_eur, "importations_eur": partner.imports_eur,
            "solde_eur": partner.balance_eur}


def figures_json(result: Fiche) -> dict:
    """The key figures of a fiche as a JSON-ready dict (keys in French, amounts in euros)."""

    def flow(share) -> dict:
        return {"total_eur": share.total_eur, "part_region_pct": share.share_of_region_pct,
                "part_france_pct": share.share_of_france_pct, "rang_departements": share.rank,
                "nb_departements": share.n_departements, "total_region_eur": share.region_total_eur,
                "total_france_eur": share.france_total_eur}

    return {
        "departement": {"code": result.departement.code, "nom": result.departement.nom},
        "region": {"code": result.region.code, "nom": result.region.nom},
        "annee": result.year,
        "exportations": flow(result.exports),
        "importations": flow(result.imports),
        "solde_eur": result.balance_eur,
        "territoires_industrie": list(result.territoires_industrie),
        "top_pays_export": [_partner_json(p, i) for i, p in enumerate(result.local.top_partners_export, 1)],
        "top_pays_import": [_partner_json(p, i) for i, p in enumerate(result.local.top_partners_import, 1)],
        "couverture": {"departements_presents": result.exports.departements_in_data,
                       "departements_attendus": result.exports.departements_total,
                       "region_complete": result.exports.region_complete,
                       "france_complete": result.exports.france_complete},
        "donnees_demonstration": result.demonstration,
        "source_donnees": result.data.source,
    }


def key_figures(code: str, year: int = DEFAULT_YEAR, data: Path | str | None = None, top: int = 10) -> dict:
    """Key figures of a département as a JSON-ready dict (see figures_json)."""
    return figures_json(fiche(code, year, data, top))


LISTABLE = ("departements", "regions", "territoires")


def listing(kind: str) -> list[dict]:
    """Reference listing: départements, régions or Territoires d'industrie, as a list of dicts.

    Raises:
        UnknownCodeError: kind is not one of LISTABLE.
    """
    from fichex.errors import UnknownCodeError

    if kind == "departements":
        table = reference.departements()[["code_departement", "departement", "code_region", "region"]]
        return table.to_dict("records")
    if kind == "regions":
        deps = reference.departements()
        counts = deps.groupby("code_region").size()
        return [{"code_region": r.code_region, "region": r.region, "nb_departements": int(counts.get(r.code_region, 0))}
                for r in reference.regions().itertuples()]
    if kind == "territoires":
        table = reference.territoires_industrie()
        grouped = table.groupby("territoire_industrie", sort=False)["code_departement"].apply(list)
        return [{"territoire_industrie": name, "departements": codes} for name, codes in grouped.items()]
    raise UnknownCodeError(f"liste inconnue : « {kind} » ; choisissez parmi {', '.join(LISTABLE)}")
