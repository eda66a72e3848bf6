"""The council's minutes (biên bản) as a PDF, rendered with WeasyPrint from a template."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from apps.core.documents import issuing_body, number_and_symbol, place_and_date

from .selectors import council_of, round_results

MINUTES_SYMBOL = "BB-HĐ"


def minutes_render(*, round):
    """PDF bytes of the minutes of a closed round: members, each member's score, totals, stars.

    Dated the day the round closed (not the day a worker happened to render it), in the official format.
    """
    from weasyprint import HTML  # noqa: PLC0415 — heavy: WeasyPrint only on render

    closed_on = timezone.localtime(round.closed_at).date()
    # The minutes are an official Vietnamese document whatever the chair's interface language.
    with translation.override("vi"):
        html = render_to_string(
            "evaluation/minutes_pdf.html",
            {
                "round": round,
                "members": council_of(round=round),
                "results": round_results(round=round),
                "closed_on": closed_on,
                "issuer_lines": [*issuing_body(round.unit.name), "Hội đồng đánh giá, phân hạng sản phẩm OCOP"],
                "number": number_and_symbol("", MINUTES_SYMBOL),
                "place_date": place_and_date(round.unit.name, closed_on),
                "generated_at": timezone.localtime(),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
