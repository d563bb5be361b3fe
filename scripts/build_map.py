"""Build `data/carte_departements.json`: the outlines of the départements, simplified once, for the deck's map.

Reads `../shared/data/contours_departements/departements-avec-outre-mer.geojson` (IGN GEOFLA 2.2 via
gregoiredavid/france-geojson, Licence Ouverte) and writes, in one unit box (integers, y downwards):

- metropolitan France in an equirectangular projection scaled by cos(46.5°);
- the five DROM (971, 972, 973, 974, 976) as insets in a column at the left, each at its own scale;
- Corse twice: 2A and 2B, and `20` (their union) for DGDDI data, which counts Corse as one territory.

Shared borders stay shared: every ring is cut at its junctions (where the set of rings a vertex belongs to
changes) and each piece is simplified (Douglas-Peucker) once, in one canonical direction, so both
neighbours get exactly the same simplified border (no sliver, no gap). Islands smaller than a few units
and interior rings (enclaves, drawn by their own département) are dropped.

Deterministic: rerun it to rebuild. Usage: python scripts/build_map.py [SOURCE.geojson]
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data" / "contours_departements" / "departements-avec-outre-mer.geojson"
OUT = ROOT / "data" / "carte_departements.json"

HEIGHT = 4000          # unit box height (integers): 1 unit ≈ 0.03 pt on a 4.5 in map
TOLERANCE = 4.0        # Douglas-Peucker tolerance, units (≈ 0.3 pt at slide size)
MIN_AREA = 60.0 ** 2   # islands below this area (units²) are dropped, unless the territory's largest
DROM = ("971", "972", "974", "976", "973")  # inset order, top to bottom
INSET_W = 0.2          # inset column width, share of the metropolitan width
INSET_GAP = 0.025      # gap between insets and between the column and the mainland, share of HEIGHT
COS_METRO = math.cos(math.radians(46.5))


def _outer_rings(feature) -> list[list[tuple[float, float]]]:
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [[tuple(p) for p in polygon[0][:-1]] for polygon in polygons]


def _signed_area(ring) -> float:
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))


def _union_of_two(a: list, b: list) -> list:
    """Outline of two rings sharing one contiguous border (same orientation): Corse from 2A and 2B."""
    if (_signed_area(a) > 0) != (_signed_area(b) > 0):
        b = b[::-1]
    shared = set(a) & set(b)
    n = len(a)
    # Start just after a shared run: the first unshared point whose predecessor is shared.
    start = next(i for i in range(n) if a[i] not in shared and a[i - 1] in shared)
    i = start
    out = []
    while a[i % n] not in shared:
        out.append(a[i % n])
        i += 1
    entry = a[i % n]   # where a meets the shared border; b leaves it there towards its own coast
    m = len(b)
    j = b.index(entry)
    out.append(entry)
    j += 1
    while b[j % m] not in shared:
        out.append(b[j % m])
        j += 1
    out.append(b[j % m])  # where b rejoins the shared border: a goes on from there
    return out


def _dp(points: list, tol: float) -> list:
    """Douglas-Peucker on an open chain; both ends kept."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        (x0, y0), (x1, y1) = points[i], points[j]
        dx, dy = x1 - x0, y1 - y0
        norm = math.hypot(dx, dy)
        best, best_k = -1.0, -1
        for k in range(i + 1, j):
            px, py = points[k]
            d = (abs(dy * (px - x0) - dx * (py - y0)) / norm) if norm else math.hypot(px - x0, py - y0)
            if d > best:
                best, best_k = d, k
        if best > tol:
            keep[best_k] = True
            stack += [(i, best_k), (best_k, j)]
    return [p for p, k in zip(points, keep) if k]


