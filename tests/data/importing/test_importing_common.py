"""What both importers share: motifs, harmless cells, totals, special partners, the « aucune ligne valide »
error and the three outputs written together (importing/common.py)."""

import json
from pathlib import Path

import pandas as pd
import pytest

from fichex.data import trade
from fichex.data.importing import common, dgddi, tidy
from fichex.data.importing.report import ImportReport
from fichex.errors import InputDataError, OutputError


def test_one_vocabulary_each_motif_named_once():
    motifs = {name: value for name, value in vars(common).items() if name.startswith("MOTIF_")}
    assert len(set(motifs.values())) == len(motifs)
    # The importers use these very strings, not copies of them.
    assert dgddi.MOTIF_YEAR is common.MOTIF_YEAR and tidy.MOTIF_YEAR is common.MOTIF_YEAR
    assert not [name for name in vars(dgddi) if name.startswith("MOTIF_") and name not in motifs]
    assert not [name for name in vars(tidy) if name.startswith("MOTIF_") and name not in motifs]


@pytest.mark.parametrize("text, written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+cmd", "'+cmd"), ("@SUM(A1)", "'@SUM(A1)"),
    ("-x", "'-x"), ("\tTAB", "'\tTAB"), ("-5", "-5"), ("-1,5", "-1,5"), ("-.5", "-.5"), ("BE", "BE"), ("", ""),
    # OWASP's list: a cell starting with « - » then a number is still a formula unless the whole cell is one.
    ("-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"), ("-2+3", "'-2+3"), ("-1,5x", "'-1,5x"), ("-", "'-"),
    ("\rX", "'\rX"), ("-1e3", "-1e3"), ("-12.", "-12."), ("-1E+05", "-1E+05"), ("+5", "'+5"), ("1-2", "1-2"),
])
def test_harmless_quotes_what_a_spreadsheet_would_run(text, written):
    assert common.harmless(text) == written


def test_lookup_calls_the_function_once_per_distinct_cell():
    calls = []
    values = pd.Series(["BE", "DE", "BE", 7, "BE", 7], index=[5, 6, 7, 8, 9, 10], dtype=object)
    result = common.lookup(values, lambda v: calls.append(v) or f"<{v}>")
    assert result.tolist() == ["<BE>", "<DE>", "<BE>", "<7>", "<BE>", "<7>"]
    assert list(result.index) == [5, 6, 7, 8, 9, 10]
    assert calls == ["BE", "DE", 7]


def test_harmless_cells_takes_the_text_it_is_given():
    values = pd.Series([12.0, " =x ", "+1"], dtype=object)
    assert common.harmless_cells(values, str).tolist() == ["12.0", " =x ", "'+1"]
    assert common.harmless_cells(values, lambda v: str(v).strip()).tolist() == ["12.0", "'=x", "'+1"]


def test_rejections_by_motif_most_frequent_first_then_by_motif():
    counts = [("b", 2), ("a", 2), ("c", 5), ("d", 1)]
    assert list(common.rejected_by_reason(counts).items()) == [("c", 5), ("a", 2), ("b", 2), ("d", 1)]
    assert common.rejected_by_reason([]) == {}


def test_no_valid_line_error_names_the_lines_the_motifs_and_the_fix():
    error = common.no_valid_line_error(3, {"année invalide": 2, "code pays inconnu": 1}, "corrigez-les")
    assert isinstance(error, InputDataError)
    assert str(error) == "aucune ligne valide sur 3 lues (année invalide : 2, code pays inconnu : 1) ; corrigez-les"


def test_per_year_totals_sorted_and_rounded_when_asked():
    rows = pd.DataFrame({"annee": [2024, 2023, 2024, 2024], "flux": ["E", "E", "E", "I"],
                         "code_departement": ["01", "01", "01", "01"], "v": [0.1, 5.0, 0.2, 1.0]})
    assert common.per_year_totals(rows, "v", decimals=2) == (
        {"annee": 2023, "flux": "E", "code_departement": "01", "valeur_eur": 5.0},
        {"annee": 2024, "flux": "E", "code_departement": "01", "valeur_eur": 0.3},
        {"annee": 2024, "flux": "I", "code_departement": "01", "valeur_eur": 1.0})
    assert common.per_year_totals(rows, "v")[1]["valeur_eur"] == 0.1 + 0.2  # not rounded


def test_special_partners_are_the_dgddi_special_codes_met():
    rows = pd.DataFrame({"code_pays": ["QU", "DE", "QU", "XU"], "total": [1.004, 50.0, 2.0, 3.0]})
    partners = common.special_partners(rows, "total")
    assert [p["code_pays"] for p in partners] == ["QU", "XU"]
    assert partners[0] == {"code_pays": "QU", "pays": "Pays et territoires non déterminés", "valeur_eur": 3.0}
    assert common.special_partners(rows[rows["code_pays"] == "DE"], "total") == ()


def test_data_date_is_the_latest_input_in_utc(tmp_path):
    import os

    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("x")
    second.write_text("y")
    os.utime(first, (0, 1_700_000_000))   # 2023-11-14 UTC
    os.utime(second, (0, 1_600_000_000))  # 2020-09-13 UTC
    assert common.data_date([first, second]) == "2023-11-14"


def _report(into: Path) -> ImportReport:
    info = trade.DataSource(demonstration=False, source="test", path=str(into / trade.TRADE_FILE_NAME))
    return ImportReport(output=into / trade.TRADE_FILE_NAME, report_path=into / "rapport_import.json",
                        rejected_path=into / "lignes_rejetees.csv", files=(), rows_read=0, rows_kept=0,
                        rows_rejected=0, rejected_by_reason={}, rows_written=0, totals=(), special_partners=(),
                        warnings=(), info=info)


def test_the_three_outputs_appear_together(tmp_path):
    report = _report(tmp_path)
    common.write_outputs_together(report, lambda path: path.write_text("rejetées", encoding="utf-8"),
                                  lambda: report.output.write_bytes(b"table"))
    assert (tmp_path / "lignes_rejetees.csv").read_text(encoding="utf-8") == "rejetées"
    assert json.loads((tmp_path / "rapport_import.json").read_text(encoding="utf-8"))["source"] == "test"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["commerce_exterieur.parquet", "lignes_rejetees.csv",
                                                          "rapport_import.json"]


def test_a_failed_write_leaves_the_previous_outputs(tmp_path):
    report = _report(tmp_path)
    (tmp_path / "lignes_rejetees.csv").write_text("avant", encoding="utf-8")

    def fail() -> None:
        raise OSError("disque plein")

    with pytest.raises(OutputError, match="disque plein|rapport_import"):
        common.write_outputs_together(report, lambda path: path.write_text("après", encoding="utf-8"), fail)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lignes_rejetees.csv"]
    assert (tmp_path / "lignes_rejetees.csv").read_text(encoding="utf-8") == "avant"


def test_the_report_names_the_revision_motif_as_the_rejected_lines_do():
    from fichex.wording import console as console_text

    assert common.MOTIF_REVISED.startswith(console_text.REVISED_MOTIF_NAME + " (")
