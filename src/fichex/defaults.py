"""Defaults of fichex, defined once: the CLI's option defaults and the library's keyword defaults read them."""

DEFAULT_YEAR = 2024          # the year of the model publication
DEFAULT_TOP = 10             # partners, activities and flow nodes shown (the model's « dix premiers »)
DEFAULT_HIGHLIGHTED = 5      # flows drawn in red (the model's « cinq principaux flux »)
DEFAULT_TILES = 12           # treemap compartments per block, « Autres » included
FORMATS = ("xlsx", "pptx", "pdf")
DEFAULT_FORMATS = ("xlsx", "pptx")
DEFAULT_OUT_DIR = "out"
