"""Sessions and headers: a strict Content-Security-Policy, staff idle and absolute session limits, password or TOTP
again before sensitive actions, MFA for every role that opens producers' documents, no mail to unknown addresses."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse, reverse_lazy

from apps.accounts.enums import Role
from apps.accounts.middleware import StaffSessionTimeoutMiddleware as Timeout
from apps.certificates.services import certificates_create_for_decision
from apps.evaluation.models import RecognitionDecision, SheetTemplate
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.factories.certificates import decision_with_products

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


# ---------------------------------------------------------------------------------------------------- CSP


@pytest.mark.parametrize("who", ["anonymous", "province"])
def test_every_page_has_a_csp_without_unsafe_inline(client, users, who):
    if who != "anonymous":
        client.force_login(getattr(users, who))
    response = client.get(reverse("core:dashboard") if who != "anonymous" else reverse("core:home"))
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def _served_templates():
    # PDF templates are rendered by WeasyPrint on the server, never served to a browser.
    return [p for p in TEMPLATES.rglob("*.html") if "pdf" not in p.name and "pdf" not in p.parts]


def test_served_templates_have_no_inline_script_style_or_handler():
    offenders = []
    for path in _served_templates():
        text = path.read_text()
        for match in re.finditer(r"<script\b[^>]*>", text):
            tag = match.group(0)
            if "src=" not in tag and 'type="application/ld+json"' not in tag:
                offenders.append(f"{path.relative_to(TEMPLATES)}: {tag}")
        if re.search(r"<style\b", text) or re.search(r"\sstyle=\"", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: inline style")
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: inline event handler")
    assert len(_served_templates()) > 50
    assert offenders == []


# ----------------------------------------------------------------------------------------------- sessions


def _age_session(client, **seconds_ago):
    session = client.session
    now = time.time()
    if "idle" in seconds_ago:
        session[Timeout.IDLE_KEY] = now - seconds_ago["idle"]
    if "started" in seconds_ago:
        session[Timeout.STARTED_KEY] = now - seconds_ago["started"]
    session.save()


def test_staff_session_idle_for_31_minutes_is_signed_out(client, users):
    client.force_login(users.district)
    assert client.get(reverse("core:dashboard")).status_code == 200
    _age_session(client, idle=31 * 60)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_staff_session_active_for_29_minutes_stays(client, users):
    client.force_login(users.district)
    client.get(reverse("core:dashboard"))
    _age_session(client, idle=29 * 60)
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_staff_session_older_than_12_hours_is_signed_out_even_when_active(client, users):
    client.force_login(users.province)
    client.get(reverse("core:dashboard"))
    _age_session(client, idle=60, started=12 * 3600 + 60)
    assert client.get(reverse("core:dashboard")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_idle_limit_is_configurable(client, users, settings):
    settings.OCOP_STAFF_IDLE_MINUTES = 5
    client.force_login(users.district)
    client.get(reverse("core:dashboard"))
    _age_session(client, idle=6 * 60)
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_producer_session_is_not_cut_by_the_staff_limits(client, users):
    client.force_login(users.producer)
    client.get(reverse("core:dashboard"))
    _age_session(client, idle=2 * 3600)
    assert client.get(reverse("core:dashboard")).status_code == 200


# ------------------------------------------------------------------------------------------ reauthentication


@pytest.fixture
def certificate(tree):
    decision = decision_with_products(issuing_unit=tree.p, commune=tree.x, count=1)
    (cert,) = certificates_create_for_decision(decision=decision)
    return cert


def test_revoke_asks_for_the_password_again_and_then_goes_through(client, users, certificate, settings):
    settings.OCOP_REAUTHENTICATE_SENSITIVE = True
    client.force_login(users.province)
    url = reverse("certificates:revoke", args=[certificate.pk])
    assert client.get(url).status_code == 200  # the form itself may be read
    response = client.post(url, {"reason": "Sản phẩm ngừng sản xuất"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(url, {"reason": "Sản phẩm ngừng sản xuất"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Sản phẩm ngừng sản xuất"


def test_wrong_password_on_reauthentication_changes_nothing(client, users, certificate, settings):
    settings.OCOP_REAUTHENTICATE_SENSITIVE = True
    client.force_login(users.province)
    url = reverse("certificates:revoke", args=[certificate.pk])
    client.post(url, {"reason": "Sản phẩm ngừng sản xuất"})
    response = client.post(reverse("account_reauthenticate"), {"password": "sai-mat-khau"})
    assert response.status_code == 200
    assert client.post(url, {"reason": "Sản phẩm ngừng sản xuất"})["Location"].startswith(
        reverse("account_reauthenticate")
    )
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_role_change_in_admin_asks_for_the_password_again(client, users, settings):
    settings.OCOP_REAUTHENTICATE_SENSITIVE = True
    client.force_login(users.admin)
    url = reverse("admin:accounts_user_change", args=[users.commune_x.pk])
    response = client.post(url, {"email": users.commune_x.email, "role": Role.CENTRAL_OFFICER})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    users.commune_x.refresh_from_db()
    assert users.commune_x.role == Role.COMMUNE_OFFICER


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("district", reverse_lazy("evaluation:decision_create", args=[1])),
        ("admin", reverse_lazy("admin:evaluation_sheettemplate_import")),
    ],
)
def test_decision_and_sheet_import_ask_for_the_password_again(client, users, settings, who, url):

    settings.OCOP_REAUTHENTICATE_SENSITIVE = True
    before = (RecognitionDecision.objects.count(), SheetTemplate.objects.count())
    client.force_login(getattr(users, who))
    response = client.post(url, {"number": "1/QĐ"})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert (RecognitionDecision.objects.count(), SheetTemplate.objects.count()) == before


# --------------------------------------------------------------------------------------------- MFA, reset


@pytest.mark.parametrize(
    "role",
    [Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER, Role.COUNCIL_MEMBER, Role.PROVINCE_OFFICER, Role.CENTRAL_OFFICER],
)
def test_every_role_that_opens_producers_documents_must_set_up_totp(client, users, tree, settings, role):

    settings.OCOP_REQUIRE_MFA = True
    unit = {Role.COMMUNE_OFFICER: tree.x, Role.DISTRICT_OFFICER: tree.d, Role.COUNCIL_MEMBER: tree.d}.get(role)
    unit = unit or (tree.p if role == Role.PROVINCE_OFFICER else None)
    client.force_login(UserFactory(role=role, unit=unit))
    response = client.get(reverse("core:dashboard"))
    assert (response.status_code, response["Location"]) == (302, reverse("mfa_activate_totp"))


def test_producer_is_not_forced_to_totp(client, users, settings):
    settings.OCOP_REQUIRE_MFA = True
    client.force_login(users.producer)
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_password_reset_for_an_unknown_address_sends_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "khong-co@ocop.example"})
    assert response.status_code == 302
    assert mail.outbox == []
