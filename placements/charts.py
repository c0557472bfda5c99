"""A simple server-rendered horizontal bar chart (inline SVG, no JavaScript; works in WeasyPrint).

The chart has role="img", a <title> and a <desc>; pages always show the same figures in a table,
so the chart is never the only way to read them. Suppressed figures draw no bar and say [c].
"""

import itertools
from collections.abc import Sequence
from html import escape

_ids = itertools.count(1)
BAR = "#1d70b8"
INK = "#0b0c0c"


def bar_chart_svg(rows: Sequence[tuple[str, float | None, str]], *, title: str, width: int = 460) -> str:
    """rows: (label, value or None when hidden, text shown at the end of the bar)."""
    uid = f"bar-{next(_ids)}"
    label_width, bar_height, gap, top = 210, 20, 6, 4
    height = top + len(rows) * (bar_height + gap) + 4
    largest = max([v for _, v, _ in rows if v] or [1])
    room = width - label_width - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
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
            parts.append(f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" fill="{BAR}"/>')
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
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
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
