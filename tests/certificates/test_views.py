"""The public verification page and the province staff's certificate screens."""

import datetime
import secrets

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.enums import Role
from apps.certificates import services
from apps.certificates.models import Certificate
from apps.core.enums import RenderState
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOT_OFFICIAL = "Không phải giấy chứng nhận chính thức"


def verify_url(token):
    return reverse("verify:certificate", kwargs={"token": token})


def test_verify_valid_certificate_shows_the_record(client, issue):
    _decision, (cert,) = issue(1, date=timezone.localdate() - datetime.timedelta(days=10))
    response = client.get(verify_url(cert.token))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Giấy chứng nhận còn hiệu lực" in text
    assert cert.product.name in text and cert.serial in text and cert.product.producer.name in text
    assert "no-cache" in response["Cache-Control"]


def test_verify_revoked_certificate_says_revoked_with_date_and_reason(client, issue, users):
    _decision, (cert,) = issue(1)
    services.certificate_revoke(
        certificate=cert, reason="Không duy trì tiêu chuẩn an toàn thực phẩm", by=users.province
    )
    text = client.get(verify_url(cert.token)).content.decode()
    assert "Giấy chứng nhận đã bị thu hồi" in text
    assert "Không duy trì tiêu chuẩn an toàn thực phẩm" in text
    assert timezone.localdate().strftime("%d/%m/%Y") in text
    assert "Giấy chứng nhận còn hiệu lực" not in text


def test_verify_superseded_certificate_links_to_the_new_one(client, issue):
    _d, (old,) = issue(1, stars=3, date=timezone.localdate() - datetime.timedelta(days=400))
    _d2, (new,) = issue(1, stars=4, date=timezone.localdate(), products=[old.product])
    text = client.get(verify_url(old.token)).content.decode()
    assert "Đã được thay thế bằng giấy chứng nhận mới" in text
    assert verify_url(new.token) in text


def test_verify_expired_certificate_says_expired(client, issue):
    _d, (cert,) = issue(1, date=timezone.localdate() - datetime.timedelta(days=37 * 31))
    text = client.get(verify_url(cert.token)).content.decode()
    assert "Giấy chứng nhận đã hết hiệu lực" in text


def test_verify_token_of_another_certificate_never_shows_this_one(client, issue):
    _d, (mine, other) = issue(2)
    text = client.get(verify_url(other.token)).content.decode()
    assert other.serial in text and other.product.name in text
    assert mine.serial not in text and mine.product.name not in text


def test_verify_ignores_everything_in_the_url_but_the_token(client, issue):
    _d, (mine, other) = issue(2)
    text = client.get(verify_url(other.token), {"serial": mine.serial, "stars": "5"}).content.decode()
    record = text[text.index('<article class="verify') : text.index("</article>")]
    assert other.serial in record and mine.serial not in record
    assert "5 sao" not in record and "4 sao" in record


@pytest.mark.parametrize(
    "make_token",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # one character changed
        lambda t: t.upper() if t.upper() != t else t.lower(),
        lambda t: t[:-1],
        lambda t: secrets.token_urlsafe(9),
        lambda t: "x" * 200,
    ],
    ids=["tampered", "case-changed", "truncated", "random", "too-long"],
)
def test_verify_unknown_token_says_not_official(client, issue, make_token):
    _d, (cert,) = issue(1)
    response = client.get(verify_url(make_token(cert.token)))
    assert response.status_code == 404
    text = response.content.decode()
    assert NOT_OFFICIAL in text
    assert cert.product.name not in text and cert.serial not in text


def test_verify_needs_no_login_and_is_in_vietnamese(client, issue):
    _d, (cert,) = issue(1)
    response = client.get(verify_url(cert.token))
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()


# --- staff list ---------------------------------------------------------------------------------------------


def test_list_requires_province_staff(client, users, issue):
    issue(1)
    list_url = reverse("certificates:list")
    assert client.get(list_url).status_code == 302
    for user in (users.producer, users.commune_x, users.district):
        client.force_login(user)
        assert client.get(list_url).status_code == 403


def test_list_shows_only_the_users_subtree(client, users, issue, tree):
    _d, (mine,) = issue(1)
    _d2, (theirs,) = issue(1, issuing_unit=tree.q, commune=tree.z)
    client.force_login(users.province_q)
    text = client.get(reverse("certificates:list")).content.decode()
    assert theirs.serial in text and mine.serial not in text


def test_list_puts_failed_first_and_filters_by_state(client, users, issue):
    _d, certs = issue(3)
    Certificate.objects.filter(pk=certs[2].pk).update(render_state=RenderState.FAILED, render_error="Lỗi phông chữ")
    client.force_login(users.province)
    response = client.get(reverse("certificates:list"))
    page = list(response.context["page"])
    assert page[0].pk == certs[2].pk
    assert "Lỗi phông chữ" in response.content.decode()
    filtered = client.get(reverse("certificates:list"), {"render_state": RenderState.FAILED})
    assert [c.pk for c in filtered.context["page"]] == [certs[2].pk]


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_is_constant(client, users, issue, count, django_assert_max_num_queries):
    issue(count)
    client.force_login(users.province)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("certificates:list"))
    assert len(response.context["page"]) == count


