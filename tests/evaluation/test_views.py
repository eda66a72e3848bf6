"""Council screens: permissions (403s), visibility of others' sheets, locking, results and their query counts."""

import json
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.enums import Role
from apps.core.enums import RuleSet
from apps.demo.sheets import DATA_DIR, load_sample_sheets
from apps.evaluation import services
from apps.evaluation.enums import RoundState, SheetState, Tier
from apps.evaluation.models import (
    CommunePreCheck,
    EvaluationRound,
    Option,
    RecognitionDecision,
    ScoreAnswer,
    ScoreSheet,
    SheetTemplate,
)
from apps.evaluation.services.minutes import minutes_render_stored
from apps.geo.enums import Edition
from tests.factories import UserFactory, commune, province
from tests.factories.evaluation import choices_for_target, make_application, make_cycle, make_round, score


def _url(name, council, **kw):
    return reverse(f"evaluation:{name}", kwargs={"pk": council.round.pk, **kw})


def _score_three(council, targets=(60, 62, 64)):
    for member, target in zip((council.chair, council.secretary, council.member), targets, strict=True):
        score(entry=council.entry, member=member, target=Decimal(target))


def test_round_detail_other_province_officer_forbidden(client, council, users):
    client.force_login(users.province_q)
    response = client.get(_url("round_detail", council))
    assert response.status_code == 403


def test_round_detail_member_sees_council(client, council):
    client.force_login(council.member.user)
    response = client.get(_url("round_detail", council))
    assert response.status_code == 200
    assert council.chair.user.full_name in response.text
    assert "Chủ tịch hội đồng" in response.text


def test_sheet_edit_conflicted_member_forbidden(client, council):
    services.conflict_declare(entry=council.entry, member=council.member, reason="Vợ chủ thể", by=council.member.user)
    client.force_login(council.member.user)
    response = client.get(_url("sheet_edit", council, entry_pk=council.entry.pk))
    assert response.status_code == 403
    assert ScoreSheet.objects.filter(member=council.member).count() == 0


def test_sheet_edit_non_member_forbidden(client, council, users):
    client.force_login(users.district)
    response = client.get(_url("sheet_edit", council, entry_pk=council.entry.pk))
    assert response.status_code == 403


def test_conflict_declared_through_the_form(client, council):
    client.force_login(council.secretary.user)
    response = client.post(_url("conflict_declare", council, entry_pk=council.entry.pk), {"reason": "Anh em ruột"})
    assert response.status_code == 302
    assert list(council.entry.conflicts.values_list("member_id", flat=True)) == [council.secretary.pk]


def test_sheet_post_saves_draft_then_submits(client, council):
    client.force_login(council.member.user)
    url = _url("sheet_edit", council, entry_pk=council.entry.pk)
    choices = choices_for_target(council.entry.template, Decimal(58))
    expected = sum(Option.objects.filter(pk__in=choices.values()).values_list("points", flat=True))
    data = {f"c{c}": o for c, o in choices.items()}
    assert client.post(url, {**data, "save": "1"}).status_code == 302
    sheet = ScoreSheet.objects.get(member=council.member)
    assert (sheet.state, sheet.total) == (SheetState.DRAFT, expected)
    response = client.post(url, {**data, "submit": "1"}, follow=True)
    sheet.refresh_from_db()
    assert sheet.state == SheetState.SUBMITTED
    assert "Đã nộp phiếu." in response.text


def test_sheet_post_option_of_other_criterion_refused(client, council):
    client.force_login(council.member.user)
    criteria = list(council.entry.template.criteria.order_by("pk")[:2])
    foreign = criteria[1].options.first()
    response = client.post(
        _url("sheet_edit", council, entry_pk=council.entry.pk), {f"c{criteria[0].pk}": foreign.pk, "save": "1"}
    )
    assert response.status_code == 200
    assert ScoreAnswer.objects.filter(sheet__member=council.member).count() == 0


def test_others_sheet_hidden_until_own_submitted(client, council):
    chair_sheet = score(entry=council.entry, member=council.chair, target=Decimal(61))
    url = _url("sheet_detail", council, entry_pk=council.entry.pk, sheet_pk=chair_sheet.pk)
    client.force_login(council.member.user)
    assert client.get(url).status_code == 403
    assert client.get(_url("entry_result", council, entry_pk=council.entry.pk)).status_code == 403
    score(entry=council.entry, member=council.member, target=Decimal(63))
    response = client.get(url)
    assert response.status_code == 200
    assert council.chair.user.full_name in response.text


