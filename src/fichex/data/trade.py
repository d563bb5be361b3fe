"""The canonical trade table: its schema, its validation and its Parquet storage.

One row per (annee, flux, code_departement, code_produit, code_pays) with a value in euros:

| column | type | meaning |
|---|---|---|
| annee | int | year |
| flux | str | « E » exports (FAB/FOB), « I » imports (CAF/CIF) |
| code_departement | str | COG département code (« 01 », « 2A », « 974 ») |
| code_produit | str | product code as given (A129 or CPF/NAF at any depth) |
| code_a129 | str | A129 position of the product (derived when absent) |
| code_pays | str | ISO 3166-1 alpha-2 partner code or DGDDI special code (« QU ») |
| valeur_eur | float | value in euros, >= 0 |
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fichex.aggregation.model import DataSource
from fichex.data import reference
from fichex.errors import InputDataError

KEY_COLUMNS = ["annee", "flux", "code_departement", "code_produit", "code_pays"]
REQUIRED_COLUMNS = [*KEY_COLUMNS, "valeur_eur"]
CANONICAL_COLUMNS = ["annee", "flux", "code_departement", "code_produit", "code_a129", "code_pays", "valeur_eur"]
TRADE_FILE_NAME = "commerce_exterieur.parquet"
METADATA_KEY = b"fichex"
_EXAMPLES = 3


@dataclass(frozen=True)
class TradeData:
    """A validated canonical trade table and its description."""

    table: pd.DataFrame
    info: DataSource

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.table["annee"].unique())


def _examples(frame: pd.DataFrame, columns: list[str]) -> str:
    cells = frame[columns].head(_EXAMPLES).astype(object)
    cells = cells.where(cells.notna(), "(vide)").astype(str)
    rows = cells.agg(" / ".join, axis=1).tolist()
    return "ex. " + " ; ".join(rows)


def _fail(source: str, count: int, problem: str, frame: pd.DataFrame, columns: list[str], fix: str) -> None:
    plural = "s" if count > 1 else ""
    raise InputDataError(
        f"{source} : {count} ligne{plural} {problem} ({_examples(frame, columns)}) ; {fix}"
    )


def _codes(series: pd.Series, normalise) -> pd.Series:
    """A code column as a categorical, each distinct value normalised once (fast on millions of rows)."""
    import numpy as np

    categorical = series if isinstance(series.dtype, pd.CategoricalDtype) else series.astype("category")
    categories = [normalise(str(value)) for value in categorical.cat.categories]
    unique = list(dict.fromkeys(categories))
    position = {value: i for i, value in enumerate(unique)}
    remap = np.array([position[value] for value in categories] + [-1], dtype=np.int64)
    codes = remap[categorical.cat.codes.to_numpy()]  # code -1 (missing) picks the trailing -1
    return pd.Series(pd.Categorical.from_codes(codes, categories=unique), index=series.index)


def validate(frame: pd.DataFrame, source: str = "données") -> pd.DataFrame:
    """Check a trade table against the canonical schema and return it normalised.

    Args:
        frame: a table with at least the columns of REQUIRED_COLUMNS.
        source: the name of the file it came from, used in error messages.

    Returns:
        A new DataFrame with CANONICAL_COLUMNS, codes as categories, values as float64.

    Raises:
        InputDataError: a column is missing or a row is invalid; the message counts the offending rows
            and quotes the first ones.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise InputDataError(
            f"{source} : colonne{'s' if len(missing) > 1 else ''} manquante{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} ; colonnes attendues : {', '.join(REQUIRED_COLUMNS)}"
        )
    table = pd.DataFrame({
        "annee": frame["annee"],
        "flux": _codes(frame["flux"], lambda c: c.strip().upper()),
        "code_departement": _codes(frame["code_departement"], reference.normalise_departement_code),
        "code_produit": _codes(frame["code_produit"], str.strip),
        "code_pays": _codes(frame["code_pays"], lambda c: c.strip().upper()),
        "valeur_eur": frame["valeur_eur"],
    })

    years = pd.to_numeric(table["annee"], errors="coerce")
    bad = years.isna() | (years != years.round()) | (years < 1990) | (years > 2100)
    if bad.any():
        _fail(source, int(bad.sum()), "avec une année invalide", frame[bad], ["annee"],
              "l'année doit être un entier sur quatre chiffres")
    table["annee"] = years.astype("int64")

    values = pd.to_numeric(table["valeur_eur"], errors="coerce")
    bad = values.isna()
    if bad.any():
        _fail(source, int(bad.sum()), "sans valeur numérique dans valeur_eur", frame[bad], KEY_COLUMNS,
              "complétez ou supprimez ces lignes")
    bad = values < 0
    if bad.any():
        _fail(source, int(bad.sum()), "avec une valeur négative dans valeur_eur", table[bad],
              [*KEY_COLUMNS, "valeur_eur"], "les valeurs doivent être positives ou nulles")
    table["valeur_eur"] = values.astype("float64")

    bad = ~table["flux"].isin(["E", "I"]).fillna(False).astype(bool)
    if bad.any():
        _fail(source, int(bad.sum()), "avec un flux autre que E ou I", frame[bad], ["flux"],
              "flux vaut E (exportations) ou I (importations)")

    known = set(reference.departements()["code_departement"])
    bad = ~table["code_departement"].isin(known).fillna(False).astype(bool)
    if bad.any():
        _fail(source, int(bad.sum()), "avec un code département inconnu", table[bad], ["code_departement"],
              "utilisez les codes COG (01…95, 2A, 2B, 971…976)")

    known = set(reference.countries()["code_pays"])
    bad = ~table["code_pays"].isin(known).fillna(False).astype(bool)
    if bad.any():
        _fail(source, int(bad.sum()), "avec un code pays inconnu", table[bad], ["code_pays"],
              "utilisez les codes ISO 3166-1 alpha-2 ou les codes spéciaux de la DGDDI (QU, QV, …)")

    mapping = {code: reference.product_to_a129(code) for code in table["code_produit"].cat.categories}
    table["code_a129"] = table["code_produit"].map(mapping).astype("category")
    bad = table["code_a129"].isna()
    if bad.any():
        _fail(source, int(bad.sum()), "avec un code produit inconnu", table[bad], ["code_produit"],
              "utilisez un code A129 (C10E) ou CPF/NAF (10.51)")

    duplicated = table.duplicated(KEY_COLUMNS, keep=False)
    if duplicated.any():
        _fail(source, int(duplicated.sum()), "en double sur la clé année × flux × département × produit × pays",
              table[duplicated], KEY_COLUMNS, "agrégez ou supprimez les doublons")

    table = table[CANONICAL_COLUMNS].copy()
    for column in ("flux", "code_departement", "code_produit", "code_a129", "code_pays"):
        table[column] = table[column].cat.remove_unused_categories()
    return table.reset_index(drop=True)