def main(source: Path = SOURCE) -> None:
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    rings: list[tuple[str, list]] = []   # (code, ring in lon/lat)
    for feature in sorted(features, key=lambda f: f["properties"]["code"]):
        for ring in _outer_rings(feature):
            rings.append((feature["properties"]["code"], ring))
    main_ring = {}
    for code, ring in rings:
        if code in ("2A", "2B") and abs(_signed_area(ring)) > abs(_signed_area(main_ring.get(code, []))):
            main_ring[code] = ring
    rings.append(("20", _union_of_two(main_ring["2A"], main_ring["2B"])))

    # Projection: lon/lat → units, per territory (mainland or its inset).
    metro = [p for code, ring in rings if code not in DROM for p in ring]
    lon0, lon1 = min(p[0] for p in metro), max(p[0] for p in metro)
    lat0, lat1 = min(p[1] for p in metro), max(p[1] for p in metro)
    scale = HEIGHT / (lat1 - lat0)
    metro_w = (lon1 - lon0) * COS_METRO * scale
    inset_w = INSET_W * metro_w
    gap = INSET_GAP * HEIGHT
    inset_h = (HEIGHT - gap * (len(DROM) - 1)) / len(DROM)
    frames, transforms = {}, {}
    for k, code in enumerate(DROM):
        pts = [p for c, ring in rings if c == code for p in ring]
        a0, a1 = min(p[0] for p in pts), max(p[0] for p in pts)
        b0, b1 = min(p[1] for p in pts), max(p[1] for p in pts)
        cos = math.cos(math.radians((b0 + b1) / 2))
        s = 0.9 * min(inset_w / ((a1 - a0) * cos), inset_h / (b1 - b0))
        fx, fy = 0.0, k * (inset_h + gap)
        ox = fx + (inset_w - (a1 - a0) * cos * s) / 2
        oy = fy + (inset_h - (b1 - b0) * s) / 2
        frames[code] = [round(fx), round(fy), round(inset_w), round(inset_h)]
        transforms[code] = (a0, b1, cos * s, s, ox, oy)
    metro_transform = (lon0, lat1, COS_METRO * scale, scale, inset_w + 2 * gap, 0.0)

    def project(code, p):
        a0, b1, sx, sy, ox, oy = transforms.get(code, metro_transform)
        return (ox + (p[0] - a0) * sx, oy + (b1 - p[1]) * sy)

    # Junctions, on the source coordinates (shared borders have identical vertices).
    owners: dict[tuple, set] = {}
    for r, (_, ring) in enumerate(rings):
        for p in ring:
            owners.setdefault(p, set()).add(r)
    cache: dict[tuple, list] = {}

    def simplify_chain(code, chain):
        key = tuple(chain)
        canonical = key if key[0] <= key[-1] else key[::-1]
        if canonical not in cache:
            projected = [project(code, p) for p in canonical]
            kept = _dp(projected, TOLERANCE)
            cache[canonical] = kept
        out = cache[canonical]
        return out if canonical == key else out[::-1]

    result: dict[str, list] = {}
    for code, ring in rings:
        n = len(ring)
        sets = [frozenset(owners[p]) for p in ring]
        junctions = [i for i in range(n) if sets[i] != sets[i - 1] or sets[i] != sets[(i + 1) % n]]
        if not junctions:  # an island: cut at its smallest and its farthest vertex
            first = min(range(n), key=lambda i: ring[i])
            far = max(range(n), key=lambda i: (ring[i][0] - ring[first][0]) ** 2 + (ring[i][1] - ring[first][1]) ** 2)
            junctions = sorted({first, far})
        out: list = []
        for a, b in zip(junctions, junctions[1:] + [junctions[0] + n]):
            chain = [ring[i % n] for i in range(a, b + 1)]
            out += simplify_chain(code, chain)[:-1]
        pts = [(round(x), round(y)) for x, y in out]
        pts = [p for i, p in enumerate(pts) if p != pts[i - 1]]
        if len(pts) < 3:
            continue
        result.setdefault(code, []).append(pts)
    territories = {}
    for code in sorted(result):
        polygons = sorted(result[code], key=lambda r: -abs(_signed_area(r)))
        kept = [polygons[0]] + [r for r in polygons[1:] if abs(_signed_area(r)) >= MIN_AREA]
        territories[code] = [[v for p in ring for v in p] for ring in kept]
    width = round(metro_transform[4] + metro_w)
    data = {
        "source": "IGN GEOFLA 2.2 (2016) via gregoiredavid/france-geojson 5d34ee6, Licence Ouverte (Etalab); "
                  "simplifié par scripts/build_map.py",
        "width": width, "height": HEIGHT, "insets": frames, "territories": territories,
    }
    OUT.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    n_points = sum(len(r) // 2 for rs in territories.values() for r in rs)
    n_rings = sum(len(rs) for rs in territories.values())
    print(f"{OUT.name}: {len(territories)} territoires, {n_rings} contours, {n_points} points, "
          f"{OUT.stat().st_size // 1024} Ko")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
