"""Colours, fonts and number formats shared by every renderer (one place to change the look)."""

from __future__ import annotations

# Model fiche colours: exports violet, imports blue, balance green/red, main flows red, others grey.
EXPORT = "7B3FA0"      # violet
IMPORT = "2F6DB5"      # blue
POSITIVE = "2E9E4F"    # green
NEGATIVE = "D62828"    # red
HIGHLIGHT = "D62828"   # the five largest flows
FLOW_GREY = "B8BEC6"
NODE_GREY = "5B6573"
TEXT = "1F2933"
MUTED = "6B7280"
BACKGROUND_ALT = "F3F4F6"
WARNING_FILL = "FFF4CE"
WARNING_TEXT = "7A4B00"
ACCENT = "1B3A5C"      # brand navy (titles, header rows)

FONT = "Arial"         # metric-compatible with Liberation Sans in LibreOffice

# Excel number formats (space as thousands separator whatever the locale is written as literal format).
FMT_EUR = '#,##0 "€"'
FMT_MEUR = '#,##0.0 "M€"'
FMT_PCT = '0.0%'
FMT_PCT2 = '0.00%'


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    """« 7B3FA0 » → (123, 63, 160)."""
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
