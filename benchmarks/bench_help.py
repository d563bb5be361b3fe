"""`fichex --help` time, for one checkout or several side by side (run by hand, not in CI).

The console script answers `--help` from the pre-rendered text (fast_help.py), importing neither Typer nor the
optional `mcp` SDK: this shows the time is unchanged by a change (`fichex mcp` added, say). Runs are interleaved
so that the machine's load weighs on every checkout alike; prints the median of each next to `python -c pass`.

Usage: python benchmarks/bench_help.py [--src BEFORE/src --src AFTER/src] [--repeat 41]
(`git archive COMMIT src | tar -x -C /tmp/before` gives an earlier checkout's src/.)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = "import sys; sys.argv = ['fichex', '--help']; from fichex.fast_help import main; main()"
CHECK = ("import sys; sys.argv = ['fichex', '--help']; from fichex.fast_help import main; main(); "
         "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('mcp', 'typer', 'pandas')); "
         "sys.stderr.write(' '.join(bad))")


def once(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", action="append", default=[], help="a checkout's src/ folder (repeatable)")
    parser.add_argument("--repeat", type=int, default=41)
    args = parser.parse_args()
    sources = args.src or [str(Path(__file__).resolve().parent.parent / "src")]
    envs = {src: {**os.environ, "PYTHONPATH": src} for src in sources}
    for src, env in envs.items():  # what the answer imports: neither Typer, pandas nor mcp
        loaded = subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, check=True)
        print(f"{src} : modules lourds importés par --help : {loaded.stderr or 'aucun'}")
    times: dict[str, list[float]] = {src: [] for src in sources}
    baseline = []
    for _ in range(args.repeat):
        baseline.append(once([sys.executable, "-c", "pass"], os.environ.copy()))
        for src, env in envs.items():
            times[src].append(once([sys.executable, "-c", SCRIPT], env))
    base = statistics.median(baseline)
    print(f"python -c pass : {base * 1000:.1f} ms (médiane de {args.repeat})")
    for src, values in times.items():
        median = statistics.median(values)
        print(f"fichex --help ({src}) : {median * 1000:.1f} ms, rapport {median / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
