"""Helpers of the DGDDI import tests: the official example lines, a small regional table, annexes with
the real files' quirks, malformed lines with their motif."""

import pandas as pd
import numpy as np

from fichex.data.importing import common, dgddi

# The two example lines of DGDDI's « Description des jeux de données » (part IV).
OFFICIAL_EXPORT = "E;3;2018;01;18;A01Z;0111;BE;406473;1210935\n"


OFFICIAL_IMPORT = "I;3;2018;01;18;A01Z;0111;AR;52;11\n"


OFFICIAL_NATIONAL = "I;09;2018;014310;A01Z;01012100;AU;70000;1000;2\n"


# DGDDI territory codes and their DGDDI région: Corse, two DOM, Monaco and PACA's départements, Creuse.
TERRITORIES = {"20": "22", "9A": "24", "9D": "24", "99": "21", "06": "21", "13": "21", "83": "21", "23": "09"}


PRODUCTS = [("A01Z", "0111"), ("C11Z", "1102"), ("C30C", "3030"), ("C21Z", "2120"), ("C10A", "1013")]


COUNTRIES = ["BE", "DE", "US", "CN", "IT", "XK", "QU", "MC"]


def regional_rows(seed: int = 7) -> pd.DataFrame:
    """A small regional table: 2023 in full, the first two quarters of 2024, both flows."""
    rng = np.random.default_rng(seed)
    rows = []
    for year, quarters in ((2023, (1, 2, 3, 4)), (2024, (1, 2))):
        for quarter in quarters:
            for flow in "EI":
                for dep, region in TERRITORIES.items():
                    for a129, cpf4 in PRODUCTS:
                        for country in rng.choice(COUNTRIES, size=3, replace=False):
                            value = int(rng.integers(1, 5_000_000))
                            rows.append((flow, quarter, year, dep, region, a129, cpf4, country, value,
                                         int(value / 3)))
    return pd.DataFrame(rows, columns=list(dgddi.FIELDS))


def write_lines(path, frame: pd.DataFrame) -> None:
    frame.to_csv(path, sep=";", header=False, index=False, lineterminator="\n")


def annexes() -> dict[str, bytes]:
    """Label annexes with the real files' quirks: cp1252 CPF4 labels, a BOM on A129, QU twice in PAYS."""
    return {
        "Libelle_CPF4_rev2.1.txt": "0111;Céréales (à l'exclusion du riz);201501;999912\r\n".encode("cp1252"),
        "Libelle_A129.txt": "\ufeffA01Z;Produits de la culture et de l’élevage;200901;999912\r\n".encode(),
        "Libelle_PAYS.txt": "QU;Pays NDA;190001;199912\r\nQU;Pays et territoires non déterminés;201201;999912\r\n"
                            "XK;Kosovo;200506;999912\r\n".encode(),
        "Departement_region.txt": "20;Corse;22;Corse\r\n99;Principauté de Monaco;21;Provence-Alpes-Côte d'Azur\r\n"
                                  .encode(),
    }


MALFORMED = [
    ("E;3;2018;01;18;A01Z;0111;BE;406473\n", common.MOTIF_FIELD_COUNT),  # 9 fields
    ("E;5;2018;01;18;A01Z;0111;BE;406473;1210935\n", common.MOTIF_QUARTER),
    ("E;3;2018;01;18;A01Z;0111;BE;quatre;1210935\n", common.MOTIF_VALUE_NOT_INTEGER),
    ("E;3;2018;01;18;A01Z;0111;BE;406,5;1210935\n", common.MOTIF_VALUE_NOT_INTEGER),  # a comma in an integer euro field
    ("E;3;2018;98;18;A01Z;0111;BE;406473;1210935\n", common.MOTIF_DEPARTEMENT),
    ("E;3;2018;01 ;18;A01Z;0111;BE;406473;1210935\n", common.MOTIF_DEPARTEMENT),  # a trailing space
    ("E;3;1899;01;18;A01Z;0111;BE;406473;1210935\n", common.MOTIF_YEAR),
    ("E;3;2018;01;09;A01Z;0111;BE;406473;1210935\n", common.MOTIF_REGION),
    ("E;3;2018;01;18;Z99Z;0111;BE;406473;1210935\n", common.MOTIF_A129),
    ("E;3;2018;01;18;A01Z;0111;ZZ;406473;1210935\n", common.MOTIF_COUNTRY),
    ("E;3;2018;01;18;A01Z;0111;BE;-5;1210935\n", common.MOTIF_VALUE_NEGATIVE),
]