def write_parquet(frame: pd.DataFrame, path: Path, info: DataSource) -> None:
    """Write a canonical table to Parquet with its description in the file metadata (atomically)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from fichex.atomic import atomic_path

    ordered = frame[CANONICAL_COLUMNS].sort_values(KEY_COLUMNS).reset_index(drop=True)
    arrow = pa.Table.from_pandas(ordered, preserve_index=False)
    meta = dict(arrow.schema.metadata or {})
    meta.pop(b"pandas", None)
    meta[METADATA_KEY] = json.dumps(info.to_json(), ensure_ascii=False, sort_keys=True).encode()
    arrow = arrow.replace_schema_metadata(meta)
    with atomic_path(path) as tmp:
        pq.write_table(arrow, tmp, compression="zstd", compression_level=9, use_dictionary=True)


def _resolve(path: Path) -> Path:
    if path.is_dir():
        candidate = path / TRADE_FILE_NAME
        if not candidate.exists():
            raise InputDataError(
                f"dossier de données sans {TRADE_FILE_NAME} : {path} ; importez des fichiers avec "
                "« fichex data import » ou retirez --data pour utiliser les données de démonstration"
            )
        return candidate
    if not path.exists():
        raise InputDataError(
            f"fichier de données introuvable : {path} ; vérifiez le chemin donné à --data ou dans $FICHEX_DATA"
        )
    return path


def load(path: Path | str | None = None, *, validated: bool = True) -> TradeData:
    """Load and validate a canonical trade table.

    Args:
        path: a Parquet file or a data folder holding commerce_exterieur.parquet; None means the folder
            named by $FICHEX_DATA, else the embedded demonstration dataset.
        validated: check every row (default). Build workers pass False for a file the main process has
            just validated: they only read it.

    Raises:
        InputDataError: the file is missing, unreadable or invalid.
    """
    import pyarrow.parquet as pq

    from fichex import resources as paths

    if path is None:
        path = paths.default_data_dir() or paths.demo_dataset_path()
    resolved = _resolve(Path(path))
    try:
        present = set(pq.read_schema(resolved).names)
        dictionary = [c for c in ("flux", "code_departement", "code_produit", "code_a129", "code_pays") if c in present]
        arrow = pq.read_table(resolved, read_dictionary=dictionary)
    except Exception as exc:  # pyarrow raises several unrelated types for a damaged file
        raise InputDataError(
            f"fichier Parquet illisible : {resolved} ({type(exc).__name__}) ; --data attend un dossier ou un "
            "fichier Parquet produit par « fichex data import » : importez-y vos fichiers CSV ou Excel"
        ) from None
    raw_meta = (arrow.schema.metadata or {}).get(METADATA_KEY)
    try:
        meta = json.loads(raw_meta) if raw_meta else {}
    except ValueError:
        raise InputDataError(
            f"description illisible dans {resolved} ; réimportez les données avec « fichex data import »"
        ) from None
    frame = arrow.to_pandas(self_destruct=True, split_blocks=True)
    del arrow
    if validated or any(c not in frame.columns for c in CANONICAL_COLUMNS):
        table = validate(frame, source=resolved.name)
    else:
        table = frame[CANONICAL_COLUMNS]
    info = DataSource(
        demonstration=bool(meta.get("demonstration", False)),
        source=str(meta.get("source", f"fichier {resolved.name}")),
        path=str(resolved),
        files=tuple(meta.get("files", ())),
        created=str(meta.get("created", "")),
    )
    release_unused_memory()
    return TradeData(table=table, info=info)


def release_unused_memory() -> None:
    """Give back to the system what Arrow's allocator keeps after a read (≈ 100 MB for the demo data)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
