"""One dispatch for every import (importing/__init__.py: import_files)."""

import pytest

from dgddi_samples import OFFICIAL_EXPORT
from fichex.data.importing import import_files
from fichex.errors import InputDataError


def test_mixing_regional_files_and_tidy_tables_is_refused(tmp_path):
    (tmp_path / "REGIONAL_CPF4PAYSE.txt").write_text(OFFICIAL_EXPORT, encoding="utf-8")
    (tmp_path / "table.csv").write_text("annee;flux;code_departement;code_produit;code_pays;valeur_keur\n"
                                        "2024;E;01;10.51;DE;1\n", encoding="utf-8")
    with pytest.raises(InputDataError, match="mêlé"):
        import_files([tmp_path / "REGIONAL_CPF4PAYSE.txt", tmp_path / "table.csv"], tmp_path / "d")
