"""A question's probability over time as a small inline SVG (standard library only: a page
with a chart needs no matplotlib, no script and nothing from elsewhere).

Example::

    >>> chart = probability_chart([{"forecaster": "Al", "made": "2026-01-01", "p_ppm": 700000},
    ...                            {"forecaster": "Al", "made": "2026-02-01", "p_ppm": 200000}])
    >>> chart.startswith("<svg") and "Al" in chart and chart.count("<circle") == 2
    True
"""

import datetime
from html import escape

PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F7F7F"]
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 12, 56


def _day(text):
    return datetime.date.fromisoformat(text[:10]).toordinal()


def probability_chart(forecasts: list) -> str | None:
    """Each forecaster's forecasts as a step line from 0% to 100% over the dates they were made;
    None when there is nothing to draw."""
    points = [f for f in forecasts if f.get("p_ppm") is not None]
    if not points:
        return None
    days = [_day(f["made"]) for f in points]
    first, last = min(days), max(days)
    span = max(last - first, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day):
        return LEFT + (day - first) / span * plot_w if last > first else LEFT + plot_w / 2

    def y(ppm):
        return TOP + (1 - ppm / 1_000_000) * plot_h

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
             ' role="img" class="chart" aria-label="probability over time">']
    for percent in (0, 25, 50, 75, 100):
        level = y(percent * 10_000)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{level:.1f}" y2="{level:.1f}"'
                     ' stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{level + 4:.1f}" text-anchor="end"'
                     f' font-size="11">{percent}%</text>')
    for day, anchor in ((first, "start"), (last, "end")) if last > first else ((first, "middle"),):
        parts.append(f'<text x="{x(day):.1f}" y="{TOP + plot_h + 16}" text-anchor="{anchor}"'
                     f' font-size="11">{datetime.date.fromordinal(day).isoformat()}</text>')
    names = list(dict.fromkeys(f["forecaster"] for f in points))
    for index, name in enumerate(names):
        colour = PALETTE[index % len(PALETTE)]
        mine = [(d, f) for d, f in zip(days, points) if f["forecaster"] == name]
        path = []
        for position, (day, f) in enumerate(mine):
            if position:
                path.append(f"{x(day):.1f},{y(mine[position - 1][1]['p_ppm']):.1f}")
            path.append(f"{x(day):.1f},{y(f['p_ppm']):.1f}")
        if len(mine) > 1:
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"'
                         f' points="{" ".join(path)}"/>')
        for day, f in mine:
            label = escape(f"{name}: {f['p_ppm'] / 10_000:g}% on {f['made'][:10]}")
            parts.append(f'<circle cx="{x(day):.1f}" cy="{y(f["p_ppm"]):.1f}" r="4"'
                         f' fill="{colour}"><title>{label}</title></circle>')
        legend_x = LEFT + (index % 4) * 150
        legend_y = HEIGHT - 20 + (index // 4) * 14
        if legend_y < HEIGHT:
            parts.append(f'<rect x="{legend_x}" y="{legend_y - 9}" width="10" height="10"'
                         f' fill="{colour}"/><text x="{legend_x + 14}" y="{legend_y}"'
                         f' font-size="11">{escape(name[:22])}</text>')
    parts.append("</svg>")
    return "".join(parts)
