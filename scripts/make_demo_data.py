"""Regenerate data/demo/commerce_exterieur_demo.parquet (deterministic; see fichex.data.demo)."""

import sys
import time
from pathlib import Path

from fichex.data import demo
from fichex.resources import demo_dataset_path

if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else demo_dataset_path()
    start = time.perf_counter()
    table = demo.write(target)
    print(f"{len(table):,} lignes -> {target} ({target.stat().st_size / 1e6:.1f} Mo, {time.perf_counter() - start:.1f} s)")
