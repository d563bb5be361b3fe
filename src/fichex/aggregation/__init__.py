"""Aggregation: the typed Fiche (model, a leaf) and the pure functions that compute it from the trade table."""
