"""Helpers of the tidy-table import tests: the fixtures folder, reading back what an import wrote, a
DGDDI région download of crossed xlsx files built at test time."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl

from fichex.data import trade

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def canonical_rows(into: Path) -> list[tuple]:
    """The annual rows (quarters summed), sorted."""
    table = trade.load(into).table
    annual = table.groupby(["annee", "flux", "code_departement", "code_produit", "code_pays"], observed=True,
                           sort=True)["valeur_eur"].sum()
    return [(int(y), f, d, p, c, float(v)) for (y, f, d, p, c), v in annual.items()]


def quarters(into: Path) -> dict[int, tuple[int, ...]]:
    return trade.load(into).quarters


def rejected_rows(into: Path) -> list[dict]:
    with open(into / "lignes_rejetees.csv", encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream, delimiter=";"))


def write_xlsx(path: Path, rows: list[list], sheets: dict[str, list[list]] | None = None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for title, more in (sheets or {}).items():
        extra = workbook.create_sheet(title)
        for row in more:
            extra.append(row)
    workbook.save(path)
    workbook.close()
    return path


HEADER = "annee;flux;code_departement;code_produit;code_pays;{value}\n"


QUARTERS = ["2023T3", "2023T4", "2024T1", "2024T2", "2024T3", "2024T4"]


# département → flow → [(cpf4, pays, k€ per quarter)]
REGION_75 = {
    "16": {"E": [("11.01", "US", 1000.125), ("11.01", "CN", 250.5)], "I": [("28.30", "DE", 10.001)]},
    "87": {"E": [("26.51", "DE", 300.333), ("10.51", "QU", 0.75)], "I": [("13.20", "IT", 40.04)]},
    "23": {"E": [("10.11", "BE", 99.999)], "I": [("27.11", "CN", 5.5)]},
}


def build_region_75_zip(folder: Path) -> tuple[Path, dict[tuple[str, str, int], float]]:
    """A région download: per département, crossed export and import files by quarter (xlsx),
    product and country files over 16 quarters, one product-label file and the LisezMoi."""
    expected: dict[tuple[str, str, int], float] = {}
    archive_path = folder / "dgddi_region_75.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.writestr("LisezMoi_Regions_T.txt", "Le fichier ZIP téléchargé contient…".encode("cp1252"))
        for dep, flows in REGION_75.items():
            for flow, cells in flows.items():
                rows = [["TRIMESTRE", "CPF4", "PAYS", "VALEUR"]]
                for quarter_index, quarter in enumerate(QUARTERS):
                    for cpf, pays, value in cells:
                        amount = round(value + quarter_index, 3)
                        rows.append([quarter, cpf, pays, amount])
                        key = (dep, flow, int(quarter[:4]))
                        expected[key] = expected.get(key, 0.0) + amount * 1000
                word = "export" if flow == "E" else "import"
                member = folder / f"{dep}_{word}_pays_produits.xlsx"
                write_xlsx(member, rows)
                archive.write(member, f"Dep_{dep}_{word}_pays_x_produits.xlsx")
                member.unlink()
            products = write_xlsx(folder / "p.xlsx", [["TRIMESTRE", "FLUX", "CPF4", "VALEUR"],
                                                      ["2024T1", "E", "11.01", 123.0]])
            archive.write(products, f"Dep_{dep}_produits_16_trimestres.xlsx")
            countries = write_xlsx(folder / "c.xlsx", [["TRIMESTRE", "FLUX", "PAYS", "VALEUR"],
                                                       ["2024T1", "E", "US", 123.0]])
            archive.write(countries, f"Dep_{dep}_pays_16_trimestres.xlsx")
        labels = write_xlsx(folder / "l.xlsx", [["CPF4", "LIBELLE"], ["11.01", "Boissons alcoolisées distillées"]])
        archive.write(labels, "Libelles_produits_CPF4.xlsx")
    for name in ("p.xlsx", "c.xlsx", "l.xlsx"):
        (folder / name).unlink()
    return archive_path, expected
