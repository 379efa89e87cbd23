"""Server-rendered SVG charts and the area map: geometry only, computed here so templates
stay simple. Every chart is paired with a data table in the template (WCAG 1.1.1)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

WIDTH = 640
LABEL_WIDTH = 210
ROW = 30
BAR = 20


def bar_chart(rows: Sequence[dict[str, Any]], *, label: str, value: str,
              series: Sequence[tuple[str, str, str]] | None = None) -> dict[str, Any]:
    """Horizontal bars, one row per item; with `series` ((key, css class, word), ...) a row
    has one bar per series, each labelled with its number and word (not by colour alone)."""
    keys = list(series or [(value, "bar", "")])
    peak = max([float(r.get(k) or 0) for r in rows for k, _, _ in keys] + [1.0])
    room = WIDTH - LABEL_WIDTH - (110 if series else 50)
    bar_height = BAR if len(keys) == 1 else max(8, (ROW - 6) // len(keys))
    out = []
    for index, row in enumerate(rows):
        y = index * ROW + 4
        bars = []
        for n, (key, css, word) in enumerate(keys):
            amount = float(row.get(key) or 0)
            width = round(room * amount / peak, 1)
            by = y + n * bar_height
            bars.append({"x": LABEL_WIDTH, "y": by, "width": width, "height": bar_height - 2,
                         "css": css, "value": f"{_fmt(amount)} {word}".strip(),
                         "text_x": LABEL_WIDTH + width + 6,
                         "text_y": by + bar_height - 6})
        out.append({"label": str(row.get(label) or "—"), "label_y": y + BAR - 5, "bars": bars})
    return {"width": WIDTH, "height": max(ROW, len(rows) * ROW + 8), "rows": out,
            "label_x": LABEL_WIDTH - 8}


def _fmt(amount: float) -> str:
    return str(int(amount)) if amount.is_integer() else f"{amount:.1f}".replace(".", ",")


def area_map(areas: Sequence[dict[str, Any]], *, width: int = 640,
             height: int = 420) -> dict[str, Any]:
    """Circles per area at its centre point, sized by count, on a schematic plane.

    Positions blend true coordinates with their rank, so far-apart villages and close-by
    city districts both stay readable; no street, address or name of a person is drawn.
    """
    placed = [a for a in areas if a.get("lat") is not None and a.get("lon") is not None]
    if not placed:
        return {"width": width, "height": height, "points": []}
    pad = 70

    def axis(values: list[float]) -> list[float]:
        low, high = min(values), max(values)
        order = sorted(range(len(values)), key=lambda i: values[i])
        rank = [0.0] * len(values)
        for position, i in enumerate(order):
            rank[i] = position / max(1, len(values) - 1)
        linear = [(v - low) / (high - low) if high > low else 0.5 for v in values]
        return [0.5 * a + 0.5 * b for a, b in zip(linear, rank, strict=True)]

    xs = axis([float(a["lon"]) for a in placed])
    ys = axis([float(a["lat"]) for a in placed])
    peak = max([int(a.get("count") or 0) for a in placed] + [1])
    points = []
    for area, x, y in zip(placed, xs, ys, strict=True):
        count = int(area.get("count") or 0)
        radius = 10 + 26 * math.sqrt(count / peak) if count else 6
        cx = pad + x * (width - 2 * pad)
        cy = height - pad - y * (height - 2 * pad)  # north is up
        points.append({"name": area["name"], "count": count, "cx": round(cx, 1),
                       "cy": round(cy, 1), "r": round(radius, 1),
                       "label_y": round(cy + radius + 16, 1), "count_y": round(cy + 5, 1)})
    return {"width": width, "height": height, "points": points}
