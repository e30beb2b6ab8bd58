"""Server-rendered SVG charts of a licence's balance over time (no JS, no CDN, CSP-safe).

One small chart per licence line, each on its own scale and in its own unit (lines of one
licence may be granted in kg and in t: one shared axis would mislead). The x axis is the
shipment's loading date: the balance as the goods actually left, whenever each report was
filed; the ledger table beside it lists the entries in the order they were recorded.
"""

import datetime as dt
from decimal import Decimal

WIDTH, HEIGHT = 720, 250
LEFT, RIGHT, TOP, BOTTOM = 78, 24, 16, 52
Y_TICKS = 4  # 0, 25, 50, 75, 100 % of the grant
MAX_X_TICKS = 7
DAY_STEPS = (1, 2, 7, 14)
MONTH_STEPS = (1, 2, 3, 6, 12)


def compact(value: Decimal) -> str:
    """12.5, not 12.500 or 1.25E+1: an axis label."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _month_ticks(start: dt.date, end: dt.date) -> tuple[list[dt.date], str]:
    months = (end.year - start.year) * 12 + end.month - start.month
    step = next((s for s in MONTH_STEPS if months / s <= MAX_X_TICKS), 12 * (months // 60 + 1))
    first = dt.date(start.year, start.month, 1)
    ticks = []
    index = 0
    while True:
        total = first.month - 1 + index
        day = dt.date(first.year + total // 12, total % 12 + 1, 1)
        if day > end:
            break
        if day >= start:
            ticks.append(day)
        index += step
    return ticks, "M Y"


def x_ticks(start: dt.date, end: dt.date) -> tuple[list[dt.date], str]:
    """Round dates along the axis (days, weeks or month starts) and their date format."""
    span = (end - start).days
    if span > 62:
        return _month_ticks(start, end)
    step = next((s for s in DAY_STEPS if span / s <= MAX_X_TICKS), 14)
    return [start + dt.timedelta(days=d) for d in range(0, span + 1, step)], "j M"


def line_chart(line, points: list, *, start: dt.date, end: dt.date) -> dict:
    """One licence line: a step line (the balance holds until the next loading day) with a
    marker per loading day, labelled axes and ticks, scaled into the SVG's box."""
    granted = line.quantity_granted or Decimal(1)
    span = max((end - start).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return round(LEFT + plot_w * (day - start).days / span, 1)

    def y(value: Decimal) -> float:
        return round(TOP + plot_h * (1 - float(value / granted)), 1)

    coords: list[tuple[float, float]] = []
    for point in points:
        if coords:
            coords.append((x(point.day), coords[-1][1]))
        coords.append((x(point.day), y(point.left)))
    coords.append((x(end), coords[-1][1]))
    polyline = " ".join(f"{a},{b}" for a, b in coords)
    area = f"{LEFT},{TOP + plot_h} {polyline} {x(end)},{TOP + plot_h}"
    ticks, date_format = x_ticks(start, end)
    return {
        "line": line,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": TOP + plot_h,
        "mid_y": TOP + plot_h / 2,
        "x_title_y": HEIGHT - 8,
        "x_mid": LEFT + plot_w / 2,
        "points": polyline,
        "area": area,
        "markers": [{"x": x(p.day), "y": y(p.left), "point": p} for p in points[1:] if p.shipped],
        "y_ticks": [
            {"y": y(granted * k / Y_TICKS), "label": compact(granted * k / Y_TICKS)}
            for k in range(Y_TICKS + 1)
        ],
        "x_ticks": [{"x": x(day), "day": day} for day in ticks],
        "date_format": date_format,
        "table": points,
        "start": start,
        "end": end,
        "first": points[0],
        "last": points[-1],
        "shipments": sum(1 for p in points[1:] if p.shipped),
    }


def balance_charts(series, *, start: dt.date, end: dt.date) -> list[dict]:
    """A chart per licence line from `selectors.balance_series` (line, [BalancePoint, ...])."""
    end = max([end, start + dt.timedelta(days=1), *(p.day for s in series for p in s.points)])
    return [line_chart(s.line, s.points, start=start, end=end) for s in series]
