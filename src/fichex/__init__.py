"""fichex: fiches commerce extérieur par département (DGDDI) en Excel et PowerPoint."""
__version__ = "0.1.0"
