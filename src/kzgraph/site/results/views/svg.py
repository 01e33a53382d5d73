"""What the charts share: text that never runs off (cut with an ellipsis, the whole of it in a
``<title>`` tooltip), nice axis ticks, colours, and the ``<svg>`` around a chart. Presentation
attributes only: the pages' CSP allows no style attribute."""

from __future__ import annotations

import math
from html import escape

# Tableau 10: distinguishable, and readable on white.
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip
# A sequential blue scale, light to dark, for amounts (the heatmap).
BLUES = ("#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594")
CHAR_WIDTH = 6.2  # px of an average character at the charts' 11px


def clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 1)].rstrip() + "…"


def label(x: float, y: float, text: str, chars: int, anchor: str = "start", extra: str = "") -> str:
    """Text cut to ``chars`` characters, its whole in a tooltip."""
    return (
        f"<text x='{x:.1f}' y='{y:.1f}' text-anchor='{anchor}'{extra}>"
        f"<title>{escape(text)}</title>{escape(clip(text, chars))}</text>"
    )


def ticks(top: float, most: int = 6) -> list[float]:
    """Round tick values from 0 to at least ``top``."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1.0) if top >= 1 else step
    count = math.ceil(top / step)
    return [i * step for i in range(count + 1)]


def number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def chart(width: float, height: float, title: str, body: str) -> str:
    return (
        f"<svg class='chart' role='img' aria-label='{escape(title)}' width='{width:.0f}' "
        f"height='{height:.0f}' viewBox='0 0 {width:.0f} {height:.0f}' "
        f"xmlns='http://www.w3.org/2000/svg'><title>{escape(title)}</title>{body}</svg>"
    )


def figure(view: str, svg: str, caption: str) -> str:
    return (
        f"<figure class=view data-view='{escape(view)}'>{svg}"
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def legend(x: float, y: float, entries: list[tuple[str, str]], chars: int = 24) -> str:
    """Colour swatches with their names, one a line."""
    out = []
    for i, (colour, name) in enumerate(entries):
        out.append(
            f"<rect x='{x:.1f}' y='{y + i * 16:.1f}' width='11' height='11' fill='{colour}'/>"
            + label(x + 16, y + i * 16 + 10, name, chars)
        )
    return "".join(out)
