"""Server-rendered SVG bar charts (no script, no inline style: the page's CSP allows neither).

``bar_chart`` returns the geometry; ``incubator/_bar_chart.html`` draws it as <svg> with classes
styled in static/css/incubator.css. The values are also listed in a table for screen readers."""

from django.utils.formats import date_format

WIDTH, HEIGHT, PAD_TOP, PAD_BOTTOM = 360, 160, 12, 22


def bar_chart(points: list[tuple], *, label, css: str = "") -> dict:
    """``points``: (month as a date, value). Bars scaled to the largest value; zero draws nothing."""
    peak = max((value for _month, value in points), default=0) or 1
    count = max(len(points), 1)
    slot = WIDTH / count
    usable = HEIGHT - PAD_TOP - PAD_BOTTOM
    bars = []
    for index, (month, value) in enumerate(points):
        height = round(usable * value / peak, 1) if value > 0 else 0
        bars.append(
            {
                "x": round(index * slot + slot * 0.15, 1),
                "width": round(slot * 0.7, 1),
                "y": round(PAD_TOP + usable - height, 1),
                "height": height,
                "text_x": round(index * slot + slot / 2, 1),
                "month": date_format(month, "m.y"),
                "value": value,
            }
        )
    return {
        "label": label,
        "css": css,
        "bars": bars,
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": HEIGHT - PAD_BOTTOM,
        "text_y": HEIGHT - 6,
        "peak": peak,
        "empty": not points,
    }
