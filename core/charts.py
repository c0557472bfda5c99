"""Server-rendered SVG charts for every app: no JavaScript, fine in a browser and in WeasyPrint.

trend_chart_svg: values over time as a line with markers, the target (a constant or a step line
over time) dashed and the benchmark dotted. bar_chart_svg: a horizontal bar chart; suppressed
figures draw no bar and say [c]. timeline_svg: periods on a time line (a child's placements).

Every chart has role="img", a <title> and a <desc>; pages always show the same figures in a table,
so a chart is never the only way to read them. chart_img: a chart as an <img> for a PDF, which WeasyPrint
draws without parsing and styling every node of an inline SVG (a 300-chart report builds several times faster).
"""

import base64
import itertools
import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from .formatting import format_money

Series = Sequence[tuple[date, Decimal | float | int | None]]

_trend_ids = itertools.count(1)
_ids = itertools.count(1)  # bar charts and timelines

VALUE_COLOUR = "#1d70b8"  # GOV.UK blue
TARGET_COLOUR = "#00703c"  # GOV.UK green
BENCHMARK_COLOUR = "#505a5f"  # GOV.UK dark grey
INK = "#0b0c0c"
GRID = "#b1b4b6"
BAND_COLOUR = "#d2e2f1"  # a light tint of the value blue: a range, behind the lines
FORECAST_COLOUR = "#003078"  # GOV.UK dark blue
SCENARIO_COLOUR = "#d4351c"  # GOV.UK red
# The fonts the project ships (static/css/fonts.css), in the order pages and reports list them: chart text is drawn
# in them on every machine, never in a system font. Set on each chart's <svg>, which its text inherits.
FONT_FAMILY = "Arimo, 'Liberation Sans', 'Noto Sans Symbols 2', 'Noto Sans Math'"
# A generous average advance of Arimo/Arial at 13px (0.6 em), so a label never runs out of its box.
CHAR_WIDTH_13PX = 7.8


def text_width(text: str, *, font_size: float = 13) -> float:
    """Room to leave for a line of chart text: generous, as the fonts that draw it differ by machine."""
    return len(text) * CHAR_WIDTH_13PX * font_size / 13


def chart_img(svg: str, *, alt: str, css_class: str = "chart") -> SafeString:
    """The chart as an <img> with a data: URI and alternative text (the PDF's /Figure /Alt)."""
    data = base64.b64encode(svg.encode()).decode("ascii")
    return mark_safe(  # base64 text, and alt escaped
        f'<img class="{escape(css_class)}" alt="{escape(alt)}" src="data:image/svg+xml;base64,{data}">'
    )


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


def _nice(x: float, *, round_: bool) -> float:
    exponent = math.floor(math.log10(x))
    fraction = x / 10**exponent
    if round_:
        nice = 1 if fraction < 1.5 else 2 if fraction < 3 else 5 if fraction < 7 else 10
    else:
        nice = 1 if fraction <= 1 else 2 if fraction <= 2 else 5 if fraction <= 5 else 10
    return nice * 10**exponent


def nice_ticks(lo: float, hi: float, count: int = 5) -> tuple[list[float], int]:
    """Round axis values covering lo..hi (steps of 1, 2 or 5 times a power of ten: 400, 420, 440, not
    400.9, 452.5), and the decimal places the step needs."""
    if hi <= lo:
        hi = lo + 1
    step = _nice(_nice(hi - lo, round_=False) / (count - 1), round_=True)
    start, end = math.floor(lo / step) * step, math.ceil(hi / step) * step
    ticks = [start + i * step for i in range(int(round((end - start) / step)) + 1)]
    return ticks, max(0, -math.floor(math.log10(step)))


# Label every period when they fit, else every 2nd, 3rd, 4th, 6th or 12th: a quarter, half or year apart.
_DATE_STEPS = (1, 2, 3, 4, 6, 12, 24, 36, 60)


