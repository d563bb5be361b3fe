"""The « Spécialisation et compétitivité » slide (render/pptx/specialisation.py): after the exposure, the RCA bars
equal to the fiche's most over-represented products, the waterfall's invisible base carrying each bar to the
running total, alternative texts, notes; none in France's deck; LibreOffice opens it."""

from __future__ import annotations

import math
import shutil
import subprocess

import pytest
from conftest import all_text, slide_notes, slide_title, slide_titled
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from fichex.render.pptx.specialisation import waterfall_series
from fichex.render.waterfall import running_totals
from fichex.wording import deck as deck_text, specialisation as spec_text
from fichex.wording.numbers import MILLION

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def chart_named(slide, name: str):
    (graphic,) = [shape for shape in slide.shapes if shape.has_chart and shape.name == name]
    return graphic


def descr(shape) -> str:
    return shape.element.xpath("./*[1]/p:cNvPr")[0].get("descr") or ""


def test_the_slide_follows_the_exposure(deck_23):
    titles = [slide_title(slide) for slide in deck_23.slides]
    assert titles[titles.index(deck_text.EXPOSURE_TITLE) + 1] == spec_text.SPECIALISATION_TITLE
    assert len(deck_23.slides) == 16


def test_rca_bars_are_the_most_over_represented_products(deck_23, fiche_23):
    slide = slide_titled(deck_23, spec_text.SPECIALISATION_TITLE)
    graphic = chart_named(slide, spec_text.RCA_CHART_NAME)
    chart = graphic.chart
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    products = fiche_23.specialisation.most_over_represented()
    assert products and all(p.rca_france > 1 for p in products)
    assert list(chart.plots[0].series[0].values) == pytest.approx([p.rca_france for p in products])
    categories = list(chart.plots[0].categories)
    assert categories == [spec_text.rca_category(p) for p in products]
    assert all(spec_text.short_label(p.libelle) in c and "%)" in c for p, c in zip(products, categories))
    assert len(descr(graphic)) > 40


def test_waterfall_base_is_invisible_and_reproduces_the_running_total(deck_23, fiche_23):
    shift = fiche_23.specialisation.shift_share
    graphic = chart_named(slide_titled(deck_23, spec_text.SPECIALISATION_TITLE), spec_text.WATERFALL_CHART_NAME)
    chart = graphic.chart
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    base, rise, fall, total = chart.plots[0].series
    assert [s.name for s in (base, rise, fall, total)] == list(spec_text.WATERFALL_SERIES)
    sppr = base._element.find(f"{C}spPr")  # noqa: SLF001 (the series' XML)
    assert sppr.find(f"{A}noFill") is not None and sppr.find(f"{A}ln/{A}noFill") is not None
    effects = (shift.national_eur, shift.mix_eur, shift.local_eur)
    running = [v / MILLION for v in running_totals(shift.start_exports_eur, effects)]
    b, r, f, t = (list(s.values) for s in (base, rise, fall, total))
    assert t[0] == pytest.approx(running[0]) and t[4] == pytest.approx(shift.end_exports_eur / MILLION)
    for i in range(1, 4):  # each effect: from the running total before it to the one after
        before, after = running[i - 1], running[i]
        assert b[i] == pytest.approx(min(before, after))
        assert b[i] + r[i] + f[i] == pytest.approx(max(before, after))
        assert r[i] - f[i] == pytest.approx(after - before)
    assert running[3] == pytest.approx(shift.end_exports_eur / MILLION)
    assert waterfall_series(shift)["Base"] == pytest.approx(b)
    assert len(descr(graphic)) > 40
    assert list(chart.plots[0].categories) == list(spec_text.waterfall_categories(shift))


def test_the_slide_says_the_years_and_the_first_ranks(deck_23, fiche_23):
    slide = slide_titled(deck_23, spec_text.SPECIALISATION_TITLE)
    text = all_text(slide)
    assert spec_text.waterfall_title(fiche_23.specialisation.shift_share) in text  # « entre 2023 et 2024 »
    assert "entre 2023 et 2024" in text and "EMEBI" not in text  # the break is not between them
    assert spec_text.first_rank_line(slide_place(fiche_23), fiche_23.specialisation.first_ranks) in text
    assert slide.shapes.title.text_frame.text == spec_text.SPECIALISATION_TITLE


def slide_place(fiche):
    from fichex.wording.places import place_of

    return place_of(fiche)


def test_notes_read_the_index_the_effects_unit_values_and_clearance(deck_23, fiche_23):
    notes = slide_notes(slide_titled(deck_23, spec_text.SPECIALISATION_TITLE)).replace("\u00a0", " ")
    assert "Au-dessus de 1, le produit est sur-représenté" in notes
    for effect in spec_text.EFFECT_LABELS:
        assert effect in notes
    assert "lieu de dédouanement" in notes and "€/kg" in notes
    reliable = [u for u in fiche_23.specialisation.unit_values if u.reliable]
    assert reliable and reliable[0].libelle in notes


def test_the_break_is_said_when_it_lies_between_the_years():
    from fichex.aggregation.model import ShiftShare

    shift = ShiftShare(2021, 2022, (), 10e6, 12e6, 1e6, 0.5e6, 0.5e6, True)
    assert "EMEBI" in spec_text.break_note(shift)
    assert spec_text.years_compared(shift) == "2021 et 2022"


def test_region_deck_ranks_among_regions_and_france_has_no_slide(level_documents, fiche_r75):
    region = Presentation(str(level_documents["r75.pptx"]))
    slide = slide_titled(region, spec_text.SPECIALISATION_TITLE)
    text = all_text(slide)
    assert "1re région exportatrice" in text and "département" not in text
    assert "la région Nouvelle-Aquitaine" in text
    france = Presentation(str(level_documents["fr.pptx"]))
    assert spec_text.SPECIALISATION_TITLE not in [slide_title(s) for s in france.slides]


@pytest.mark.libreoffice
def test_libreoffice_renders_the_slide(deck_23_path, tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) n'est pas installé")
    prs = Presentation(str(deck_23_path))
    keep = slide_titled(prs, spec_text.SPECIALISATION_TITLE)
    ids = prs.slides._sldIdLst  # noqa: SLF001 (python-pptx has no API to drop a slide)
    for slide_id, slide in zip(list(ids), list(prs.slides)):
        if slide is not keep:
            ids.remove(slide_id)
    source = tmp_path / "specialisation.pptx"
    prs.save(str(source))
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "specialisation.pdf"
    assert pdf.exists() and pdf.stat().st_size > 5_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert spec_text.SPECIALISATION_TITLE in text and "Effet local" in text


def test_a_waterfall_axis_not_from_zero_starts_and_steps_on_round_values():
    """Monaco's axis read 298, 303, 308…: the start is now a multiple of a 1-2-5 step, set as the major unit."""
    from fichex.render.waterfall import running_totals, value_axis

    start, effects, end = 317.7e6, (-2.9e6, -4.0e6, -2.5e6), 308.3e6
    minimum, step = value_axis(start, effects, end)
    high = max(running_totals(start, effects) + [end])
    assert 0 < minimum < min(running_totals(start, effects) + [end])
    assert (high - minimum) / step <= 8
    assert step / 10 ** math.floor(math.log10(step)) in (1, 2, 5)
    assert minimum / step == pytest.approx(round(minimum / step))
    assert value_axis(100e6, (50e6, -20e6, 30e6), 160e6) == (0.0, None)  # large effects: from zero, the application's ticks
