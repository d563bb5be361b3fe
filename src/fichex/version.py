"""fichex's version, written once: the package build reads it here (pyproject's `[tool.hatch.version]`), and
every module that records it (documents, manifest, index page) imports it from this leaf, never from the
package root."""

__version__ = "0.1.0"