def date_labels(dates: Sequence[date], *, plot_w: float, font_size: float = 12, most: int | None = None) -> list[date]:
    """The period ends to name under a trend chart: as many as fit without touching (and no more than `most`),
    evenly spaced and counted back from the latest (the one a reader looks for). Two labels, first and last, told
    a reader nothing about the periods between."""
    dates = sorted(set(dates))
    if len(dates) <= 1:
        return dates
    pitch = plot_w / (len(dates) - 1)
    room = max(text_width(f"{d:%b %Y}", font_size=font_size) for d in dates) + 16
    step = next((s for s in _DATE_STEPS if pitch * s >= room and (most is None or (len(dates) - 1) // s < most)),
                len(dates) - 1)
    return [d for i, d in enumerate(dates) if (len(dates) - 1 - i) % step == 0]


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
    legend: bool = True,
    printed: bool = False,
    money: bool = False,
    value_label: str = "Value",
    lines: Sequence[tuple[str, Series, str, str]] = (),
    band: Sequence[tuple[date, float, float]] = (),
    band_label: str = "Range",
) -> str:
    """An inline SVG line chart. `target`, `target_upper` and `benchmark` are a number or [(date, value)].
    `lines` are further series drawn beside the values, each (label, [(date, value)], colour, dash), and `band`
    a shaded range [(date, low, high)] behind them (a forecast's interval); the chart spans all their dates.
    With `money` every figure, the axis's among them, is written as money (core.formatting.format_money).
    A small chart may leave out its legend (its caption then names the lines). A printed chart has no
    per-point tooltips, draws its gridlines and its markers as one path each, and has at most four values on
    each axis: a PDF draws every SVG node and shapes every label, and a county report has hundreds of charts."""
    uid = f"chart-{next(_trend_ids)}"
    values = [(d, float(v)) for d, v in points if v is not None]
    extra = [(label, [(d, float(v)) for d, v in series if v is not None], colour, dash)
             for label, series, colour, dash in lines]
    lines = {"target": _series(target), "upper": _series(target_upper), "benchmark": _series(benchmark)}
    band = [(d, float(low), float(high)) for d, low, high in band]
    all_dates = [d for d, _ in values] + [d for _, series, _, _ in extra for d, _ in series] + [d for d, _, _ in band]
    title_text = escape(title)
    if not values and not any(series for _, series, _, _ in extra) and not band:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-t" '
            f'width="{width}" height="60" viewBox="0 0 {width} 60" class="app-chart" font-family="{FONT_FAMILY}">'
            f'<title id="{uid}-t">{title_text}: no data yet</title>'
            f'<text x="10" y="35" font-size="16" fill="{INK}">No data yet</text>'
            "</svg>"
        )
    d0, d1 = min(all_dates), max(all_dates)
    all_numbers = [v for _, v in values]
    all_numbers += [v for _, series, _, _ in extra for _, v in series] + [v for _, lo_, hi_ in band for v in (lo_, hi_)]
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
    right, top, bottom = 16, 16, 40 if legend else 24
    dates_y = height - 20 if legend else height - 6
    plot_h = height - top - bottom
    # Fewer values on a short axis, so its 12px labels do not run into each other.
    ticks, tick_decimals = nice_ticks(lo, hi, count=max(2, min(4 if printed else 5, plot_h // 14)))
    lo, hi = ticks[0], ticks[-1]
    if money:
        unit = ""

    def figure(v: float, places: int) -> str:
        return format_money(Decimal(str(v)), places=places) if money else _fmt(v, places)

    tick_labels = [figure(v, tick_decimals) for v in ticks]
    # The axis's labels end 6px left of the plot: leave room for the longest, so none loses its first figures.
    left = max(64, math.ceil(max(text_width(t, font_size=12) for t in tick_labels)) + 10)
    plot_w = width - left - right
    span = (d1 - d0).days or 1

    def x(d: date) -> float:
        d = min(max(d, d0), d1)
        return left + ((d - d0).days / span) * plot_w if d1 != d0 else left + plot_w / 2

    def y(v: float) -> float:
        return top + plot_h - (v - lo) / (hi - lo) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" class="app-chart" '
        f'font-family="{FONT_FAMILY}" font-size="12">',
        f'<title id="{uid}-t">{title_text}</title>',
    ]
    if values:
        last_v = values[-1][1]
        v0, v1 = min(d for d, _ in values), max(d for d, _ in values)
        desc = f"{len(values)} values from {v0:%b %Y} to {v1:%b %Y}; latest {figure(last_v, decimals)}{escape(unit)}"
    else:
        desc = f"No {escape(value_label).lower()} yet"
    for label, series, _, _ in extra:
        if series:
            desc += (f"; {escape(label).lower()} from {series[0][0]:%b %Y} to {series[-1][0]:%b %Y}, "
                     f"{figure(series[-1][1], decimals)}{escape(unit)} at the end")
    if band:
        desc += (f"; {escape(band_label).lower()} at the end {figure(band[-1][1], decimals)} to "
                 f"{figure(band[-1][2], decimals)}{escape(unit)}")
    parts.append(f'<desc id="{uid}-d">{desc}.</desc>')
    # axes and gridlines
    if printed:
        grid = " ".join(f"M{left} {y(v):.1f}H{width - right}" for v in ticks)
        parts.append(f'<path d="{grid}" stroke="{GRID}" fill="none"/>')
    for v, label in zip(ticks, tick_labels, strict=True):
        yy = y(v)
        if not printed:
            parts.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{width - right}" y2="{yy:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" fill="{INK}">{label}</text>')
    labelled = date_labels(all_dates, plot_w=plot_w, most=4 if printed else None)
    # The date axis and its ticks in one path: each SVG element costs a printed chart more than its lines do.
    axis = f"M{left} {top + plot_h}H{width - right}" + "".join(f" M{x(d):.1f} {top + plot_h}v4" for d in labelled)
    parts.append(f'<path d="{axis}" stroke="{INK}" fill="none"/>')
    for d in labelled:
        half = text_width(f"{d:%b %Y}", font_size=12) / 2
        xx = min(max(x(d), half + 2), width - half - 2)  # the outermost stay whole inside the chart
        parts.append(f'<text x="{xx:.1f}" y="{dates_y}" text-anchor="middle" fill="{INK}">{d:%b %Y}</text>')

    def draw(line, colour, dash, label):
        if line is None or line == []:
            return None
        if isinstance(line, float):
            parts.append(
                f'<line x1="{left}" y1="{y(line):.1f}" x2="{width - right}" y2="{y(line):.1f}" stroke="{colour}" '
                f'stroke-width="2" stroke-dasharray="{dash}">'
                + ("" if printed else f"<title>{label}: {figure(line, decimals)}</title>") + "</line>"
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
                f'stroke-dasharray="{dash}">' + ("" if printed else f"<title>{label}</title>") + "</polyline>"
            )
            return label
        return None

    show_legend = legend
    legend = [(value_label, VALUE_COLOUR, "")] if values else []
    if band:
        # the range first, so every line is drawn over it; one path whatever the number of months
        edge = [(x(d), y(high)) for d, _, high in band] + [(x(d), y(low)) for d, low, _ in reversed(band)]
        parts.append(f'<polygon points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in edge)}" fill="{BAND_COLOUR}">'
                     + ("" if printed else f"<title>{escape(band_label)}</title>") + "</polygon>")
        legend.append((band_label, BAND_COLOUR, "band"))
    if draw(lines["target"], TARGET_COLOUR, "6 4", "Target"):
        legend.append(("Target", TARGET_COLOUR, "6 4"))
        draw(lines["upper"], TARGET_COLOUR, "6 4", "Target upper bound")
    if draw(lines["benchmark"], BENCHMARK_COLOUR, "2 3", benchmark_label):
        legend.append((benchmark_label, BENCHMARK_COLOUR, "2 3"))
    for label, series, colour, dash in extra:
        if series:
            parts.append(
                f'<polyline points="{" ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in series)}" fill="none" '
                f'stroke="{colour}" stroke-width="2.5"' + (f' stroke-dasharray="{dash}"' if dash else "") + ">"
                + ("" if printed else f"<title>{escape(label)}</title>") + "</polyline>"
            )
            legend.append((label, colour, dash))
    path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in values)
    if values:
        parts.append(f'<polyline points="{path}" fill="none" stroke="{VALUE_COLOUR}" stroke-width="2.5"/>')
    if len(values) <= 60 and printed:
        # squares: straight edges are far cheaper for a PDF renderer than arcs
        dots = " ".join(f"M{x(d) - 2.5:.1f} {y(v) - 2.5:.1f}h5v5h-5z" for d, v in values)
        parts.append(f'<path d="{dots}" fill="{VALUE_COLOUR}"/>')
    elif len(values) <= 60:
        for d, v in values:
            parts.append(
                f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3" fill="{VALUE_COLOUR}">'
                f"<title>{d:%d %b %Y}: {figure(v, decimals)}{escape(unit)}</title></circle>"
            )
    lx = left
    for label, colour, dash in legend if show_legend else []:
        if dash == "band":
            parts.append(f'<rect x="{lx}" y="{height - 12}" width="24" height="10" fill="{colour}"/>')
            parts.append(f'<text x="{lx + 30}" y="{height - 2}" fill="{INK}">{escape(label)}</text>')
            lx += 40 + 8 * len(label)
            continue
        parts.append(
            f'<line x1="{lx}" y1="{height - 6}" x2="{lx + 24}" y2="{height - 6}" stroke="{colour}" stroke-width="2.5"'
            + (f' stroke-dasharray="{dash}"' if dash else "") + "/>"
        )
        parts.append(f'<text x="{lx + 30}" y="{height - 2}" fill="{INK}">{escape(label)}</text>')
        lx += 40 + 8 * len(label)
    parts.append("</svg>")
    return "".join(parts)


def bar_chart_svg(rows: Sequence[tuple[str, float | None, str]], *, title: str, width: int = 460) -> str:
    """rows: (label, value or None when hidden, text shown at the end of the bar)."""
    uid = f"bar-{next(_ids)}"
    bar_height, gap, top = 20, 6, 4
    # The label column is as wide as the longest label and the bars get at least 160px, so no label is cut
    # off at either edge ("upported or independent living").
    label_width = max(120, round(max([text_width(label) for label, _, _ in rows] or [0]) + 16))
    text_room = round(max([text_width(text) for _, _, text in rows] or [0]) + 12)
    width = max(width, label_width + 160 + text_room)
    height = top + len(rows) * (bar_height + gap) + 4
    largest = max([v for _, v, _ in rows if v] or [1])
    room = width - label_width - text_room
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="{FONT_FAMILY}">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape("; ".join(f"{label}: {text}" for label, _, text in rows))}</desc>',
    ]
    for i, (label, value, text) in enumerate(rows):
        y = top + i * (bar_height + gap)
        length = 0 if not value else max(1, round(float(value) / float(largest) * room))
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 13}" text-anchor="end" font-size="13" fill="{INK}">'
            f"{escape(label)}</text>"
        )
        if length:
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" fill="{VALUE_COLOUR}"/>'
            )
        parts.append(
            f'<text x="{label_width + length + 6}" y="{y + 13}" font-size="13" fill="{INK}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def timeline_svg(spans, *, today, title: str, width: int = 640) -> str:
    """A child's placements as bars along a time axis. spans: (start, end or None, short label).

    Each bar is labelled with its code; the list under the chart gives the same facts in words.
    """
    if not spans:
        return ""
    uid = f"timeline-{next(_ids)}"
    first = min(s for s, _, _ in spans)
    last = max([e or today for _, e, _ in spans] + [today])
    total = max((last - first).days, 1)
    left, right, bar_height, top = 10, 10, 26, 22
    room = width - left - right
    height = top + bar_height + 30

    def x(day):
        return left + round((day - first).days / total * room)

    described = "; ".join(f"{label} from {s:%d %b %Y} to {(e.strftime('%d %b %Y') if e else 'now')}"
                          for s, e, label in spans)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="{FONT_FAMILY}">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(described)}</desc>',
    ]
    colours = ["#1d70b8", "#003078"]
    for i, (start, end, label) in enumerate(spans):
        x0, x1 = x(start), x(end or today)
        w = max(x1 - x0, 2)
        parts.append(f'<rect x="{x0}" y="{top}" width="{w}" height="{bar_height}" fill="{colours[i % 2]}" '
                     f'stroke="#ffffff" stroke-width="1"/>')
        if w > 28:
            parts.append(f'<text x="{x0 + 4}" y="{top + 17}" font-size="12" fill="#ffffff">{escape(label)}</text>')
    for day, anchor in ((first, "start"), (last, "end")):
        parts.append(f'<text x="{x(day)}" y="{top + bar_height + 18}" font-size="12" text-anchor="{anchor}" '
                     f'fill="{INK}">{day:%b %Y}</text>')
    parts.append(f'<text x="{left}" y="14" font-size="12" fill="{INK}">Placements in order</text>')
    parts.append("</svg>")
    return "".join(parts)
