"""Report rows and files, the chain up (through the views), downloads and exports refused outside the chain."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.accounts.enums import Role
from apps.audit.models import AuditEvent
from apps.core.storage import private_storage
from apps.reports import services
from apps.reports.enums import FileState, ReportState
from apps.reports.models import Report
from apps.reports.periods import Period
from apps.reports.selectors import children_status, unit_figures
from tests.factories import UserFactory

from .conftest import NOVEMBER, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(world):
    return type(
        "Officers",
        (),
        {
            "district": UserFactory(role=Role.DISTRICT_OFFICER, unit=world.d),
            "other_district": UserFactory(role=Role.DISTRICT_OFFICER, unit=world.d2),
            "province": UserFactory(role=Role.PROVINCE_OFFICER, unit=world.p),
            "commune": UserFactory(role=Role.COMMUNE_OFFICER, unit=world.x),
        },
    )


def generate(unit):
    report = services.report_prepare(unit=unit, period=NOVEMBER)
    assert services.report_render(report_id=report.pk, today=TODAY)
    report.refresh_from_db()
    return report


def test_generate_twice_keeps_one_row_and_replaces_files(world):
    first = generate(world.d)
    second = generate(world.d)
    assert Report.objects.filter(unit=world.d, kind="monthly", period="2026-11").count() == 1
    assert (first.pk, second.file_state, second.pdf.name) == (second.pk, FileState.READY, first.pdf.name)
    assert private_storage.exists(second.xlsx.name)


def test_xlsx_numbers_equal_the_dashboard_figures(world):
    report = generate(world.p)
    figures = unit_figures(unit=world.p, period=NOVEMBER, today=TODAY)
    workbook = load_workbook(io.BytesIO(private_storage.open(report.xlsx.name).read()))
    assert len(workbook.sheetnames) == len(figures["tables"]) + 1  # + recognised by product set
    for table, name in zip(figures["tables"], workbook.sheetnames, strict=False):
        sheet = workbook[name]
        rows = list(sheet.iter_rows(values_only=True))
        assert sheet.freeze_panes == "B2"
        assert list(rows[0][1:]) == [c["label"] for c in table["columns"]]
        assert [list(r[1:]) for r in rows[1:-1]] == [row["values"] for row in table["rows"]]
        assert rows[-1][0] == "Tổng cộng"
        assert list(rows[-1][1:]) == table["total"]
        for i, column in enumerate(table["columns"]):
            if not column["derived"]:
                assert rows[-1][i + 1] == sum(r[i + 1] for r in rows[1:-1])
    evaluation = workbook[workbook.sheetnames[2]]
    assert evaluation.cell(row=2, column=2).number_format == "#,##0"


def test_pdf_reads_back_with_the_decree_30_layout(world):
    report = generate(world.d)
    reader = PdfReader(io.BytesIO(private_storage.open(report.pdf.name).read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN" in text and "THÀNH PHỐ HẠ LONG" in text
    assert f"Số: {report.number}" in text
    assert "Hạ Long, ngày" in text
    assert "Kết quả thực hiện Chương trình OCOP tháng 11/2026" in text
    assert "Tổng cộng" in text and "Phường Hà Khánh" in text
    assert "PHÓ CHỦ TỊCH" in text


@pytest.mark.migration_data
def test_schedules_exist_after_migrate():
    tasks = PeriodicTask.objects.filter(task="reports.generate_period").order_by("name")
    kinds = sorted(t.kwargs for t in tasks)
    assert kinds == ['{"kind": "half-yearly"}', '{"kind": "monthly"}', '{"kind": "quarterly"}', '{"kind": "yearly"}']
    monthly = tasks.get(kwargs='{"kind": "monthly"}').crontab
    assert (monthly.minute, monthly.hour, monthly.day_of_month, str(monthly.timezone)) == (
        "0",
        "1",
        "1",
        "Asia/Ho_Chi_Minh",
    )


def test_submit_return_resubmit_accept_then_locked(client, world, officers):
    report = generate(world.d)
    url = reverse("reports:report_transition", args=[report.pk])
    client.force_login(officers.district)
    client.post(
        reverse("reports:report_narrative", args=[report.pk]),
        {"results": "Đạt 2 sản phẩm 3 sao.", "difficulties": "Thiếu vốn.", "proposals": "Hỗ trợ bao bì."},
    )
    report.refresh_from_db()
    assert report.results == "Đạt 2 sản phẩm 3 sao."
    assert client.post(url, {"to_state": "submitted"}).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    # The district officer cannot accept its own report (403); nothing changes.
    assert client.post(url, {"to_state": "accepted"}).status_code == 403
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    client.force_login(officers.province)
    client.post(url, {"to_state": "returned", "reason": ""})  # refused: no reason
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    client.post(url, {"to_state": "returned", "reason": "Bổ sung số liệu hội chợ."})
    report.refresh_from_db()
    assert (report.state, report.return_reason) == (ReportState.RETURNED, "Bổ sung số liệu hội chợ.")
    client.force_login(officers.district)
    client.post(url, {"to_state": "submitted"})
    client.force_login(officers.province)
    client.post(url, {"to_state": "accepted"})
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
    assert list(report.transitions.values_list("to_state", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "accepted",
    ]
    frozen = report.figures
    # Locked: the narrative and the figures can no longer change.
    client.force_login(officers.district)
    client.post(
        reverse("reports:report_narrative", args=[report.pk]), {"results": "Sửa", "difficulties": "", "proposals": ""}
    )
    report.refresh_from_db()
    assert report.results == "Đạt 2 sản phẩm 3 sao."
    with pytest.raises(ValidationError, match="đã được gửi"):
        services.report_prepare(unit=world.d, period=NOVEMBER)
    assert services.report_render(report_id=report.pk) is False
    report.refresh_from_db()
    assert report.figures == frozen


def test_downloads_refused_outside_the_chain(client, world, officers):
    report = generate(world.d)
    pdf = reverse("reports:report_download", args=[report.pk, "pdf"])
    xlsx = reverse("reports:report_download", args=[report.pk, "xlsx"])
    client.force_login(officers.other_district)
    assert client.get(pdf).status_code == 403
    assert client.get(xlsx).status_code == 403
    assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 403
    for user in (officers.district, officers.province, officers.commune):
        client.force_login(user)
        response = client.get(pdf)
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:5] == b"%PDF-"


def test_exports_follow_jurisdiction_and_filters(client, world, officers):
    client.force_login(officers.other_district)
    csv_text = b"".join(client.get(reverse("reports:export", args=["chu-the", "csv"])).streaming_content).decode()
    lines = csv_text.strip().splitlines()
    assert len(lines) == 2 and "Phường Cẩm Trung" in lines[1]  # only W's producer
    client.force_login(officers.district)
    response = client.get(reverse("reports:export", args=["chu-the", "xlsx"]) + "?kind=hkd")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[2] for r in rows[1:]] == ["hkd"]
    assert client.get(reverse("reports:export", args=["khong-co", "csv"])).status_code == 404


def test_children_status_received_missing_returned(client, world, officers):
    report = generate(world.d)
    services.report_transition(report=report, to_state=ReportState.SUBMITTED, by=officers.district)
    client.force_login(officers.province)
    html = client.get(reverse("reports:report_list") + "?kind=monthly&period=2026-11").content.decode()
    assert "Đã nhận" in html  # Hạ Long
    assert "Chưa nhận được" in html  # Cẩm Phả: nothing yet, due on 10 December
    rows = children_status(unit=world.p, period=NOVEMBER, today=datetime.date(2026, 12, 11))
    assert [(r["unit"].code, r["status"]) for r in rows] == [("193", "received"), ("195", "late")]


def test_consolidated_report_lists_children_reports(world, officers):
    district_report = generate(world.d)
    services.report_transition(report=district_report, to_state=ReportState.SUBMITTED, by=officers.district)
    province_report = generate(world.p)
    assert [(r["unit"], r["status"]) for r in province_report.figures["children_reports"]] == [
        ("Thành phố Hạ Long", "Đã nhận"),
        ("Thành phố Cẩm Phả", "Chưa nhận được"),
    ]
    reader = PdfReader(io.BytesIO(private_storage.open(province_report.pdf.name).read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Báo cáo của các đơn vị cấp dưới được tổng hợp" in text


def test_generate_reports_command(world, capsys):

    call_command("generate_reports", "--frequency", "monthly", "--period", "2026-11", "--unit", "2024/193")
    assert Report.objects.get(unit=world.d, period="2026-11").file_state == FileState.READY
    with pytest.raises(CommandError, match="2026-Q4"):
        call_command("generate_reports", "--frequency", "monthly", "--period", "2026-Q4")
    call_command("generate_reports", "--frequency", "quarterly", "--period", "2026-Q4")
    assert set(Report.objects.filter(period="2026-Q4").values_list("unit__code", flat=True)) == {
        "22",
        "193",
        "195",
        "62",
        "614",
        "51",
    }


def test_ready_and_late_reports_are_mailed_once(world, officers, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = generate(world.d)
    assert [m.to for m in mailoutbox] == [[officers.district.email]]
    assert "đã sẵn sàng" in mailoutbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        generate(world.d)  # a second generation does not mail again
    assert len(mailoutbox) == 1
    december = datetime.date(2026, 12, 11)  # November's reports were due on 10 December
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reports_remind_late(today=december) == 1
        assert services.reports_remind_late(today=december) == 0
    late = mailoutbox[-1]
    assert sorted(late.to) == sorted([officers.province.email, world.officer.email])
    assert "Thành phố Hạ Long" in late.body
    report.refresh_from_db()
    assert report.late_reminder_sent_at is not None


@pytest.mark.migration_data
def test_schedules_include_the_late_notice():
    assert PeriodicTask.objects.get(task="reports.remind_late").crontab.hour == "8"


def test_central_officer_sees_province_reports_status(client, world):
    report = generate(world.p)
    central = UserFactory(role=Role.CENTRAL_OFFICER, unit=None)
    assert services.is_parent_officer(central, world.p)
    rows = children_status(unit=None, period=NOVEMBER)
    assert [(r["unit"].pk, r["status"]) for r in rows] == [(world.p.pk, "missing")]
    client.force_login(central)
    assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 200


def test_pdf_leaves_out_the_columns_without_a_figure_and_names_them(world):
    from apps.cycles.enums import ApplicationState  # noqa: PLC0415 — imported where this one test uses it
    from apps.reports.rendering import pdf_tables  # noqa: PLC0415 — imported where this one test uses it

    figures = unit_figures(unit=world.d, period=NOVEMBER, today=TODAY)
    full = next(t for t in figures["tables"] if t["code"] == "applications")
    printed = next(t for t in pdf_tables(figures) if t["code"] == "applications")
    assert [c["key"] for c in printed["columns"]] == [
        "state_idea_accepted",
        "state_idea_rejected",
        "state_returned",
        "applications",
    ]
    assert printed["total"] == [1, 1, 1, 3]
    assert len(printed["columns"]) + len(printed["omitted"]) == len(full["columns"])
    with translation.override("vi"):
        assert str(ApplicationState.PLAN_SUBMITTED.label) in [str(label) for label in printed["omitted"]]
    report = generate(world.d)
    reader = PdfReader(io.BytesIO(private_storage.open(report.pdf.name).read()))
    text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    assert "Không phát sinh số liệu trong kỳ (cột được lược bỏ):" in text
    workbook = load_workbook(io.BytesIO(private_storage.open(report.xlsx.name).read()))
    assert workbook[workbook.sheetnames[1]].max_column == len(full["columns"]) + 1  # the XLSX keeps every column


def test_a_replayed_submission_is_dated_through_the_service_and_counts_as_late(world, officers):
    """``at`` (the demo replaying the last months): the submission, its history row and its audit row carry it."""
    september = Period.month(2026, 9)
    report = services.report_prepare(unit=world.d, period=september)
    assert services.report_render(report_id=report.pk, today=TODAY)
    at = timezone.make_aware(datetime.datetime.combine(september.due_on + datetime.timedelta(days=2), datetime.time(9)))
    services.report_transition(report=report, to_state=ReportState.SUBMITTED, by=officers.district, at=at)
    report.refresh_from_db()
    assert (report.state, report.submitted_at, report.submitted_by) == (ReportState.SUBMITTED, at, officers.district)
    assert list(report.transitions.values_list("at", flat=True)) == [at]
    audit = AuditEvent.objects.get(action="report.submitted", object_id=str(report.pk))
    assert audit.after == {"state": ReportState.SUBMITTED, "at": at.isoformat()}
    (row,) = [r for r in children_status(unit=world.p, period=september, today=TODAY) if r["unit"] == world.d]
    assert (row["status"], row["late_submission"]) == ("received", True)


@pytest.mark.parametrize("when", ["future", "before-the-last-move"])
def test_a_replayed_move_in_the_future_or_out_of_order_is_refused(world, officers, when):
    report = generate(world.d)
    submitted = timezone.now() - datetime.timedelta(hours=2)
    services.report_transition(report=report, to_state=ReportState.SUBMITTED, by=officers.district, at=submitted)
    at = timezone.now() + datetime.timedelta(hours=1) if when == "future" else submitted - datetime.timedelta(hours=1)
    message = "ở tương lai" if when == "future" else "trước bước liền trước nó"
    with pytest.raises(ValidationError) as exc:
        services.report_transition(report=report, to_state=ReportState.ACCEPTED, by=officers.province, at=at)
    assert message in exc.value.messages[0]
    report.refresh_from_db()
    assert (report.state, report.decided_at, report.transitions.count()) == (ReportState.SUBMITTED, None, 1)
    assert AuditEvent.objects.filter(object_id=str(report.pk), action__startswith="report.").count() == 1
