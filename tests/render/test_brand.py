"""The deck's institutional text comes from brand.toml: the bundled one, or the one beside a given template."""

from __future__ import annotations

import shutil

import pytest
from pptx import Presentation

from fichex.wording import deck as deck_text
from fichex.errors import TemplateError
from fichex.render.brand import load_brand
from fichex.render.pptx import build_deck, write_deck
from fichex.resources import default_template_path

from conftest import slide_titled


def _links(prs) -> dict[str, str]:
    """Linked text → address, over every slide."""
    found = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        if run.hyperlink.address:
                            found[run.text] = run.hyperlink.address
    return found


def test_the_bundled_brand_has_the_model_lines():
    brand = load_brand()
    assert brand.institution == ("GOUVERNEMENT",)
    assert brand.motto == ("Liberté", "Égalité", "Fraternité")
    assert brand.publisher == ("agence nationale", "de la cohésion", "des territoires")
    assert brand.contact == "territoires-industrie@anct.gouv.fr"
    assert ("Retrouvez l'actualité de l'ANCT", "https://anct.gouv.fr/actualites") in brand.news


def test_the_deck_links_are_real_hyperlinks(fiche_23, tmp_path):
    path = tmp_path / "deck.pptx"
    write_deck(fiche_23, path)
    links = _links(Presentation(str(path)))
    assert links["territoires-industrie@anct.gouv.fr"] == "mailto:territoires-industrie@anct.gouv.fr"
    assert links["https://anct.gouv.fr/actualites"] == "https://anct.gouv.fr/actualites"
    assert links["https://www.entreprises.gouv.fr/la-dge/actualites"] == "https://www.entreprises.gouv.fr/la-dge/actualites"
    assert links["Portraits socio-économiques des Territoires d'Industrie"].startswith("https://")
    assert links["Dossier de presse de la dernière Assemblée générale"].startswith("https://")


def _rebranded(tmp_path, text: str):
    folder = tmp_path / "marque"
    folder.mkdir()
    template = folder / "modele.pptx"
    shutil.copyfile(default_template_path(), template)
    (folder / "brand.toml").write_text(text, encoding="utf-8")
    return template


def test_a_brand_beside_the_template_rebrands_the_deck(fiche_23, tmp_path):
    template = _rebranded(tmp_path, 'institution = "RÉGION EXEMPLE"\npublisher = "Agence régionale|de développement"\n'
                                    'contact = "contact@exemple.fr"\nnews_1_label = "Nos actualités"\n'
                                    'news_1_link = "https://exemple.fr/actus"\n')
    prs = build_deck(fiche_23, template=template)
    cover = " ".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    assert "RÉGION EXEMPLE" in cover and "Agence régionale" in cover and "GOUVERNEMENT" not in cover
    links = _links(prs)
    assert links == {"contact@exemple.fr": "mailto:contact@exemple.fr", "https://exemple.fr/actus": "https://exemple.fr/actus"}
    practical = " ".join(s.text_frame.text for s in slide_titled(prs, deck_text.DECK_PRACTICAL_TITLE).shapes
                         if s.has_text_frame)
    assert "Portraits socio-économiques" not in practical  # no address: the sentence is left out, not a dead link


@pytest.mark.parametrize("text, word", [('news_1_label = "x"\nnews_1_link = "javascript:alert(1)"\n', "news_1_link"),
                                        ('contact = "pas une adresse"\n', "contact"),
                                        ('institution = [1, 2]\n', "institution"),
                                        ('institution = "non fermé\n', "illisible")])
def test_a_bad_brand_file_is_named_in_one_french_line(fiche_23, tmp_path, text, word):
    template = _rebranded(tmp_path, text)
    with pytest.raises(TemplateError) as raised:
        build_deck(fiche_23, template=template)
    message = str(raised.value)
    assert word in message and "\n" not in message and "brand.toml" in message
