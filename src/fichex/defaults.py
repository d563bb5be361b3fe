"""Defaults of fichex, defined once: the CLI's option defaults and the library's keyword defaults read them."""

DEFAULT_YEAR = 2024          # the year `data download` fetches (fiches default to the last complete year)
DEFAULT_TOP = 10             # partners, activities and flow nodes shown (the model's « dix premiers »)
DEFAULT_HIGHLIGHTED = 5      # flows drawn in red (the model's « cinq principaux flux »)
DEFAULT_TILES = 12           # treemap compartments per block, « Autres » included
# Rows of the Données sheet: Excel's 1 048 576 rows less the title, the note and the header above the table.
DETAIL_MAX_ROWS = 1_048_576 - 3
FORMATS = ("xlsx", "pptx", "pdf")
DEFAULT_FORMATS = ("xlsx", "pptx")
DEFAULT_OUT_DIR = "out"