def test_sheet_post_after_close_forbidden_and_unchanged(client, council):
    _score_three(council)
    services.round_close(round=council.round, by=council.chair.user)
    sheet = ScoreSheet.objects.get(member=council.member)
    client.force_login(council.member.user)
    criterion = council.entry.template.criteria.get(code="A1.1")
    response = client.post(
        _url("sheet_edit", council, entry_pk=council.entry.pk),
        {f"c{criterion.pk}": criterion.options.order_by("points").first().pk, "save": "1"},
    )
    assert response.status_code == 403
    sheet.refresh_from_db()
    assert (sheet.state, sheet.total) == (SheetState.LOCKED, Decimal(64))


def test_round_close_by_member_forbidden(client, council):
    _score_three(council)
    client.force_login(council.member.user)
    assert client.post(_url("round_close", council)).status_code == 403
    council.round.refresh_from_db()
    assert council.round.state == RoundState.OPEN


def test_chair_closes_and_result_shows_stars(client, council):
    _score_three(council)
    client.force_login(council.chair.user)
    assert client.post(_url("round_close", council)).status_code == 302
    response = client.get(_url("round_detail", council))
    assert "3★" in response.text
    assert "Biên bản đang được tạo" in response.text
    assert "Tải biên bản (PDF)" not in response.text
    assert minutes_render_stored(round_id=council.round.pk) is True
    response = client.get(_url("round_detail", council))
    assert "Tải biên bản (PDF)" in response.text


def test_minutes_download_member_ok_other_province_forbidden(client, council, users):
    _score_three(council)
    services.round_close(round=council.round, by=council.chair.user)
    client.force_login(council.member.user)
    assert client.get(_url("minutes_download", council)).status_code == 404  # not generated yet
    minutes_render_stored(round_id=council.round.pk)
    response = client.get(_url("minutes_download", council))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(users.province_q)
    assert client.get(_url("minutes_download", council)).status_code == 403
    client.force_login(users.producer)
    assert client.get(_url("minutes_download", council)).status_code == 403


def test_decision_by_district_officer_and_refused_to_member(client, council, users):
    _score_three(council)
    services.round_close(round=council.round, by=council.chair.user)
    data = {
        "number": "21/QĐ-UBND",
        "date": "2024-09-15",
        "issuer_name": "UBND thành phố Hạ Long",
        "signer_title": "Chủ tịch",
        "signer_name": "Nguyễn Văn Ký",
    }
    client.force_login(council.member.user)
    assert client.post(_url("decision_create", council), data).status_code == 403
    assert RecognitionDecision.objects.count() == 0
    client.force_login(users.district)
    assert client.post(_url("decision_create", council), data).status_code == 302
    assert list(RecognitionDecision.objects.get().items.values_list("stars", flat=True)) == [3]


def test_round_create_qd1489_district_refused_in_form(client, users, tree):

    cycle = make_cycle(unit=tree.p, rule_set=RuleSet.QD1489_2025, year=2025)
    client.force_login(users.province)
    response = client.post(
        reverse("evaluation:round_create"),
        {
            "cycle": cycle.pk,
            "tier": Tier.DISTRICT,
            "unit": tree.d.pk,
            "name": "Thử",
            "council_decision_number": "1/QĐ",
            "council_decision_date": "2025-08-01",
            "council_decision_signer": "Chủ tịch UBND",
            "aggregation": "mean",
            "quorum_numerator": 2,
            "quorum_denominator": 3,
            "quorum_requires_chair": "on",
            "spread_threshold": "10",
        },
    )
    assert response.status_code == 200
    assert EvaluationRound.objects.filter(cycle=cycle).count() == 0


def test_round_create_by_commune_producer_forbidden(client, users):
    client.force_login(users.producer)
    assert client.get(reverse("evaluation:round_create")).status_code == 403


