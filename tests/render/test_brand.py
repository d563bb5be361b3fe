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
    # a link is on its label, which says where it leads, never on the raw address (written after it)
    assert links["Retrouvez l'actualité de l'ANCT"] == "https://anct.gouv.fr/actualites"
    assert links["Retrouvez l'actualité de la DGE"] == "https://www.entreprises.gouv.fr/la-dge/actualites"
    assert not any(text.startswith("http") for text in links)
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
    assert links == {"contact@exemple.fr": "mailto:contact@exemple.fr", "Nos actualités": "https://exemple.fr/actus"}
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


# --- Bounds: size, value length, nesting, control characters; every error names the file and the key ----------

def _brand_file(tmp_path, content: str | bytes):
    from fichex.render import brand

    folder = tmp_path / "marque"
    folder.mkdir(exist_ok=True)
    (folder / "brand.toml").write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return lambda: brand.load_brand(folder / "modele.pptx")


@pytest.mark.parametrize("text, key, what", [
    ('institution = "a\\u0007b"\n', "institution", "U+0007"),
    ('motto = "Liberté\\tÉgalité"\n', "motto", "U+0009"),
    ('contact = "a\\u202e@b.fr"\n', "contact", "U+202E"),
    ('news_1_link = "https://a.fr/\\u0085"\n', "news_1_link", "U+0085"),
    ('logo = "\\u0000"\n', "logo", "U+0000"),  # a key the deck does not read is checked too
    ('"cl\\u0007e" = "x"\n', "cl?e", "U+0007"),  # a control character in a key is shown as « ? »
])
def test_control_characters_are_refused(tmp_path, text, key, what):
    with pytest.raises(TemplateError) as raised:
        _brand_file(tmp_path, text)()
    message = str(raised.value)
    assert f"brand.toml : la clé « {key} » contient un caractère de contrôle ({what}) ; retirez-le" in message
    assert message.isprintable()


def test_a_value_is_bounded(tmp_path):
    from fichex.render.brand import MAX_VALUE_CHARS

    assert MAX_VALUE_CHARS == 1000
    _brand_file(tmp_path, f'publisher = "{"x" * 1000}"\n')()
    with pytest.raises(TemplateError, match=r"brand\.toml : la clé « publisher » dépasse 1000 caractères \(1001\) ; "
                                            "raccourcissez-la$"):
        _brand_file(tmp_path, f'publisher = "{"x" * 1001}"\n')()


def test_the_file_is_bounded(tmp_path):
    load = _brand_file(tmp_path, "#" * (64 * 1024 + 1))
    with pytest.raises(TemplateError, match=r"^fichier de marque trop grand \(.*brand\.toml\) : plus de 64 Kio"):
        load()


@pytest.mark.parametrize("text, where", [
    ("motto = " + "[" * 9 + "]" * 9 + "\n", "la clé « motto » (ligne 1)"),
    ("a = 1\nlogo = " + "{ x = " * 20 + "1" + " }" * 20 + "\n", "la clé « logo » (ligne 2)"),
    ("[" * 40 + "\n", "la ligne 1"),
])
def test_nesting_is_bounded_before_parsing(tmp_path, text, where):
    with pytest.raises(TemplateError) as raised:
        _brand_file(tmp_path, text)()
    assert f"brand.toml : {where} imbrique plus de 8 niveaux de [ ou {{ ; le fichier est plat" in str(raised.value)


def test_a_nesting_bomb_is_refused_without_recursion(tmp_path):
    with pytest.raises(TemplateError, match="« motto » .* imbrique"):
        _brand_file(tmp_path, "motto = " + "[" * 30000 + "]" * 30000)()


def test_brackets_in_strings_and_comments_do_not_count(tmp_path):
    brand = _brand_file(tmp_path, 'institution = "[[[[[[[[[[ {{{{{{{{{{"  # ]]]]]]]]]] [[[[[[[[[[\n'
                                  "motto = '[[[[[[[[[['\npublisher = \"\"\"\\\"[[[[[[[[[[\"\"\"\n"
                                  "tagline = '''[[[[[[[[[[]]'''\n")()
    assert brand.institution == ("[[[[[[[[[[ {{{{{{{{{{",)
    assert brand.publisher == ('"[[[[[[[[[[',)


def test_the_recursion_of_the_parser_is_a_french_line(tmp_path, monkeypatch):
    from fichex.render import brand

    monkeypatch.setattr(brand, "MAX_NESTING", 10 ** 6)  # past the bound, the parser itself gives up
    with pytest.raises(TemplateError, match=r"^fichier de marque illisible \(.*brand\.toml\) : imbrication trop "
                                            "profonde ; corrigez-le ou retirez-le$"):
        _brand_file(tmp_path, "motto = " + "[" * 20000 + "]" * 20000)()


def test_tables_and_arrays_are_refused_by_key(tmp_path):
    with pytest.raises(TemplateError, match=r"« couleurs » est un tableau ou une table ; le fichier est plat"):
        _brand_file(tmp_path, '[couleurs]\nprimary = "1B3A5C"\n')()
    with pytest.raises(TemplateError, match=r"« liens » est un tableau ou une table"):
        _brand_file(tmp_path, 'liens = ["https://a.fr"]\n')()


def test_the_bundled_brand_is_within_every_bound():
    from fichex.render.brand import MAX_FILE_BYTES, brand_path

    assert brand_path(None).stat().st_size < MAX_FILE_BYTES / 10
    assert load_brand().institution


def test_the_two_practical_links_come_from_their_own_keys(fiche_23, tmp_path):
    template = _rebranded(tmp_path, 'portraits_link = "https://exemple.fr/portraits"\n'
                                    'press_kit_link = "https://exemple.fr/presse"\n')
    links = _links(build_deck(fiche_23, template=template))
    assert links["Portraits socio-économiques des Territoires d'Industrie"] == "https://exemple.fr/portraits"
    assert links["Dossier de presse de la dernière Assemblée générale"] == "https://exemple.fr/presse"
