"""Batch builds: targets, per-process workers, the manifest, and the orchestration of many fiches."""
