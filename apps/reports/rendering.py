"""Turning a report's figures into files: a PDF in the Decree 30/2020 layout (WeasyPrint) and an XLSX (openpyxl).

Pure functions over plain data (the figures dict and a few strings): no database access, so the benchmark and
the tests can render without a report row.
"""

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from weasyprint import HTML

from apps.geo.enums import DivisionType

from .charts import figure_charts

PDF_LANGUAGE = "vi"
TOTAL_LABEL = "Tổng cộng"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
_PREFIXES = ("Thành phố ", "Tỉnh ", "Huyện ", "Quận ", "Thị xã ", "Xã ", "Phường ", "Thị trấn ", "Đặc khu ")


def place_name(unit):
    """The place in the date line: "Tỉnh Quảng Ninh" → "Quảng Ninh"."""
    if unit is None:
        return "Hà Nội"
    for prefix in _PREFIXES:
        if unit.name.startswith(prefix):
            return unit.name[len(prefix) :]
    return unit.name


def issuing_body(unit):
    """ "ỦY BAN NHÂN DÂN" and the unit: "TỈNH QUẢNG NINH" (a 2025 name without its type gets it back)."""
    if unit is None:
        return "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI TRUNG ƯƠNG"
    name = unit.name
    if not name.startswith(_PREFIXES):
        name = f"{DivisionType(unit.division_type).label} {name}"
    return "ỦY BAN NHÂN DÂN", name.upper()


def pdf_tables(figures):
    """The figure tables as the PDF prints them: a column with no figure in any row nor in the total is left out
    and named under its table instead ("no figure: …"), a table with no figure at all is a single line.

    WeasyPrint's cost is per table cell (style, line layout, borders): a province's report has about 1,800 cells,
    most of them zeros in the wide state and target tables. The XLSX keeps every column.
    """
    tables = []
    for table in figures["tables"]:
        lines = [row["values"] for row in table["rows"]] + [table["total"]]
        keep = [i for i in range(len(table["columns"])) if any(line[i] for line in lines)]
        tables.append(
            {
                "code": table["code"],
                "title": table["title"],
                "columns": [table["columns"][i] for i in keep],
                "rows": [{"label": row["label"], "values": [row["values"][i] for i in keep]} for row in table["rows"]],
                "total": [table["total"][i] for i in keep],
                "omitted": [c["label"] for i, c in enumerate(table["columns"]) if i not in keep],
            }
        )
    return tables


def render_pdf(*, figures, unit, number, issued_on, narrative):
    """PDF bytes of the report: header, motto, number, place and date, title, narrative, tables, charts, signature."""
    with translation.override(PDF_LANGUAGE):
        body, name = issuing_body(unit)
        html = render_to_string(
            "reports/report_pdf.html",
            {
                "figures": figures,
                "tables": pdf_tables(figures),
                "charts": figure_charts(figures),
                "issuer": body,
                "issuer_unit": name,
                "number": number,
                "place": place_name(unit),
                "issued_on": issued_on,
                "narrative": narrative,
            },
        )
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _sheet_title(title, used):
    # Excel sheet names: at most 31 characters, none of []:*?/\ and unique in the workbook.
    clean = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]
    candidate, n = clean, 2
    while candidate in used:
        suffix = f" ({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate)
    return candidate


def render_xlsx(*, figures):
    """XLSX bytes: one sheet per table, numbers as numbers, frozen header row, last row "Tổng cộng" with the sums.

    Derived columns (mean score, % reached) hold the figure computed from the totals, not a meaningless sum.
    """
    with translation.override(PDF_LANGUAGE):
        workbook = Workbook(write_only=True)
        used = set()
        bold = Font(bold=True)
        header_fill = PatternFill("solid", fgColor="DDEEDD")
        for table in figures["tables"]:
            sheet = workbook.create_sheet(_sheet_title(table["title"], used))
            sheet.freeze_panes = "B2"
            sheet.column_dimensions["A"].width = 36
            for i in range(len(table["columns"])):
                sheet.column_dimensions[get_column_letter(i + 2)].width = 16
            header = [_("Unit")] + [c["label"] for c in table["columns"]]
            sheet.append([_styled(sheet, value, font=bold, fill=header_fill) for value in header])
            formats = [DECIMAL_FORMAT if c["derived"] else INTEGER_FORMAT for c in table["columns"]]
            for row in table["rows"]:
                sheet.append(
                    [row["label"]]
                    + [_styled(sheet, v, number_format=f) for v, f in zip(row["values"], formats, strict=True)]
                )
            sheet.append(
                [_styled(sheet, TOTAL_LABEL, font=bold)]
                + [_styled(sheet, v, number_format=f, font=bold) for v, f in zip(table["total"], formats, strict=True)]
            )
        if figures.get("by_set"):
            sheet = workbook.create_sheet(_sheet_title(_("Recognised by product set"), used))
            sheet.freeze_panes = "A2"
            header = [_("Group"), _("Product set"), _("3 stars"), _("4 stars"), _("5 stars"), _("Total")]
            sheet.append([_styled(sheet, value, font=bold, fill=header_fill) for value in header])
            sums = [0, 0, 0, 0]
            for row in figures["by_set"]:
                sheet.append(
                    [row["group"], row["set"]]
                    + [_styled(sheet, v, number_format=INTEGER_FORMAT) for v in row["values"]]
                )
                sums = [a + b for a, b in zip(sums, row["values"], strict=True)]
            sheet.append(
                [_styled(sheet, TOTAL_LABEL, font=bold), ""]
                + [_styled(sheet, v, number_format=INTEGER_FORMAT, font=bold) for v in sums]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _styled(sheet, value, *, number_format=None, font=None, fill=None):

    cell = WriteOnlyCell(sheet, value=value)
    if number_format and isinstance(value, int | float):
        cell.number_format = number_format
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    return cell
