"""Benchmark of fichex on this machine (run by hand, not in CI).

Prints: `fichex --help` time next to `python -c pass`; wall time and peak memory (RSS summed over the
process tree, sampled every 20 ms) for 1, 10 and all départements, serial (--jobs 1) and --jobs 2;
time per target. Usage: python benchmarks/bench_build.py [--formats xlsx,pptx] [--repeat 5]
`--ratio` prints only issue 27's first ratio: `build --all --jobs 2` over one `build 23` (same formats, medians of
--runs whole processes, measured alternately in one run).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

FICHEX = shutil.which("fichex") or str(Path(sys.executable).with_name("fichex"))
TEN = ["23", "87", "13", "33", "59", "69", "2A", "974", "75", "31"]


def rss_by_pid(root: int) -> dict[int, int]:
    """RSS in KiB of `root` and of every process below it (bench_engine.py uses it too)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    sizes, stack = {}, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        sizes[pid] = int(line.split()[1])
        except OSError:
            continue
    return sizes


def _tree_rss_kib(root: int) -> int:
    return sum(rss_by_pid(root).values())


def run_with_peak(command: list[str], probe) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run `command`, calling probe(pid) every 20 ms while it runs: (wall seconds, the largest value the
    probe returned, the completed process with its text output). bench_import_dgddi.py uses it too."""
    peak = 0
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, probe(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    return wall, peak, subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def run_measured(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak tree RSS in MiB, exit code."""
    wall, peak, result = run_with_peak(command, _tree_rss_kib)
    if result.returncode:
        print(result.stderr, file=sys.stderr)
    return wall, peak / 1024, result.returncode


def median_time(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--formats", default="xlsx,pptx")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--levels", action="store_true", help="also régions, France and every level at once")
    parser.add_argument("--ratio", action="store_true", help="only `build --all --jobs 2` / `build 23`")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command for --ratio")
    args = parser.parse_args()
    if args.ratio:
        _ratio(args.formats, args.runs)
        return

    print(f"machine : {os.cpu_count()} cœurs, Python {sys.version.split()[0]}, fichex = {FICHEX}")
    help_time = median_time([FICHEX, "--help"], args.repeat)
    pass_time = median_time([sys.executable, "-c", "pass"], args.repeat)
    print(f"fichex --help : {help_time * 1000:.0f} ms | python -c pass : {pass_time * 1000:.0f} ms | "
          f"rapport : {help_time / pass_time:.1f} (cible < 3)")

    print(f"\n{'cibles':>7} {'jobs':>4} {'durée (s)':>10} {'s/cible':>8} {'mémoire max (Mio)':>18}")
    for label, targets in (("1", ["23"]), ("10", TEN), ("toutes", ["--all"])):
        for jobs in (1, 2):
            with tempfile.TemporaryDirectory() as out:
                command = [FICHEX, "build", *targets, "--formats", args.formats, "--out-dir", out,
                           "--jobs", str(jobs), "--quiet", "--force"]
                wall, peak, code = run_measured(command)
                count = 101 if targets == ["--all"] else len(targets)
                status = "" if code == 0 else f"  (code de sortie {code})"
                print(f"{label:>7} {jobs:>4} {wall:>10.2f} {wall / count:>8.3f} {peak:>18.0f}{status}")
    if args.levels:
        _levels(args.formats)


def _ratio(formats: str, runs: int) -> None:
    """`build --all --jobs 2` over one `build 23`, both --force into a fresh folder, alternated so that the
    machine's load weighs on both alike (issue 27: at most 12). The CPU seconds of each process tree are
    printed too: on a shared machine they move less than the wall time. No memory is sampled here: reading
    /proc every 20 ms takes about 6 % of a core, which `--all` (both cores busy) pays and `build 23` (one
    core) does not."""
    walls: dict[str, list[float]] = {"one": [], "all": []}
    cpus: dict[str, list[float]] = {"one": [], "all": []}
    for _ in range(runs):
        for key, targets in (("one", ["23"]), ("all", ["--all", "--jobs", "2"])):
            with tempfile.TemporaryDirectory() as out:
                command = [FICHEX, "build", *targets, "--formats", formats, "--out-dir", out, "--quiet", "--force"]
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                wall = time.perf_counter() - start
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if done.returncode:
                    raise SystemExit(f"{' '.join(command)} : code de sortie {done.returncode}\n{done.stderr}")
                walls[key].append(wall)
                cpus[key].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    wall = {key: statistics.median(values) for key, values in walls.items()}
    cpu = {key: statistics.median(values) for key, values in cpus.items()}
    print(f"build 23 : {wall['one']:.2f} s ({cpu['one']:.2f} s CPU) | build --all --jobs 2 : {wall['all']:.2f} s "
          f"({cpu['all']:.2f} s CPU) | rapport : {wall['all'] / wall['one']:.1f} (cible ≤ 12 ; médianes de {runs})")


def _levels(formats: str) -> None:
    """Every région and France, then every level at once (303 targets), with --jobs 2, then that run again
    (every target up to date)."""
    print(f"\n{'niveaux':>16} {'durée (s)':>10} {'mémoire max (Mio)':>18}")
    with tempfile.TemporaryDirectory() as out:
        for label, targets in (("region,france", ["--level", "region,france"]), ("tout", ["--level", "tout"]),
                               ("tout, à jour", ["--level", "tout"])):
            command = [FICHEX, "build", "--all", *targets, "--formats", formats, "--out-dir", out, "--jobs", "2",
                       "--quiet"]
            wall, peak, code = run_measured(command)
            status = "" if code == 0 else f"  (code de sortie {code})"
            print(f"{label:>16} {wall:>10.2f} {peak:>18.0f}{status}")


if __name__ == "__main__":
    main()
