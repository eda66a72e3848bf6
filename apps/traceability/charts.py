"""Small server-rendered SVG charts (no JavaScript): scans per day and scans per province."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 640


def series_svg(series, *, height=160):
    """Vertical bars, one per day: ``series`` is a list of (date, count)."""
    if not series:
        return ""
    peak = max(n for _d, n in series) or 1
    step = WIDTH / len(series)
    bars = []
    for i, (day, n) in enumerate(series):
        h = round((height - 30) * n / peak, 1)
        x = round(i * step + 1, 1)
        bars.append(
            f'<rect class="trace-bar" x="{x}" y="{height - 20 - h}" width="{max(round(step - 2, 1), 1)}" height="{h}">'
            f"<title>{day:%d/%m}: {n}</title></rect>"
        )
    first, last = series[0][0], series[-1][0]
    labels = (
        f'<text x="0" y="{height - 4}">{first:%d/%m}</text>'
        f'<text x="{WIDTH}" y="{height - 4}" text-anchor="end">{last:%d/%m}</text>'
        f'<text x="0" y="12">{peak}</text>'
    )
    return mark_safe(  # noqa: S308 - numbers and dates only
        f'<svg class="trace-chart" viewBox="0 0 {WIDTH} {height}" role="img">{"".join(bars)}{labels}</svg>'
    )


def bars_svg(rows, *, bar=18):
    """Horizontal bars with labels: ``rows`` is a list of (label, count)."""
    if not rows:
        return ""
    peak = max(n for _l, n in rows) or 1
    height = len(rows) * (bar + 6) + 4
    parts = []
    for i, (label, n) in enumerate(rows):
        y = i * (bar + 6) + 2
        w = round((WIDTH - 260) * n / peak, 1)
        parts.append(
            f'<text x="0" y="{y + bar - 5}">{escape(str(label)[:32])}</text>'
            f'<rect class="trace-bar" x="220" y="{y}" width="{w}" height="{bar}"></rect>'
            f'<text x="{224 + w}" y="{y + bar - 5}">{n}</text>'
        )
    return mark_safe(f'<svg class="trace-chart" viewBox="0 0 {WIDTH} {height}" role="img">{"".join(parts)}</svg>')  # noqa: S308
