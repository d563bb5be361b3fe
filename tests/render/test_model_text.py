"""Every sentence of the model fiche is on the deck's slides, in the model's order.

The model's text (tests/fixtures/model_fiches/, the seed's transcription of the published fiches) is cut into
sentences once its Markdown is removed; each must appear on a slide at or after the slide of the sentence
before it. The figures are the model's own: the demonstration data is calibrated on the published totals, so
the deck built from it writes them identically (« Total des exportations : 675.8 millions d'euros »).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pptx.enum.shapes import MSO_SHAPE_TYPE

from fichex.render.pptx import build_deck

MODEL_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "model_fiches"
SENTENCE_END = re.compile(r"(?<=[.:!?])\s+(?=[A-ZÉÈÀ«])")


def _plain(line: str) -> str:
    """A line of the transcription without its Markdown: headings, emphasis, list marks, links."""
    line = re.sub(r"^\s*#+\s*", "", line)
    line = re.sub(r"^\s*(?:[-■•])\s+", "", line)
    line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)  # [text](address) → text
    line = re.sub(r"<(https?://[^>]+)>", r"\1", line)      # <address> → address
    line = line.replace("**", "").replace("*", "")
    return _normalise(line)


def _normalise(text: str) -> str:
    """One space between words; a spaced hyphen read as the en dash the deck writes (« Industrie – Creuse »)."""
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
    return text.replace(" - ", " – ")


def model_sentences(path: Path) -> list[str]:
    sentences = []
    for line in path.read_text(encoding="utf-8").splitlines():
        plain = _plain(line)
        if plain:
            sentences += [s for s in SENTENCE_END.split(plain) if s]
    return sentences


def _shapes(shapes):
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _shapes(shape.shapes)
        else:
            yield shape


def slide_texts(prs) -> list[str]:
    """Each slide's text (not its notes), shape after shape, paragraph after paragraph."""
    texts = []
    for slide in prs.slides:
        parts = [p.text if hasattr(p, "text") else "" for shape in _shapes(slide.shapes) if shape.has_text_frame
                 for p in shape.text_frame.paragraphs]
        texts.append(_normalise(" ".join(parts)))
    return texts


def test_the_transcription_is_cut_into_sentences():
    sentences = model_sentences(MODEL_DIR / "23-creuse.md")
    assert "GOUVERNEMENT" in sentences
    assert "Total des exportations : 675.8 millions d'euros" in sentences
    assert "soit 2.5% de la valeur exportée par la région Nouvelle-Aquitaine" in sentences
    assert "Retrouvez l'actualité de l'ANCT : https://anct.gouv.fr/actualites" in sentences
    assert len(sentences) > 60


@pytest.mark.parametrize("code", ["23", "87"])
def test_every_model_sentence_is_on_the_slides_in_order(builder, code):
    path = next(MODEL_DIR.glob(f"{code}-*.md"))
    slides = slide_texts(build_deck(builder.build(code, 2024)))
    missing, out_of_order, at = [], [], 0
    for sentence in model_sentences(path):
        found = [i for i, text in enumerate(slides) if sentence in text]
        if not found:
            missing.append(sentence)
        elif not any(i >= at for i in found):
            out_of_order.append((sentence, found, at))
        else:
            at = min(i for i in found if i >= at)
    assert not missing, "phrases du modèle absentes des diapositives :\n" + "\n".join(missing)
    assert not out_of_order, f"phrases hors de l'ordre du modèle : {out_of_order}"
