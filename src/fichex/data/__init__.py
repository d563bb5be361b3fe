"""The data layer: the canonical trade table, reference tables, demonstration data, import, download."""
