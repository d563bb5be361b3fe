"""The index page's style and script: the theme's colours, readable contrast, a card layout for narrow
screens in plain CSS, nothing fetched."""

from __future__ import annotations

import re

import pytest

from fichex.render import index_assets, theme


def test_the_style_has_the_theme_colours_and_no_placeholder_left():
    css = index_assets.css()
    assert f"color:#{theme.WARNING_TEXT}" in css and f"background:#{theme.WARNING_FILL}" in css
    assert not re.search(r"\b(" + "|".join(index_assets.COLOURS) + r"|CARDS)\b|WARN#", css)
    assert f"@media (max-width:{index_assets.CARD_BREAKPOINT}px)" in css


@pytest.mark.parametrize("foreground, background", index_assets.TEXT_ON_BACKGROUND)
def test_every_text_colour_reaches_4_5_to_1_on_its_backgrounds(foreground, background):
    colours = index_assets.COLOURS
    assert theme.contrast_ratio(colours[foreground], colours[background]) >= theme.MIN_CONTRAST


def test_every_text_colour_of_the_style_is_in_the_contrast_list():
    """A colour given to text in the style (« color:… ») is one whose pairs the test above checks."""
    text_colours = set(re.findall(r"(?<![-\w])color:([A-Z]+)", index_assets.CSS_TEMPLATE))
    assert text_colours and text_colours <= {fg for fg, _ in index_assets.TEXT_ON_BACKGROUND}
    backgrounds = set(re.findall(r"background:([A-Z]+)", index_assets.CSS_TEMPLATE))
    assert backgrounds <= {bg for _, bg in index_assets.TEXT_ON_BACKGROUND}


def test_the_cards_label_each_figure_without_reading_it_twice():
    css = index_assets.css()
    # the header's words above each figure, as generated content with empty alternative text: screen
    # readers already announce the column header from the table's own structure
    assert 'content:attr(data-label) / ""' in css


def test_nothing_is_fetched_and_no_framework():
    for text in (index_assets.css(), index_assets.SCRIPT):
        assert "http" not in text and "url(" not in text and "@import" not in text and "import(" not in text
    assert "fetch(" not in index_assets.SCRIPT and "XMLHttpRequest" not in index_assets.SCRIPT
