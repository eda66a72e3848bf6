"""The council's minutes (biên bản) as a PDF, rendered with WeasyPrint from a template."""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from .selectors import council_of, round_results


def minutes_render(*, round):
    """PDF bytes of the minutes of a closed round: members, each member's score, totals, stars."""
    from weasyprint import HTML

    # The minutes are an official Vietnamese document whatever the chair's interface language.
    with translation.override("vi"):
        html = render_to_string(
            "evaluation/minutes_pdf.html",
            {
                "round": round,
                "members": council_of(round=round),
                "results": round_results(round=round),
                "generated_at": timezone.localtime(),
            },
        )
    return HTML(string=html).write_pdf()