def test_result_page_query_count_constant(client, tree, users):

    counts = []
    for size in (3, 9):
        cycle = make_cycle(unit=tree.p)
        round, members = make_round(cycle=cycle, tier=Tier.DISTRICT, unit=tree.d, by=users.district, size=size)
        app = make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x)
        entry = services.entry_add(round=round, application=app, by=users.district)
        scored = members if size > 3 else members[:1]
        for m in scored:
            score(entry=entry, member=m, target=Decimal(66))
        client.force_login(members[0].user)
        url = reverse("evaluation:entry_result", kwargs={"pk": round.pk, "entry_pk": entry.pk})
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        assert f"{len(scored)} trên {size} thành viên đã nộp phiếu." in response.text
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_round_list_query_count_constant(client, tree, users):

    cycle = make_cycle(unit=tree.p)
    counts = []
    for n in (1, 6):
        while EvaluationRound.objects.count() < n:
            make_round(cycle=cycle, tier=Tier.DISTRICT, unit=tree.d, by=users.district, size=2)
        client.force_login(users.province)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("evaluation:round_list"))
        assert response.text.count("/quan-ly/danh-gia/") >= n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_commune_precheck_recorded_by_province_officer(client, users):

    hue = province("46", edition=Edition.TWO_TIER_2025, name="Thành phố Huế")
    ward = commune(hue, "19753", name="Phường Thuận Hóa")
    officer = UserFactory(role=Role.PROVINCE_OFFICER, unit=hue, email="tinh.hue.test@ocop.example")
    cycle = make_cycle(unit=hue, rule_set=RuleSet.QD1489_2025, year=2025)
    app = make_application(commune=ward, cycle=cycle, created_by=officer)
    load_sample_sheets()
    ward_officer = UserFactory(role=Role.COMMUNE_OFFICER, unit=ward)
    round = services.round_create(cycle=cycle, tier=Tier.COMMUNE, unit=ward, name="Rà soát", by=ward_officer)
    entry = services.entry_add(round=round, application=app, by=officer)
    url = reverse("evaluation:precheck", kwargs={"pk": round.pk, "entry_pk": entry.pk})
    client.force_login(users.province)  # Quảng Ninh: another province
    assert client.get(url).status_code == 403
    client.force_login(officer)
    assert "bốn tiêu chí" in client.get(url).text
    response = client.post(
        url,
        {"local_materials": "on", "local_producer": "on", "passed": "False", "reason": "Thiếu hồ sơ kiểm nghiệm"},
    )
    assert response.status_code == 302
    check = CommunePreCheck.objects.get(entry=entry)
    assert (check.passed, check.legal_conditions, check.reason) == (False, False, "Thiếu hồ sơ kiểm nghiệm")
    assert client.post(reverse("evaluation:round_close", kwargs={"pk": round.pk})).status_code == 302
    entry.refresh_from_db()
    assert entry.forwarded is False


def test_sheet_page_shows_sample_warning_and_part_maxima(client, council):
    client.force_login(council.chair.user)
    response = client.get(_url("sheet_edit", council, entry_pk=council.entry.pk))
    assert "Đây là phiếu MẪU" in response.text
    assert "/ 40" in response.text and "/ 25" in response.text and "/ 35" in response.text


def test_round_detail_query_count_constant(client, tree, users):
    cycle = make_cycle(unit=tree.p)
    round, members = make_round(cycle=cycle, tier=Tier.DISTRICT, unit=tree.d, by=users.district)
    counts = []
    for n in (1, 6):
        while round.entries.count() < n:
            app = make_application(commune=tree.x, cycle=cycle, created_by=users.commune_x)
            entry = services.entry_add(round=round, application=app, by=users.district)
            score(entry=entry, member=members[1], target=Decimal(60), submit=False)
        client.force_login(members[1].user)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("evaluation:round_detail", kwargs={"pk": round.pk}))
        assert response.text.count("Bản nháp") == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_admin_import_wrong_maxima_refused(client, users, tmp_path):
    data = json.loads((DATA_DIR / "sheet-qd148-tc.json").read_text(encoding="utf-8"))
    data["code"] = "nhap-thu"
    data["parts"][1]["max_points"] = 30
    client.force_login(users.admin)
    upload = tmp_path / "phieu.json"
    upload.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with upload.open("rb") as fh:
        response = client.post(reverse("admin:evaluation_sheettemplate_import"), {"file": fh}, follow=True)
    assert response.status_code == 200
    assert "phần B phải có tối đa 25 điểm" in response.text
    assert SheetTemplate.objects.filter(code="nhap-thu").count() == 0
