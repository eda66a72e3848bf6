"""Charts drawn on the server as SVG strings: the same chart on the dashboard and in the PDF, no JavaScript.

Each function takes plain numbers and labels and returns safe markup (labels are escaped here).
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from apps.cycles.enums import ApplicationState as S
from apps.cycles.enums import CycleStep

from .selectors.figures import table

COLOURS = ("#1b6e3b", "#d98e04", "#b3261e", "#2a5d9f", "#6b4fa0", "#00838f")
# Drawn 440 units wide so that the 12-unit text is still ≈ 9.5 px on a 360 px phone (and 8.5 pt at 110 mm in the PDF).
WIDTH = 440
LABEL_WIDTH = 175
LABEL_MAX_CHARS = 23  # longer labels are cut with an ellipsis to fit the label column
FONT = 'font-family="DejaVu Sans, Noto Sans, sans-serif"'


def _number(value):
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", " ").replace(".", ",")
    return f"{int(value):,}".replace(",", ".")


def hbar(items, *, title, width=WIDTH, bar_height=22, label_width=LABEL_WIDTH, colour=COLOURS[0]):
    """Horizontal bars: ``items`` is [(label, value)], one bar each (e.g. products per child unit)."""
    items = list(items)
    top = 28
    height = top + max(len(items), 1) * (bar_height + 6) + 8
    peak = max([v or 0 for _label, v in items] + [1])
    plot = width - label_width - 44
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" class="chart" {FONT} font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    if not items:
        parts.append(f'<text x="0" y="{top + 16}" fill="#555">{escape(_("No data for this period."))}</text>')
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_height + 6)
        w = round(plot * (value or 0) / peak, 1)
        short = label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7}" text-anchor="end">{escape(short)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{w}" height="{bar_height}" fill="{colour}" rx="2"/>'
            f'<text x="{label_width + w + 4}" y="{y + bar_height * 0.7}">{_number(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label and title is escaped above, numbers formatted


def columns(items, *, title, width=WIDTH, height=200, colours=COLOURS):
    """Vertical columns: ``items`` is [(label, value)] (e.g. the star distribution, the six steps)."""
    items = list(items)
    top, bottom = 40, 40
    plot_h = height - top - bottom
    peak = max([v or 0 for _label, v in items] + [1])
    slot = width / max(len(items), 1)
    bar_w = min(slot * 0.6, 70)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" class="chart" {FONT} font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
        f'<line x1="0" y1="{top + plot_h}" x2="{width}" y2="{top + plot_h}" stroke="#999"/>',
    ]
    for i, (label, value) in enumerate(items):
        h = round(plot_h * (value or 0) / peak, 1)
        x = i * slot + (slot - bar_w) / 2
        y = top + plot_h - h
        cx = i * slot + slot / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h}" '
            f'fill="{colours[i % len(colours)]}" rx="2"/>'
            f'<text x="{cx:.1f}" y="{y - 4:.1f}" text-anchor="middle">{_number(value)}</text>'
            f'<text x="{cx:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label and title is escaped above, numbers formatted


def paired(items, *, title, first, second, width=WIDTH, bar_height=14, label_width=LABEL_WIDTH):
    """Two bars per item (e.g. target and result): ``items`` is [(label, a, b)]."""
    items = list(items)
    top = 44
    row = 2 * bar_height + 12
    height = top + max(len(items), 1) * row + 8
    peak = max([max(a or 0, b or 0) for _label, a, b in items] + [1])
    plot = width - label_width - 44
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" class="chart" {FONT} font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
        f'<rect x="0" y="24" width="12" height="10" fill="{COLOURS[3]}"/>'
        f'<text x="16" y="33">{escape(first)}</text>'
        f'<rect x="160" y="24" width="12" height="10" fill="{COLOURS[0]}"/>'
        f'<text x="176" y="33">{escape(second)}</text>',
    ]
    if not items:
        parts.append(f'<text x="0" y="{top + 16}" fill="#555">{escape(_("No plan targets for this year."))}</text>')
    for i, (label, a, b) in enumerate(items):
        y = top + i * row
        short = label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1] + "…"
        parts.append(f'<text x="{label_width - 6}" y="{y + bar_height + 4}" text-anchor="end">{escape(short)}</text>')
        for j, (value, colour) in enumerate(((a, COLOURS[3]), (b, COLOURS[0]))):
            w = round(plot * (value or 0) / peak, 1)
            yy = y + j * (bar_height + 2)
            parts.append(
                f'<rect x="{label_width}" y="{yy}" width="{w}" height="{bar_height}" fill="{colour}" rx="2"/>'
                f'<text x="{label_width + w + 4}" y="{yy + bar_height - 3}">{_number(value)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label and title is escaped above, numbers formatted


def figure_charts(figures):
    """The report's four charts from its figures: stars, products per child unit, the six steps, targets."""

    totals = figures["totals"]
    evaluation = table(figures, "certificates")
    valid_index = [c["key"] for c in evaluation["columns"]].index("certificates_valid")
    children = [r for r in evaluation["rows"] if r["kind"] != "self"]
    step_of_state = {
        S.IDEA_REGISTERED: CycleStep.IDEAS,
        S.IDEA_ACCEPTED: CycleStep.IDEAS,
        S.IDEA_REJECTED: CycleStep.IDEAS,
        S.PLAN_SUBMITTED: CycleStep.PLANS,
        S.IMPLEMENTING: CycleStep.IMPLEMENTATION,
        S.DOSSIER_SUBMITTED: CycleStep.IMPLEMENTATION,
        S.DOSSIER_CHECKED: CycleStep.IMPLEMENTATION,
        S.RETURNED: CycleStep.IMPLEMENTATION,
        S.SENT_FOR_EVALUATION: CycleStep.EVALUATION,
    }
    steps = dict.fromkeys(CycleStep.values[1:5], 0)
    for state, step in step_of_state.items():
        steps[step] += totals.get(f"state_{state}", 0) or 0
    return {
        "stars": columns(
            [
                (_("3 stars"), totals.get("recognised_3")),
                (_("4 stars"), totals.get("recognised_4")),
                (_("5 stars"), totals.get("recognised_5")),
            ],
            title=_("Products recognised by star"),
        ),
        "children": hbar(
            [(r["label"], r["values"][valid_index]) for r in children],
            title=_("Products with a valid certificate, by unit"),
        ),
        "steps": columns(
            [(_("Step %(n)s") % {"n": step}, n) for step, n in steps.items()],
            title=_("Applications of the year by step of the cycle"),
        ),
        "targets": paired(
            [(row["label"], row["expected"], row["actual"]) for row in figures.get("plan", [])],
            title=_("Plan targets against results"),
            first=_("Target"),
            second=_("Result"),
        ),
    }
