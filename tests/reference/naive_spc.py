"""A deliberately naive SPC: one series, plain Python loops, written from ../shared/docs/spc.md.

It shares no code with mhsip.spc. The fast, vectorised engine must agree with it on generated
data (test_naive_oracle.py). Only single-phase XmR, run, c, u and p charts with the default
options are covered: enough to pin the rules and limits down.
"""

from __future__ import annotations

import itertools
import math
import statistics
from fractions import Fraction


def _mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


def xmr_lines(ys, screen=True):
    mean = _mean(ys)
    ranges = [abs(ys[i] - ys[i - 1]) for i in range(1, len(ys))]
    amr = _mean(ranges)
    if screen and amr is not None:
        amr = _mean([r for r in ranges if r < 3.267 * amr])
    if mean is None or amr is None:
        return [(mean, None, None, None, None)] * len(ys)
    return [
        (
            mean,
            mean - 2.66 * amr,
            mean + 2.66 * amr,
            mean - 2 / 3 * 2.66 * amr,
            mean + 2 / 3 * 2.66 * amr,
        )
    ] * len(ys)


def run_lines(ys):
    return [(statistics.median(ys), None, None, None, None)] * len(ys)


def c_lines(ys):
    c = _mean(ys)
    s = math.sqrt(c)
    return [(c, max(c - 3 * s, 0), c + 3 * s, max(c - 2 * s, 0), c + 2 * s)] * len(ys)


def u_lines(counts, denominators):
    u = sum(counts) / sum(denominators)
    lines = []
    for n in denominators:
        s = math.sqrt(u / n)
        lines.append((u, max(u - 3 * s, 0), u + 3 * s, max(u - 2 * s, 0), u + 2 * s))
    return lines


def p_lines(counts, denominators):
    p = sum(counts) / sum(denominators)
    lines = []
    for n in denominators:
        s = math.sqrt(p * (1 - p) / n)
        lines.append(
            (p, max(p - 3 * s, 0), min(p + 3 * s, 1), max(p - 2 * s, 0), min(p + 2 * s, 1))
        )
    return lines


def _side(y, centre):
    return 0 if y == centre else (1 if y > centre else -1)


def _beyond(y, low, high):
    if low is None:
        return False
    return y > high or y < low


def rule_flags(ys, lines, shift_length=7, trend_length=7):
    """Per point: (outside, shift, trend, two_in_three) directions, each +1, -1 or 0."""
    n = len(ys)
    outside = [0] * n
    shift = [0] * n
    trend = [0] * n
    two = [0] * n
    for i, (y, (_, low, high, _, _)) in enumerate(zip(ys, lines, strict=True)):
        if low is not None:
            outside[i] = 1 if y > high else (-1 if y < low else 0)
    sides = [_side(y, line[0]) for y, line in zip(ys, lines, strict=True)]
    for end in range(shift_length - 1, n):
        window = sides[end - shift_length + 1 : end + 1]
        if window[0] != 0 and all(s == window[0] for s in window):
            for i in range(end - shift_length + 1, end + 1):
                shift[i] = window[0]
    for end in range(trend_length - 1, n):
        start = end - trend_length + 1
        steps = [ys[i + 1] - ys[i] for i in range(start, end)]
        for direction in (1, -1):
            if all(step * direction > 0 for step in steps):
                for i in range(start, end + 1):
                    if trend[i] == 0:
                        trend[i] = direction
    close = []
    for y, (_, low, high, low2, high2) in zip(ys, lines, strict=True):
        close.append(_beyond(y, low2, high2) and not _beyond(y, low, high))
    for start in range(0, n - 2):
        idx = range(start, start + 3)
        same_side = sides[start] != 0 and all(sides[i] == sides[start] for i in idx)
        if same_side and sum(close[i] for i in idx) >= 2:
            for i in idx:
                if close[i]:
                    two[i] = sides[i]
    return outside, shift, trend, two


def point_types(ys, lines, improvement="increase"):
    sign = {"increase": 1, "decrease": -1, "neutral": 0}[improvement]
    types = []
    for flags in zip(*rule_flags(ys, lines), strict=True):
        outside, shift, trend, two = flags
        direction = next((f for f in (outside, trend, two, shift) if f != 0), 0)
        if direction == 0:
            types.append("common_cause")
        elif sign == 0:
            types.append("special_cause_neutral_" + ("high" if direction > 0 else "low"))
        elif direction * sign > 0:
            types.append("special_cause_improvement")
        else:
            types.append("special_cause_concern")
    return types


def runs(ys, centre):
    sides = [_side(y, centre) for y in ys]
    sides = [s for s in sides if s != 0]
    n = len(sides)
    if n == 0:
        return None
    longest = current = 1
    crossings = 0
    for previous, this in itertools.pairwise(sides):
        if this == previous:
            current += 1
        else:
            crossings += 1
            current = 1
        longest = max(longest, current)
    limit = round(math.log2(n)) + 3
    # qbinom(0.05, n - 1, 0.5): the smallest k with P(X <= k) >= 0.05, summed exactly.
    total, k = Fraction(0), -1
    while total < Fraction(1, 20):
        k += 1
        total += Fraction(math.comb(n - 1, k), 2 ** (n - 1))
    return {"longest": longest, "longest_max": limit, "crossings": crossings, "crossings_min": k}