# --- retry, revoke, download --------------------------------------------------------------------------------


def test_retry_post_sends_a_failed_certificate_back(client, users, issue):
    _d, (cert,) = issue(1)
    Certificate.objects.filter(pk=cert.pk).update(render_state=RenderState.FAILED, render_error="boom")
    client.force_login(users.province)
    assert client.get(reverse("certificates:retry", args=[cert.pk])).status_code == 405
    response = client.post(reverse("certificates:retry", args=[cert.pk]), {"next": "list"})
    assert response.status_code == 302 and response["Location"] == reverse("certificates:list")
    cert.refresh_from_db()
    assert (cert.render_state, cert.render_error) == (RenderState.PENDING, "")


def test_retry_refused_to_another_province(client, users, issue):
    _d, (cert,) = issue(1)
    Certificate.objects.filter(pk=cert.pk).update(render_state=RenderState.FAILED, render_error="boom")
    client.force_login(users.province_q)
    assert client.post(reverse("certificates:retry", args=[cert.pk])).status_code == 403
    cert.refresh_from_db()
    assert (cert.render_state, cert.render_error) == (RenderState.FAILED, "boom")


def test_revoke_view_requires_a_reason(client, users, issue):
    _d, (cert,) = issue(1)
    client.force_login(users.province)
    response = client.post(reverse("certificates:revoke", args=[cert.pk]), {"reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors
    cert.refresh_from_db()
    assert cert.revoked_at is None


def test_revoke_view_revokes_and_the_public_page_says_so(client, users, issue):
    _d, (cert,) = issue(1)
    client.force_login(users.province)
    response = client.post(reverse("certificates:revoke", args=[cert.pk]), {"reason": "Sản phẩm ngừng sản xuất"})
    assert response.status_code == 302
    client.logout()
    text = client.get(verify_url(cert.token)).content.decode()
    assert "Giấy chứng nhận đã bị thu hồi" in text and "Sản phẩm ngừng sản xuất" in text


def test_revoke_view_refused_to_another_province_and_to_communes(client, users, issue):
    _d, (cert,) = issue(1)
    for user in (users.province_q, users.commune_x):
        client.force_login(user)
        assert client.post(reverse("certificates:revoke", args=[cert.pk]), {"reason": "X"}).status_code == 403
    cert.refresh_from_db()
    assert cert.revoked_at is None


@pytest.fixture
def ready_certificate(issue):
    _d, (cert,) = issue(1)
    services.certificates_render(certificate_ids=[cert.pk])
    cert.refresh_from_db()
    return cert


def test_download_by_the_holder_and_subtree_staff(client, users, ready_certificate):
    cert = ready_certificate
    cert.product.producer.accounts.add(users.producer)
    for user in (users.producer, users.commune_x, users.province):
        client.force_login(user)
        response = client.get(reverse("certificates:download", args=[cert.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_download_refused_to_others_and_the_public(client, users, tree, ready_certificate):
    cert = ready_certificate
    url = reverse("certificates:download", args=[cert.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page, never the file
    other_producer = UserFactory(role=Role.PRODUCER, unit=tree.x, email="chuthe.khac@ocop.example")
    for user in (other_producer, users.commune_y, users.province_q):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_download_of_an_unrendered_certificate_is_404(client, users, issue):
    _d, (cert,) = issue(1)
    client.force_login(users.province)
    assert client.get(reverse("certificates:download", args=[cert.pk])).status_code == 404


def test_detail_shows_error_and_retry_button_to_province_staff(client, users, issue):
    _d, (cert,) = issue(1)
    Certificate.objects.filter(pk=cert.pk).update(render_state=RenderState.FAILED, render_error="Không đủ bộ nhớ")
    client.force_login(users.province)
    text = client.get(reverse("certificates:detail", args=[cert.pk])).content.decode()
    assert "Không đủ bộ nhớ" in text
    assert reverse("certificates:retry", args=[cert.pk]) in text
    client.force_login(users.province_q)
    assert client.get(reverse("certificates:detail", args=[cert.pk])).status_code == 403


def test_failed_decision_document_is_listed_with_a_retry_button(client, users, issue):
    decision, _certs = issue(1)
    document = decision.document
    type(document).objects.filter(pk=document.pk).update(render_state=RenderState.FAILED, render_error="Hết dung lượng")
    client.force_login(users.province)
    text = client.get(reverse("certificates:list")).content.decode()
    assert "Hết dung lượng" in text and reverse("certificates:decision_retry", args=[document.pk]) in text
    client.force_login(users.province_q)
    assert client.post(reverse("certificates:decision_retry", args=[document.pk])).status_code == 403
    document.refresh_from_db()
    assert document.render_state == RenderState.FAILED
    client.force_login(users.province)
    assert client.post(reverse("certificates:decision_retry", args=[document.pk])).status_code == 302
    document.refresh_from_db()
    assert document.render_state == RenderState.PENDING


def test_decision_document_download_for_staff_of_the_issuing_unit(client, users, issue):
    decision, _certs = issue(1)
    services.decision_document_render(document_id=decision.document.pk)
    url = reverse("certificates:decision_download", args=[decision.document.pk])
    client.force_login(users.province)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(users.province_q)
    assert client.get(url).status_code == 403
