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
