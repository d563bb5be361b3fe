"""fichex: fiches commerce extérieur par département (DGDDI) en Excel et PowerPoint.

The front door of the library (`fichex.api`), loaded on first use so that `import fichex` is instant::

    import fichex

    data = fichex.load()                      # or fichex.load("donnees/")
    fiche = fichex.fiche("23", 2024, data=data)
    fichex.write_workbook(fiche, "creuse.xlsx")
    fichex.write_deck(fiche, "creuse.pptx")
    fichex.build(["23", "87"], out_dir="out", formats="xlsx,pptx")
    region = fichex.fiche("75", level="region", data=data)   # a région; level="france" for France
    fichex.write_territoire("Creuse Industrie", out_dir="out")  # a Territoire d'industrie's deck and workbook
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichex.version import __version__

_FRONT_DOOR = ("load", "fiche", "write_workbook", "write_deck", "build", "key_figures", "figures_json",
               "listing", "check_template", "import_data", "data_info", "download_data", "territoire_fiches",
               "write_territoire")
__all__ = [*_FRONT_DOOR, "__version__"]

if TYPE_CHECKING:
    from fichex.api import (build, check_template, data_info, download_data, fiche, figures_json,  # noqa: F401
                            import_data, key_figures, listing, load, territoire_fiches, write_deck,
                            write_territoire, write_workbook)


def __getattr__(name: str):
    if name in _FRONT_DOOR:
        from fichex import api

        return getattr(api, name)
    raise AttributeError(f"module 'fichex' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_FRONT_DOOR])
