"""A small server-rendered SVG chart of each licence line's balance over time (no JS, no CDN)."""

import datetime as dt
from decimal import Decimal

WIDTH, HEIGHT, PAD = 720, 240, 40
COLOURS = ["#0d6efd", "#198754", "#d63384", "#fd7e14", "#6f42c1", "#20c997"]


def balance_chart(series, now: dt.datetime) -> dict:
    """Step lines (balance stays until the next movement) scaled into the SVG's box."""
    if not series:
        return {}
    start = min(s.points[0][0] for s in series)
    span = max((now - start).total_seconds(), 1.0)
    top = max((s.line.quantity_granted for s in series), default=Decimal(1)) or Decimal(1)

    def x(at: dt.datetime) -> float:
        return round(PAD + (WIDTH - 2 * PAD) * (at - start).total_seconds() / span, 1)

    def y(value: Decimal) -> float:
        return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * float(value / top), 1)

    lines = []
    for index, s in enumerate(series):
        coords = []
        previous = None
        for at, balance in s.points:
            if previous is not None:
                coords.append((x(at), y(previous)))
            coords.append((x(at), y(balance)))
            previous = balance
        coords.append((x(now), y(previous)))
        lines.append(
            {
                "points": " ".join(f"{a},{b}" for a, b in coords),
                "colour": COLOURS[index % len(COLOURS)],
                "label": f"{s.line.catalogue_entry.reference if s.line.catalogue_entry else ''} "
                f"{s.line.form}: {s.line.balance} / {s.line.quantity_granted} {s.line.unit}",
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "pad": PAD,
        "lines": lines,
        "top": top,
        "unit": series[0].line.unit,
        "start": start.date(),
        "end": now.date(),
        "axis_y": HEIGHT - PAD,
        "axis_x_end": WIDTH - PAD,
        "top_y": PAD,
    }
