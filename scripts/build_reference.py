"""Derive fichex's reference tables in data/ from the shared reference data (see data/SOURCES.md).

Usage: python scripts/build_reference.py [SHARED_DATA_DIR]

Reads INSEE COG 2024 (via @etalab/decoupage-administratif), ISO 3166-1 French names (pycountry and
i18n-iso-countries), INSEE NAF rév. 2 / NA 2008 tables (pynsee) the Territoires d'industrie list and
DGDDI's own annexes (territory codes, A129, CPF4 and country labels), and writes small UTF-8 CSV files. Deterministic: same inputs, same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "data"

EU27 = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
ZONES = {
    "Europe hors UE": "AD AL AX BA BY CH FO GB GG GI GL IM IS JE LI MC MD ME MK NO RS RU SJ SM TR UA VA XK",
    "Afrique": (
        "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW IO KE KM LR LS LY MA MG ML MR "
        "MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TF TG TN TZ UG YT ZA ZM ZW"
    ),
    "Amériques": (
        "AG AI AR AW BB BL BM BO BQ BR BS BZ CA CL CO CR CU CW DM DO EC FK GD GF GP GS GT GY HN HT JM KN KY "
        "LC MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT UM US UY VC VE VG VI"
    ),
    "Proche et Moyen-Orient": "AE BH IL IQ IR JO KW LB OM PS QA SA SY YE",
    "Asie": (
        "AF AM AZ BD BN BT CC CN CX GE HK ID IN JP KG KH KP KR KZ LA LK MM MN MO MV MY NP PH PK SG TH TJ TL "
        "TM TW UZ VN"
    ),
    "Océanie": "AS AU CK FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV VU WF WS",
    "Autres et non déterminés": "AQ BV",
}
# Usual short names as DGDDI and the press write them, where the ISO French name is formal.
NAME_OVERRIDES = {
    "US": "États-Unis", "KR": "Corée du Sud", "KP": "Corée du Nord", "RU": "Russie", "IR": "Iran",
    "SY": "Syrie", "VN": "Viêt Nam", "TW": "Taïwan", "BO": "Bolivie", "VE": "Venezuela",
    "TZ": "Tanzanie", "MD": "Moldavie", "LA": "Laos", "CZ": "Tchéquie", "GB": "Royaume-Uni",
    "CD": "République démocratique du Congo", "CG": "Congo", "FM": "Micronésie", "PS": "Palestine",
    "VA": "Vatican", "MK": "Macédoine du Nord", "BN": "Brunei", "AE": "Émirats arabes unis",
    "HK": "Hong Kong", "MO": "Macao", "NL": "Pays-Bas", "VG": "Îles Vierges britanniques",
    "VI": "Îles Vierges des États-Unis", "FK": "Îles Malouines", "CV": "Cap-Vert",
    "SZ": "Eswatini", "CI": "Côte d'Ivoire", "BQ": "Bonaire, Saint-Eustache et Saba",
    "UM": "Îles mineures éloignées des États-Unis", "SH": "Sainte-Hélène",
}
# DGDDI / Eurostat geonomenclature codes that are not ISO 3166-1 countries.
SPECIAL_PARTNERS = [
    ("QP", "Haute mer", "Autres et non déterminés"),
    ("QQ", "Avitaillement et soutage", "Autres et non déterminés"),
    ("QR", "Avitaillement et soutage (échanges intra-UE)", "Autres et non déterminés"),
    ("QS", "Avitaillement et soutage (échanges extra-UE)", "Autres et non déterminés"),
    ("QU", "Pays et territoires non déterminés", "Autres et non déterminés"),
    ("QV", "Pays et territoires non déterminés (intra-UE)", "Autres et non déterminés"),
    ("QW", "Pays et territoires non déterminés (extra-UE)", "Autres et non déterminés"),
    ("QX", "Pays non spécifiés pour raisons commerciales ou militaires", "Autres et non déterminés"),
    ("QY", "Pays non spécifiés, secret statistique (intra-UE)", "Autres et non déterminés"),
    ("QZ", "Pays non spécifiés, secret statistique (extra-UE)", "Autres et non déterminés"),
    ("XC", "Ceuta", "Afrique"),
    ("XL", "Melilla", "Afrique"),
    ("XS", "Serbie", "Europe hors UE"),  # DGDDI code of Serbia since 2005 (ISO: RS)
    ("XU", "Royaume-Uni (hors Irlande du Nord)", "Europe hors UE"),
    ("XI", "Royaume-Uni (Irlande du Nord)", "Europe hors UE"),
]
# A129 positions that carry goods in customs statistics (CPF divisions 01-32, 35, 38, 58, 59, 74, 90).
GOODS_PREFIXES = ("A", "B05", "B06", "B07", "B08", "C", "D35A", "E38", "J58", "J59", "M74", "R90")
# Positions inside those sections that are services, not goods.
SERVICES_IN_GOODS_SECTIONS = {"C33Z"}
# Short product names for charts and slides (fichex's wording; the INSEE activity label stays beside it).
SHORT_LABELS = {
    "A01Z": "Produits agricoles", "A02Z": "Produits sylvicoles", "A03Z": "Produits de la pêche",
    "B05Z": "Houille et lignite", "B06Z": "Hydrocarbures naturels", "B07Z": "Minerais métalliques",
    "B08Z": "Autres produits extractifs", "C10A": "Viandes", "C10B": "Produits de la mer transformés",
    "C10C": "Fruits et légumes transformés", "C10D": "Huiles et graisses", "C10E": "Produits laitiers",
    "C10F": "Produits du travail des grains", "C10G": "Boulangerie, pâtes", "C10H": "Autres produits alimentaires",
    "C10K": "Aliments pour animaux", "C11Z": "Boissons", "C12Z": "Tabac", "C13Z": "Textiles",
    "C14Z": "Habillement", "C15Z": "Cuir et chaussures", "C16Z": "Bois et articles en bois",
    "C17A": "Pâte à papier, papier, carton", "C17B": "Articles en papier ou carton",
    "C18Z": "Imprimés", "C19Z": "Produits pétroliers raffinés", "C20A": "Chimie de base, engrais",
    "C20B": "Savons, parfums, entretien", "C20C": "Autres produits chimiques", "C21Z": "Produits pharmaceutiques",
    "C22A": "Caoutchouc", "C22B": "Plastiques", "C23A": "Verre", "C23B": "Autres minéraux non métalliques",
    "C24A": "Sidérurgie", "C24B": "Métaux non ferreux", "C24C": "Fonderie", "C25A": "Éléments en métal (construction)",
    "C25B": "Réservoirs, chaudières", "C25C": "Armes et munitions", "C25D": "Forge, usinage",
    "C25E": "Coutellerie, outillage", "C26A": "Composants électroniques", "C26B": "Ordinateurs",
    "C26C": "Équipements de communication", "C26D": "Électronique grand public", "C26E": "Instruments de mesure, horlogerie",
    "C26F": "Équipements électromédicaux", "C26G": "Optique et photo", "C27A": "Appareils ménagers",
    "C27B": "Équipements électriques", "C28A": "Machines d'usage général", "C28B": "Machines agricoles",
    "C28C": "Machines-outils", "C28D": "Machines spécialisées", "C29A": "Automobiles",
    "C29B": "Équipements automobiles", "C30A": "Navires et bateaux", "C30B": "Matériel ferroviaire",
    "C30C": "Aéronautique et spatial", "C30D": "Véhicules militaires", "C30E": "Autres matériels de transport",
    "C31Z": "Meubles", "C32A": "Bijouterie, instruments de musique", "C32B": "Instruments médicaux",
    "C32C": "Articles de sport, jouets, divers", "D35A": "Électricité", "E38Z": "Déchets et récupération",
    "J58Z": "Livres et journaux", "J59Z": "Films et enregistrements", "M74Z": "Photographies et autres",
    "R90Z": "Objets d'art",
}

# INSEE's label files drop the accent of a capital letter now and then (« Edition ») where INSEE's own
# pages write it: French typography keeps it, and so do the workbooks.
LABEL_FIXES = {"Edition, audiovisuel et diffusion": "Édition, audiovisuel et diffusion"}


def read_naf_levels(shared: Path) -> pd.DataFrame:
    naf = pd.read_csv(shared / "insee_naf_na2008" / "naf2_sous_classes_vers_na2008.csv", dtype=str)
    labels = pd.read_csv(shared / "insee_naf_na2008" / "na2008_libelles.csv", dtype=str)
    lab = {(r.niveau, r.code): LABEL_FIXES.get(r.libelle_fr, r.libelle_fr) for r in labels.itertuples()}
    rows = []
    for code, grp in naf.groupby("a129", sort=True):
        first = grp.iloc[0]
        rows.append({
            "code_a129": code,
            "libelle": lab[("A129", code)],
            "libelle_court": SHORT_LABELS.get(code, lab[("A129", code)]),
            "code_a88": first.a88_division, "libelle_a88": lab[("A88", first.a88_division)],
            "code_a38": first.a38, "libelle_a38": lab[("A38", first.a38)],
            "code_a17": first.a17, "libelle_a17": lab[("A17", first.a17)],
            "code_a10": first.a10, "libelle_a10": lab[("A10", first.a10)],
            "bien": int(code.startswith(GOODS_PREFIXES) and code not in SERVICES_IN_GOODS_SECTIONS),
        })
    activities = pd.DataFrame(rows)
    classes = (
        naf[["naf_classe", "a129"]].drop_duplicates().rename(columns={"a129": "code_a129"})
        .sort_values("naf_classe").reset_index(drop=True)
    )
    return activities, classes


def read_countries(shared: Path) -> pd.DataFrame:
    """ISO countries and DGDDI special codes with fichex's short name and DGDDI's label (libelle_dgddi)."""
    dgddi = read_annex(shared / "dgddi_format" / "annexes" / "Libelle_PAYS.txt", "utf-8-sig")
    dgddi_label = dict(zip(dgddi["code"], dgddi["libelle"]))
    table = _iso_and_special(shared)
    # A code ISO leaves unnamed (Kosovo, XK) takes DGDDI's label.
    table["pays"] = table["pays"].where(table["pays"] != "", table["code_pays"].map(dgddi_label))
    table["pays_officiel"] = table["pays_officiel"].where(table["pays_officiel"] != "", table["pays"])
    extra = [{"code_pays": code, "pays": label, "pays_officiel": label, "zone": "Autres et non déterminés",
              "ue27": 0, "special": 1} for code, label in dgddi_label.items() if code not in set(table["code_pays"])]
    table = pd.concat([table, pd.DataFrame(extra)], ignore_index=True) if extra else table
    table["libelle_dgddi"] = table["code_pays"].map(dgddi_label).fillna("")
    unnamed = table.loc[table["pays"].isna() | (table["pays"] == ""), "code_pays"].tolist()
    if unnamed:
        raise SystemExit(f"codes pays sans nom : {unnamed}")
    return table.sort_values("code_pays").reset_index(drop=True)


def _iso_and_special(shared: Path) -> pd.DataFrame:
    iso = pd.read_csv(shared / "iso3166_fr" / "pays_iso3166_fr.csv", dtype=str, keep_default_na=False)
    zone_of = {code: "Union européenne (UE27)" for code in EU27.split()}
    for zone, codes in ZONES.items():
        for code in codes.split():
            assert code not in zone_of, code
            zone_of[code] = zone
    rows = []
    for r in iso.itertuples():
        if r.alpha2 not in zone_of:
            raise SystemExit(f"pays sans zone : {r.alpha2}")
        name = NAME_OVERRIDES.get(r.alpha2) or r.nom_commun_fr_pycountry or (
            r.nom_fr_pycountry if "," not in r.nom_fr_pycountry else r.nom_fr_i18n
        )
        rows.append({
            "code_pays": r.alpha2, "pays": name, "pays_officiel": r.nom_officiel_fr_pycountry or r.nom_fr_pycountry,
            "zone": zone_of[r.alpha2], "ue27": int(r.alpha2 in EU27.split()), "special": 0,
        })
    for code, name, zone in SPECIAL_PARTNERS:
        rows.append({"code_pays": code, "pays": name, "pays_officiel": name, "zone": zone, "ue27": 0, "special": 1})
    return pd.DataFrame(rows).sort_values("code_pays").reset_index(drop=True)


# DGDDI territories that are not COG départements (Departement_region.txt): Corse as one code, and Monaco,
# inside France's statistical territory and counted in Provence-Alpes-Côte d'Azur.
DGDDI_ONLY = [
    # code, name, INSEE région code
    ("20", "Corse", "94"),
    ("99", "Monaco", "93"),
]
# DGDDI's DOM codes and the COG codes of the same départements.
# INSEE's « type de nom en clair » (TNCC) of the DGDDI-only territories, which the COG does not list:
# « la Corse » (3: article « la »), « Monaco » (0: no article, a consonant).
DGDDI_ONLY_TNCC = {"20": 3, "99": 0}
DGDDI_DOM = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9E": "976"}
CURRENT = "999912"


def read_annex(path: Path, encoding: str) -> pd.DataFrame:
    """A DGDDI label annex (code;libellé;début;fin) keeping only the associations valid today."""
    table = pd.read_csv(path, sep=";", header=None, dtype=str, encoding=encoding, keep_default_na=False,
                        usecols=[0, 1, 2, 3], names=["code", "libelle", "debut", "fin"])
    table = table.apply(lambda column: column.str.strip())
    return table[table["fin"] == CURRENT].drop_duplicates("code", keep="last").reset_index(drop=True)


def dgddi_territories(shared: Path, deps: pd.DataFrame) -> pd.DataFrame:
    """departements.csv rows: COG départements and DGDDI-only territories, each with its DGDDI codes."""
    annex = pd.read_csv(shared / "dgddi_format" / "annexes" / "Departement_region.txt", sep=";", header=None,
                        dtype=str, names=["code_dgddi", "libelle", "code_region_dgddi", "region_dgddi"])
    cog_of = {dgddi: DGDDI_DOM.get(dgddi, dgddi) for dgddi in annex["code_dgddi"]}
    region_dgddi = dict(zip(annex["code_dgddi"], annex["code_region_dgddi"]))
    dgddi_of = {cog: dgddi for dgddi, cog in cog_of.items()}
    out = deps.copy()
    out["code_dgddi"] = out["code_departement"].map(dgddi_of).fillna("")
    out["code_region_dgddi"] = out["code_dgddi"].map(region_dgddi).fillna("")
    out["cog"] = 1
    out["dgddi"] = (out["code_dgddi"] != "").astype(int)
    regions = dict(zip(deps["code_region"], deps["region"]))
    extra = []
    for code, name, code_region in DGDDI_ONLY:
        members = deps[deps["code_region"] == code_region]
        extra.append({"code_departement": code, "departement": name, "code_region": code_region,
                      "region": regions[code_region], "zone": "metro",
                      # Corse: both départements; Monaco is not in the COG (0: the demo gives it its own weight).
                      "population": int(members["population"].sum()) if code == "20" else 0,
                      "code_dgddi": code, "code_region_dgddi": region_dgddi[code], "cog": 0, "dgddi": 1,
                      "tncc": DGDDI_ONLY_TNCC[code]})
    out = pd.concat([out, pd.DataFrame(extra)], ignore_index=True)
    missing = set(annex["code_dgddi"]) - set(out["code_dgddi"])
    if missing:
        raise SystemExit(f"codes DGDDI sans territoire : {sorted(missing)}")
    return out


def dgddi_products(shared: Path, classes: pd.DataFrame) -> pd.DataFrame:
    """CPF rév. 2.1 four-digit codes with DGDDI's label and their A129 position."""
    cpf4 = read_annex(shared / "dgddi_format" / "annexes" / "Libelle_CPF4_rev2.1.txt", "cp1252")
    by_class = dict(zip(classes["naf_classe"].str.replace(".", "", regex=False), classes["code_a129"]))
    by_division: dict[str, set[str]] = {}
    for naf_class, a129 in by_class.items():
        by_division.setdefault(naf_class[:2], set()).add(a129)

    def position(code: str) -> str:
        if code in by_class:
            return by_class[code]
        # « 0300 », « 3100 »: a division written on four digits.
        positions = by_division.get(code[:2], set())
        if code.endswith("00") and len(positions) == 1:
            return next(iter(positions))
        return ""  # services spread over several positions (4100, 4700…): the data files give their A129

    cpf4["code_a129"] = cpf4["code"].map(position)
    return cpf4.rename(columns={"code": "code_cpf4"})[["code_cpf4", "libelle", "code_a129"]]


