"""No text outside its box, in the deck of every territory of the data (the automatic check of issue 11).

`ooxml-integrity` lays each text box out with the fonts' advance widths and the inherited sizes, as
PowerPoint would, and reports text that needs more room than its box (PPT001), boxes off the slide, and
text it cannot measure. Every deck `fichex build --all` writes is checked, since the longest names, the
biggest figures and the special cases (Corse, overseas, Paris) are each in one territory only: one test
case per deck, so that pytest-xdist spreads them.
"""

from __future__ import annotations

import functools

from ooxml_integrity.pptx_checks import check_pptx

from fichex.render.pptx import write_deck

BLOCKING = {"error", "warn"}  # « warn »: within the checker's tolerance of overflowing — not good enough


@functools.cache
def territories() -> tuple[list[str], list[str]]:
    """The départements of the data (as the demo_trade fixture loads it) and the régions of the reference."""
    from fichex.data import reference, trade

    return sorted(trade.load().departements), list(reference.regions()["code_region"])


def pytest_generate_tests(metafunc):
    departements, regions = territories()
    if "departement" in metafunc.fixturenames:
        metafunc.parametrize("departement", departements)
    if "region" in metafunc.fixturenames:
        metafunc.parametrize("region", [*regions, "france"])


def blocking_findings(path, name: str) -> list[str]:
    problems = []
    for finding in check_pptx(path):
        if str(getattr(finding.severity, "value", finding.severity)).lower() in BLOCKING:
            problems.append(f"{name}: {finding.code} {finding.message} ({finding.where})")
    return problems


def test_every_departement_of_the_data_is_checked(demo_trade):
    assert territories()[0] == sorted(demo_trade.departements)


def test_no_text_outside_its_box_in_any_deck(builder, demo_trade, tmp_path, departement):
    path = tmp_path / f"{departement}.pptx"
    write_deck(builder.build(departement, demo_trade.default_year), path)
    problems = blocking_findings(path, departement)
    assert not problems, "\n".join(problems)


def test_no_text_outside_its_box_in_the_region_and_france_decks(builder, demo_trade, tmp_path, region):
    """The régions' decks (the longest names, a breakdown of up to 13 départements) and France's."""
    year = demo_trade.default_year
    fiche = builder.build_france(year) if region == "france" else builder.build_region(region, year)
    path = tmp_path / f"{fiche.territory.code}.pptx"
    write_deck(fiche, path)
    problems = blocking_findings(path, f"{fiche.level} {fiche.territory.code}")
    assert not problems, "\n".join(problems)
