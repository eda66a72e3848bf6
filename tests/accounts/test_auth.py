"""Login, MFA enforcement, throttling, closed sign-up and invitations."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.accounts.enums import Role
from apps.accounts.models import User
from apps.accounts.services import user_invite
from apps.audit.models import AuditEvent
from tests.conftest import PASSWORD
from tests.factories.mail import deliver_queued_mail

pytestmark = pytest.mark.django_db


def _login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.fixture
def mfa_required(settings):
    settings.OCOP_REQUIRE_MFA = True


def test_province_officer_without_totp_is_sent_to_mfa_setup(client, users, mfa_required):
    _login(client, users.province.email)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_producer_is_not_forced_into_mfa(client, users, mfa_required):
    # Commune officers open producers' documents, so they must set up TOTP too (tests/security/test_sessions.py).
    _login(client, users.producer.email)
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_mfa_not_required_when_setting_off(client, users, settings):
    settings.OCOP_REQUIRE_MFA = False
    _login(client, users.province.email)
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_staff_with_totp_must_enter_code_to_log_in(client, users, mfa_required):
    secret = generate_totp_secret()
    TOTP.activate(users.province, secret)
    response = _login(client, users.province.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not logged in until the code is given.
    assert client.get(reverse("core:dashboard")).status_code == 302
    assert client.get(reverse("core:dashboard"))["Location"].startswith(reverse("account_login"))

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_wrong_password_is_refused_in_vietnamese(client, users):
    response = _login(client, users.commune_x.email, "sai-mat-khau")
    assert response.status_code == 200
    assert "không đúng" in response.content.decode()


def test_login_is_throttled_after_five_failures(client, users):
    for _ in range(5):
        assert _login(client, users.commune_x.email, "sai-mat-khau").status_code == 200
    response = _login(client, users.commune_x.email)
    assert response.status_code == 200
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_sign_up_is_closed(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "la@ocop.example", "password1": "abcdef123456!", "password2": "abcdef123456!"},
    )
    assert response.status_code == 200
    assert "Đăng ký đã đóng" in response.content.decode()
    assert not User.objects.filter(email="la@ocop.example").exists()


def test_province_officer_invites_commune_officer_in_own_province(users, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invited = user_invite(
            email="Moi@OCOP.example", full_name="Nguyễn Mới", role=Role.COMMUNE_OFFICER, unit=tree.y, by=users.province
        )
    assert invited.email == "moi@ocop.example"
    assert invited.invited_by == users.province
    assert not invited.has_usable_password()
    assert deliver_queued_mail() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["moi@ocop.example"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    event = AuditEvent.objects.get(action="user.invite")
    assert (event.actor, event.unit, event.object_id) == (users.province, tree.y, str(invited.pk))


def test_invite_outside_jurisdiction_is_refused_and_changes_nothing(users, tree):
    before = User.objects.count()
    with pytest.raises(PermissionDenied):
        user_invite(email="x@ocop.example", full_name="X", role=Role.COMMUNE_OFFICER, unit=tree.z, by=users.province)
    assert User.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_commune_officer_cannot_invite_a_district_officer(users, tree):
    with pytest.raises(PermissionDenied):
        user_invite(email="x@ocop.example", full_name="X", role=Role.DISTRICT_OFFICER, unit=tree.d, by=users.commune_x)


def test_invite_with_wrong_level_is_refused(users, tree):
    with pytest.raises(ValidationError):
        user_invite(email="x@ocop.example", full_name="X", role=Role.COMMUNE_OFFICER, unit=tree.d, by=users.province)
    assert not User.objects.filter(email="x@ocop.example").exists()


def test_invite_view_refuses_duplicate_email_in_vietnamese(client, users, tree):
    client.force_login(users.province)
    response = client.post(
        reverse("accounts:user_invite"),
        {"full_name": "Trùng", "email": users.commune_y.email, "role": Role.COMMUNE_OFFICER, "unit": tree.y.pk},
    )
    assert response.status_code == 200
    assert "Đã có tài khoản với địa chỉ e-mail này" in response.content.decode()


def test_invite_view_creates_user(client, users, tree):
    client.force_login(users.district)
    response = client.post(
        reverse("accounts:user_invite"),
        {"full_name": "Hồ Văn Mới", "email": "moi@ocop.example", "role": Role.COMMUNE_OFFICER, "unit": tree.x.pk},
    )
    assert response.status_code == 302
    assert User.objects.get(email="moi@ocop.example").unit == tree.x


def test_invite_view_offers_only_units_in_subtree(client, users, tree):
    client.force_login(users.district)
    form = client.get(reverse("accounts:user_invite")).context["form"]
    assert set(form.fields["unit"].queryset) == {tree.d, tree.x, tree.y}


def test_producer_cannot_open_invite_page(client, users):
    client.force_login(users.producer)
    assert client.get(reverse("accounts:user_invite")).status_code == 403


def test_user_list_shows_only_subtree(client, users, django_assert_max_num_queries):
    client.force_login(users.district)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("accounts:user_list"))
    emails = {u.email for u in response.context["users"]}
    assert emails == {"xa.x@ocop.example", "xa.y@ocop.example", "huyen@ocop.example", "chuthe@ocop.example"}


def test_scoped_role_without_unit_violates_constraint(db):

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="no-unit@ocop.example", full_name="X", role=Role.COMMUNE_OFFICER)


def test_invited_user_sets_password_through_the_link_and_logs_in(
    client, users, tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user_invite(
            email="moi@ocop.example", full_name="Mới", role=Role.COMMUNE_OFFICER, unit=tree.y, by=users.province
        )
    deliver_queued_mail()
    path = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    response = client.get(path)
    assert response.status_code == 302  # allauth moves the key into the session
    form_url = response["Location"]
    new_password = "Mat-khau-moi-2026!"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert User.objects.get(email="moi@ocop.example").check_password(new_password)
    client.logout()
    assert _login(client, "moi@ocop.example", new_password)["Location"] == reverse("core:dashboard")
