"""Renderers: write a Fiche to a file (xlsx, pptx). They never aggregate."""
