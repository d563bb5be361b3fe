"""Defaults of fichex, defined once: the CLI's option defaults and the library's keyword defaults read them."""

DEFAULT_YEAR = 2024          # the year `data download` fetches (fiches default to the last complete year)
DEFAULT_TOP = 10             # partners, activities and flow nodes shown (the model's « dix premiers »)
DEFAULT_HIGHLIGHTED = 5      # flows drawn in red (the model's « cinq principaux flux »)
DEFAULT_TILES = 12           # treemap compartments per block, « Autres » included
FORMATS = ("xlsx", "pptx", "pdf")
DEFAULT_FORMATS = ("xlsx", "pptx")
DEFAULT_OUT_DIR = "out"
