"""What `fichex mcp` says (wording/mcp.py): a description per tool, one-line errors, the method resource and
the caveats a grouped sum carries."""

from __future__ import annotations

from fichex.mcp_server import OUTPUT_SCHEMAS
from fichex.wording import mcp as mcp_text, model_text


def test_every_tool_has_a_french_description():
    assert set(mcp_text.TOOL_DESCRIPTIONS) == set(OUTPUT_SCHEMAS)


def test_errors_are_one_line_naming_the_argument():
    lines = [mcp_text.unknown_column("x", ["annee"]), mcp_text.limit_out_of_range(500, 200),
             mcp_text.unknown_flow("X"), mcp_text.unknown_territories(["2A"]), mcp_text.unknown_years([2019], [2024]),
             mcp_text.path_outside("../x"), mcp_text.unknown_indicator("y", ["solde_eur"]), mcp_text.NO_CODES]
    for line in lines:
        assert "\n" not in line and " : " in line and " ; " in line


def test_method_text_holds_the_caveats_and_the_contract_rule():
    text = mcp_text.method_text()
    for caveat in (*model_text.CAVEATS, model_text.PARIS_ENERGY_CAVEAT, model_text.EMEBI_BREAK_CAVEAT):
        assert caveat in text
    assert "schema_version" in text and "majeur" in text


def test_query_caveats_apply_where_they_should():
    base = dict(demonstration=False, flows=["E"], years=[2024], partial_periods=[])
    assert mcp_text.query_caveats(territories=["23"], **base) == [model_text.CAVEATS[0]]
    paris = mcp_text.query_caveats(territories=[], **{**base, "flows": []})
    assert model_text.PARIS_ENERGY_CAVEAT in paris
    several = mcp_text.query_caveats(territories=["23"], **{**base, "years": [2023, 2024], "demonstration": True})
    assert model_text.EMEBI_BREAK_CAVEAT in several and model_text.DEMO_WARNING in several
