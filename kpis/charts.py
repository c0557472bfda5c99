"""Server-rendered SVG trend charts: no JavaScript, fine in a browser and in WeasyPrint.

trend_chart_svg(points, target=..., benchmark=...) draws the values as a line with markers,
the target (a constant or a step line over time) dashed, and the benchmark dotted. The SVG
has role="img", a <title> and a <desc> that says the latest value, so the chart is never the
only way to read the data (pages also show the same numbers in a table).
"""

import itertools
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from html import escape

Series = Sequence[tuple[date, Decimal | float | int | None]]

_ids = itertools.count(1)

VALUE_COLOUR = "#1d70b8"  # GOV.UK blue
TARGET_COLOUR = "#00703c"  # GOV.UK green
BENCHMARK_COLOUR = "#505a5f"  # GOV.UK dark grey
INK = "#0b0c0c"
GRID = "#b1b4b6"


def _series(line) -> list[tuple[date, float]] | float | None:
    if line is None:
        return None
    if isinstance(line, int | float | Decimal):
        return float(line)
    return [(d, float(v)) for d, v in line if v is not None]


def _in_view(line: list[tuple[date, float]], d0: date, d1: date) -> list[tuple[date, float]]:
    """The steps of a step line that show between d0 and d1 (including the one in force at d0)."""
    steps = sorted(line)
    shown = [(d, v) for d, v in steps if d0 < d <= d1]
    before = [(d, v) for d, v in steps if d <= d0]
    return ([before[-1]] if before else []) + shown


def _fmt(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def trend_chart_svg(
    points: Series,
    *,
    target=None,
    target_upper=None,
    benchmark=None,
    title: str = "Trend",
    unit: str = "",
    decimals: int = 1,
    width: int = 640,
    height: int = 240,
    benchmark_label: str = "Benchmark",
) -> str:
    """An inline SVG line chart. `target`, `target_upper` and `benchmark` are a number or [(date, value)]."""
    uid = f"chart-{next(_ids)}"
    values = [(d, float(v)) for d, v in points if v is not None]
    lines = {"target": _series(target), "upper": _series(target_upper), "benchmark": _series(benchmark)}
    title_text = escape(title)
    if not values:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-t" '
            f'width="{width}" height="60" viewBox="0 0 {width} 60" class="app-chart">'
            f'<title id="{uid}-t">{title_text}: no data yet</title>'
            f'<text x="10" y="35" font-family="Arimo, Arial, sans-serif" font-size="16" fill="{INK}">No data yet</text>'
            "</svg>"
        )
    d0, d1 = min(d for d, _ in values), max(d for d, _ in values)
    all_numbers = [v for _, v in values]
    for line in lines.values():
        if isinstance(line, float):
            all_numbers.append(line)
        elif line:
            all_numbers.extend(v for d, v in _in_view(line, d0, d1))
    lo, hi = min(all_numbers), max(all_numbers)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.1
    lo, hi = (0.0 if lo >= 0 and lo - pad < 0 else lo - pad), hi + pad
    left, right, top, bottom = 64, 16, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    span = (d1 - d0).days or 1

    def x(d: date) -> float:
        d = min(max(d, d0), d1)
        return left + ((d - d0).days / span) * plot_w if d1 != d0 else left + plot_w / 2

    def y(v: float) -> float:
        return top + plot_h - (v - lo) / (hi - lo) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" class="app-chart" '
        f'font-family="Arimo, Arial, sans-serif" font-size="12">',
        f'<title id="{uid}-t">{title_text}</title>',
    ]
    last_d, last_v = values[-1]
    desc = f"{len(values)} values from {d0:%b %Y} to {d1:%b %Y}; latest {_fmt(last_v, decimals)}{escape(unit)}"
    parts.append(f'<desc id="{uid}-d">{desc}.</desc>')
    # axes and gridlines
    for i in range(5):
        v = lo + (hi - lo) * i / 4
        yy = y(v)
        parts.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{width - right}" y2="{yy:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" fill="{INK}">{_fmt(v, decimals)}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{INK}"/>')
    parts.append(f'<text x="{left}" y="{height - 20}" fill="{INK}">{d0:%b %Y}</text>')
    parts.append(f'<text x="{width - right}" y="{height - 20}" text-anchor="end" fill="{INK}">{d1:%b %Y}</text>')

    def draw(line, colour, dash, label):
        if line is None or line == []:
            return None
        if isinstance(line, float):
            parts.append(
                f'<line x1="{left}" y1="{y(line):.1f}" x2="{width - right}" y2="{y(line):.1f}" stroke="{colour}" '
                f'stroke-width="2" stroke-dasharray="{dash}"><title>{label}: {_fmt(line, decimals)}</title></line>'
            )
            return label
        steps = _in_view(line, d0, d1)
        coords = []
        for i, (d, v) in enumerate(steps):
            start = x(d)
            end = x(steps[i + 1][0]) if i + 1 < len(steps) else width - right
            if d > d1:
                continue
            coords.append(f"{start:.1f},{y(v):.1f} {end:.1f},{y(v):.1f}")
        if coords:
            parts.append(
                f'<polyline points="{" ".join(coords)}" fill="none" stroke="{colour}" stroke-width="2" '
                f'stroke-dasharray="{dash}"><title>{label}</title></polyline>'
            )
            return label
        return None

    legend = [("Value", VALUE_COLOUR, "")]
    if draw(lines["target"], TARGET_COLOUR, "6 4", "Target"):
        legend.append(("Target", TARGET_COLOUR, "6 4"))
        draw(lines["upper"], TARGET_COLOUR, "6 4", "Target upper bound")
    if draw(lines["benchmark"], BENCHMARK_COLOUR, "2 3", benchmark_label):
        legend.append((benchmark_label, BENCHMARK_COLOUR, "2 3"))
    path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in values)
    parts.append(f'<polyline points="{path}" fill="none" stroke="{VALUE_COLOUR}" stroke-width="2.5"/>')
    if len(values) <= 60:
        for d, v in values:
            parts.append(
                f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3" fill="{VALUE_COLOUR}">'
                f"<title>{d:%d %b %Y}: {_fmt(v, decimals)}{escape(unit)}</title></circle>"
            )
    lx = left
    for label, colour, dash in legend:
        parts.append(
            f'<line x1="{lx}" y1="{height - 6}" x2="{lx + 24}" y2="{height - 6}" stroke="{colour}" stroke-width="2.5"'
            + (f' stroke-dasharray="{dash}"' if dash else "") + "/>"
        )
        parts.append(f'<text x="{lx + 30}" y="{height - 2}" fill="{INK}">{escape(label)}</text>')
        lx += 40 + 8 * len(label)
    parts.append("</svg>")
    return "".join(parts)
