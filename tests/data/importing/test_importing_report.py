"""The import report in French (importing/report.py)."""

from fichex.data.importing import ImportReport, import_files
from tidy_samples import FIXTURES


def test_summary_lines_in_french(tmp_path):
    report = import_files([FIXTURES / "trade_unknown_codes.csv"], tmp_path)
    assert isinstance(report, ImportReport)
    lines = report.summary_lines()
    assert lines[0] == "Fichiers importés : 1"
    assert lines[1] == "Lignes lues : 10 ; conservées : 2 ; rejetées : 8"
    assert "Total 2024 exportations : 1\u202f000\u00a0€" in lines
    assert "  01 : 8\u202f000\u00a0€" in lines
    assert "Code pays spécial XU (Royaume-Uni (hors Irlande du Nord)) : 8\u202f000\u00a0€" in lines
    assert not any("  01 :" in line for line in report.summary_lines(detail=False))
