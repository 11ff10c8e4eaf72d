"""Bar charts as inline SVG, drawn on the server (no JavaScript, works in the PDF too).

Each chart is an image with a title and a text description (role="img", <title>, <desc>); the numbers
are printed on the bars and are all in the data table the page shows beside the chart. Colours have at
least 3:1 contrast with white (WCAG 1.4.11), and the legend names each series in text.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .build import Chart

# GOV.UK blue and dark grey: 5.2:1 and 7.0:1 against white.
COLOURS = ("#1d70b8", "#505a5f", "#00703c", "#d4351c")
WIDTH = 640
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 40, 56


def _text(x: float, y: float, body: str, anchor: str = "middle", size: int = 13) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-family="Arial, Liberation Sans, sans-serif" fill="#0b0c0c">{escape(body)}</text>'
    )


def render_chart(chart: Chart) -> Markup:
    values = [v for s in chart.series for v in s.values if v is not None]
    top = max(values, default=0) or 1
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    groups = max(len(chart.categories), 1)
    group_w = plot_w / groups
    bar_w = min(48.0, (group_w - 12) / max(len(chart.series), 1))
    title_id, desc_id = f"{chart.id}-title", f"{chart.id}-desc"
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart__svg" role="img" '
            f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">'
        ),
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.summary)}</desc>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#0b0c0c" />',
    ]
    # Legend, in text, top left.
    x = LEFT
    for index, series in enumerate(chart.series):
        colour = COLOURS[index % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="12" width="14" height="14" fill="{colour}" />')
        parts.append(_text(x + 20, 24, series.name, anchor="start"))
        x += 30 + 8 * len(series.name)
    for group, category in enumerate(chart.categories):
        group_x = LEFT + group * group_w
        inner = (group_w - bar_w * len(chart.series)) / 2
        for index, series in enumerate(chart.series):
            value = series.values[group]
            bar_x = group_x + inner + index * bar_w
            centre = bar_x + bar_w / 2
            if value is None:
                parts.append(_text(centre, TOP + plot_h - 6, chart.suppressed, size=11))
                continue
            height = plot_h * value / top
            colour = COLOURS[index % len(COLOURS)]
            parts.append(
                f'<rect x="{bar_x + 2:.1f}" y="{TOP + plot_h - height:.1f}" width="{bar_w - 4:.1f}" '
                f'height="{height:.1f}" fill="{colour}" />'
            )
            parts.append(_text(centre, TOP + plot_h - height - 4, str(value), size=12))
        parts.append(_text(group_x + group_w / 2, TOP + plot_h + 20, category))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text in it went through escape()
