"""The waterfall of a decomposition as stacked bars: an invisible base carrying each visible bar to the running
total, the rises, the falls and the totals; and where the value axis starts so the effects can be read. Pure
functions (numbers in, numbers out), drawn natively by render/pptx/specialisation.py and render/xlsx/specialisation.py."""

from __future__ import annotations

import math
from typing import NamedTuple


class WaterfallBar(NamedTuple):
    """One bar: the invisible base under it, and its height as a rise, a fall or a total (the others 0)."""

    base: float
    rise: float
    fall: float
    total: float


def waterfall_bars(start: float, effects: tuple[float, ...], end: float) -> list[WaterfallBar]:
    """The start total, each effect from the running total, the end total. A rise stands on the running
    total before it, a fall on the running total after it, so base + rise (or base + fall) is the higher of
    the two running totals. The running totals must not be negative (exports: they are not)."""
    bars = [WaterfallBar(0.0, 0.0, 0.0, start)]
    running = start
    for effect in effects:
        after = running + effect
        bars.append(WaterfallBar(min(running, after), max(effect, 0.0), max(-effect, 0.0), 0.0))
        running = after
    bars.append(WaterfallBar(0.0, 0.0, 0.0, end))
    return bars


def running_totals(start: float, effects: tuple[float, ...]) -> list[float]:
    """The start and the total after each effect."""
    totals = [start]
    for effect in effects:
        totals.append(totals[-1] + effect)
    return totals


def axis_minimum(start: float, effects: tuple[float, ...], end: float) -> float:
    """Where the value axis starts: 0, unless the effects would be too thin to read beside the totals; then a
    round value below the lowest running total by about the effects' span (the bars of the totals cut, which
    the slide says)."""
    totals = running_totals(start, effects) + [end]
    low, high = min(totals), max(totals)
    span = max(high - low, max((abs(e) for e in effects), default=0.0))
    if low <= 0 or span <= 0 or span >= 0.25 * high:
        return 0.0
    unit = 10.0 ** math.floor(math.log10(span))
    minimum = max(math.floor((low - span) / unit) * unit, 0.0)
    step = axis_step(minimum, high)
    return math.floor(minimum / step) * step  # on a tick: the axis reads 17 800, 18 000…, never 298, 303…


def axis_step(minimum: float, high: float) -> float:
    """A round major unit (1, 2 or 5 × a power of ten) giving at most 8 intervals from `minimum` to `high`:
    the ticks of an axis that does not start at zero fall on round values."""
    span = max(high - minimum, 1.0)
    power = 10.0 ** math.floor(math.log10(span / 8))
    return next(m * power for m in (1, 2, 5, 10) if span / (m * power) <= 8)


def value_axis(start: float, effects: tuple[float, ...], end: float) -> tuple[float, float | None]:
    """The value axis of the waterfall, for both renderers: (its start, its major unit), the unit None where the
    axis starts at zero (the application's own ticks), else a round step from a round start."""
    minimum = axis_minimum(start, effects, end)
    if minimum <= 0:
        return minimum, None
    return minimum, axis_step(minimum, max(running_totals(start, effects) + [end]))