def name_types(shared: Path) -> dict[str, int]:
    """INSEE's TNCC of each COG département (« type de nom en clair »: 0 no article, 1 no article before a
    vowel, 2 « le », 3 « la », 4 « les », 5 « l' »), the `typeLiaison` of the COG's raw JSON: how a sentence
    names it (« la Creuse », « le Nord », « les Bouches-du-Rhône », « Paris »)."""
    import gzip
    import json

    with gzip.open(shared / "cog2024_etalab" / "raw" / "departements.json.gz", "rt", encoding="utf-8") as raw:
        return {row["code"]: int(row["typeLiaison"]) for row in json.load(raw)}


def main(shared: Path) -> None:
    OUT.mkdir(exist_ok=True)
    deps = pd.read_csv(shared / "cog2024_etalab" / "departements_2024.csv", dtype=str)
    deps = deps[deps.zone.isin(["metro", "drom"])]
    deps = deps.rename(columns={"code_dep": "code_departement", "nom_dep": "departement",
                                "code_reg": "code_region", "nom_reg": "region"})
    communes = pd.read_csv(shared / "cog2024_etalab" / "communes_2024.csv.gz", dtype={"code_dep": str})
    population = communes[communes["type"] == "commune-actuelle"].groupby("code_dep")["population"].sum()
    deps["population"] = deps["code_departement"].map(population).fillna(0).astype(int)
    deps["tncc"] = deps["code_departement"].map(name_types(shared)).astype(int)
    deps = deps[["code_departement", "departement", "code_region", "region", "zone", "population", "tncc"]]
    dgddi_territories(shared, deps).to_csv(OUT / "departements.csv", index=False, lineterminator="\n")
    regs = pd.read_csv(shared / "cog2024_etalab" / "regions_2024.csv", dtype=str)
    regs = regs[regs.zone.isin(["metro", "drom"])].rename(columns={"code_reg": "code_region", "nom_reg": "region"})
    regs[["code_region", "region", "zone"]].to_csv(OUT / "regions.csv", index=False, lineterminator="\n")

    read_countries(shared).to_csv(OUT / "pays.csv", index=False, lineterminator="\n")
    activities, classes = read_naf_levels(shared)
    annexes = shared / "dgddi_format" / "annexes"
    a129 = read_annex(annexes / "Libelle_A129.txt", "utf-8-sig")
    activities.insert(2, "libelle_dgddi", activities["code_a129"].map(dict(zip(a129["code"], a129["libelle"])))
                      .fillna(""))
    dgddi_products(shared, classes).to_csv(OUT / "produits_cpf4.csv", index=False, lineterminator="\n")
    activities.to_csv(OUT / "activites_a129.csv", index=False, lineterminator="\n")
    classes.to_csv(OUT / "naf_classes_a129.csv", index=False, lineterminator="\n")

    ti = pd.read_csv(shared / "territoires_industrie" / "ti_departements.csv", dtype=str)
    ti = ti.rename(columns={"lib_ti": "territoire_industrie", "code_dep": "code_departement"})
    ti.to_csv(OUT / "territoires_industrie.csv", index=False, lineterminator="\n")
    totals = pd.read_csv(shared / "dgddi_format" / "reference_totals_2024.csv", dtype=str)
    totals.to_csv(OUT / "totaux_publies.csv", index=False, lineterminator="\n")
    partners = pd.read_csv(shared / "dgddi_format" / "partenaires_france_2024.csv", dtype=str)
    partners.to_csv(OUT / "partenaires_france_2024.csv", index=False, lineterminator="\n")
    print(f"{len(deps)} départements, {len(regs)} régions, {len(activities)} A129, {len(ti)} TI × dép. -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data")
