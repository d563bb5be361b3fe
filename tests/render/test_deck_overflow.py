"""No text outside its box, in the deck of every territory of the data (the automatic check of issue 11).

`ooxml-integrity` lays each text box out with the fonts' advance widths and the inherited sizes, as
PowerPoint would, and reports text that needs more room than its box (PPT001), boxes off the slide, and
text it cannot measure. Every deck `fichex build --all` writes is checked, since the longest names, the
biggest figures and the special cases (Corse, overseas, Paris) are each in one territory only.
"""

from __future__ import annotations

from ooxml_integrity.pptx_checks import check_pptx

from fichex.render.pptx import write_deck

BLOCKING = {"error", "warn"}  # « warn »: within the checker's tolerance of overflowing — not good enough


def test_no_text_outside_its_box_in_any_deck(builder, demo_trade, tmp_path):
    problems = []
    year = demo_trade.default_year
    for code in demo_trade.departements:
        path = tmp_path / f"{code}.pptx"
        write_deck(builder.build(code, year), path)
        for finding in check_pptx(path):
            if str(getattr(finding.severity, "value", finding.severity)).lower() in BLOCKING:
                problems.append(f"{code}: {finding.code} {finding.message} ({finding.where})")
        path.unlink()
    assert not problems, "\n".join(problems)


def test_no_text_outside_its_box_in_the_region_and_france_decks(builder, demo_trade, tmp_path):
    """The régions' decks (the longest names, a breakdown of up to 13 départements) and France's."""
    from fichex.data import reference

    problems = []
    year = demo_trade.default_year
    fiches = [builder.build_region(code, year) for code in reference.regions()["code_region"]]
    for fiche in [*fiches, builder.build_france(year)]:
        path = tmp_path / f"{fiche.departement.code}.pptx"
        write_deck(fiche, path)
        for finding in check_pptx(path):
            if str(getattr(finding.severity, "value", finding.severity)).lower() in BLOCKING:
                problems.append(f"{fiche.level} {fiche.departement.code}: {finding.code} {finding.message} "
                                f"({finding.where})")
        path.unlink()
    assert not problems, "\n".join(problems)
