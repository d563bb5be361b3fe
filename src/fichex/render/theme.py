"""Colours, fonts and number formats shared by every renderer (one place to change the look)."""

from __future__ import annotations

import functools

# Model fiche colours: exports violet, imports blue, balance green/red, main flows red, others grey.
# Every colour used for text reaches 4.5:1 against white and against BACKGROUND_ALT (WCAG 2 AA, see
# `contrast_ratio`); the green and the muted grey were darkened for that (they were 3.4:1 and 4.4:1).
EXPORT = "7B3FA0"      # violet
IMPORT = "2F6DB5"      # blue
POSITIVE = "217A3C"    # green
NEGATIVE = "D62828"    # red
HIGHLIGHT = "D62828"   # the five largest flows
FLOW_GREY = "B8BEC6"
NODE_GREY = "5B6573"
TEXT = "1F2933"
MUTED = "636B78"
BACKGROUND_ALT = "F3F4F6"
WARNING_FILL = "FFF4CE"
WARNING_TEXT = "7A4B00"
ACCENT = "1B3A5C"      # brand navy (titles, header rows)
FLOW_COLOUR = {"E": EXPORT, "I": IMPORT}
# The exposure chart's series: département (navy), région (mid blue), France (grey); each bar reaches 3:1
# against white (WCAG 2 AA for graphics; they were 2.8:1 and 1.9:1).
EXPOSURE_SERIES = (ACCENT, "6A8BB5", "878E99")

FONT = "Arial"         # metric-compatible with Liberation Sans in LibreOffice
WHITE = "FFFFFF"
MIN_CONTRAST = 4.5     # WCAG 2 AA for normal-size text


def balance_colour(value_eur: float) -> str:
    """Green for a surplus, red for a deficit, muted for a balance of exactly zero."""
    return POSITIVE if value_eur > 0 else NEGATIVE if value_eur < 0 else MUTED


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    """« 7B3FA0 » → (123, 63, 160)."""
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def mix_white(colour: str, amount: float) -> str:
    """`colour` mixed with `amount` (0 to 1) of white: « 7B3FA0 », 0.45 → « B695CB »."""
    return "".join(f"{round(c + (255 - c) * amount):02X}" for c in hex_to_rgb(colour))


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour « RRGGBB » (0 black to 1 white)."""
    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = hex_to_rgb(colour)
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@functools.lru_cache(maxsize=256)
def text_colour_on(fill: str) -> str:
    """White or the body text colour, whichever reads better on `fill` (white on the strong block
    colours, dark on their light « Autres » tint)."""
    return WHITE if contrast_ratio(WHITE, fill) >= contrast_ratio(TEXT, fill) else TEXT


# ---------------------------------------------------------------------------------------------------------
# Excel (render/xlsx/). Amounts are stored in euros and shown in millions by format scaling (the two
# trailing commas), so a cell holds the exact figure and sums stay exact. Format codes are written in the
# file's en-US syntax; Excel and LibreOffice show them with the reader's separators (space in French).
# ---------------------------------------------------------------------------------------------------------
XLSX_FMT_MEUR = '#,##0.0,,'                          # 675 800 000 → « 675.8 »
XLSX_FMT_MEUR_UNSIGNED = '#,##0.0,,;#,##0.0,,;0.0,,'  # butterfly imports: stored negative, shown without sign
XLSX_FMT_MEUR_SIGNED = '+#,##0.0,,;-#,##0.0,,;0.0,,'  # balances
# An amount shown in millions from 0.05 M€ (« 0.1 »), in thousands below (« 12.3 »), in euros under 500 €
# (« 499 »): a detail table's smallest rows read as what they are, not « 0.0 M€ ». Sections: M€; k€; €.
XLSX_FMT_MEUR_OR_LESS = ('[>=50000]#,##0.0,,', '[>=500]#,##0.0,', '#,##0')
XLSX_FMT_KEUR_SIGNED = ('+#,##0.0,', '-#,##0.0,', '0')  # a balance under 0.05 M€, in k€ (zero: « 0 € »)
XLSX_FMT_AXIS_UNSIGNED = '#,##0,,;#,##0,,;0'          # chart axes in M€, no minus sign
XLSX_FMT_EUR = '#,##0'
# A chart axis in whole millions written as the documents write numbers, whatever the reader's locale: thousands
# separated by a no-break space (« 14 000 », never « 14,000 », which a French reader takes for fourteen).
AXIS_FMT_WHOLE = '[>=1000000]#"\u00a0"###"\u00a0"##0;[>=1000]#"\u00a0"##0;0'
XLSX_FMT_INT = '0'
XLSX_FMT_RANK = '[=1]0"er";0"e"'                     # 1 → « 1er », 90 → « 90e »
XLSX_FMT_PCT = '0.0%'
XLSX_FMT_PCT2 = '0.00%'
XLSX_TABLE_STYLE = "Table Style Light 15"
XLSX_HEAT_LOW = "FFFFFF"
XLSX_HEAT = {"E": "D9C6E8", "I": "C9DAF0"}  # light violet, light blue

