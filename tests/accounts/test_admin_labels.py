"""The Django admin speaks Vietnamese: every app's section is named, and there is one "Tài khoản" section."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _sections(html):
    return re.findall(r'<caption>\s*<a href="[^"]*" class="section"[^>]*>([^<]+)</a>', html)


def test_admin_index_names_every_app_in_vietnamese_with_one_accounts_section(client, users):
    client.force_login(users.admin)
    html = client.get(reverse("admin:index")).text
    sections = _sections(html)
    assert sections.count("Tài khoản") == 1
    for name in ("Giấy chứng nhận", "Chu trình OCOP", "Hội đồng đánh giá", "Chủ thể", "Sản phẩm", "Tác vụ định kỳ"):
        assert name in sections
    for english in ("Certificates", "Cycles", "Evaluation", "Producers", "Products", "MFA", "Periodic Tasks"):
        assert english not in sections


def test_user_admin_page_shows_the_users_email_addresses(client, users):
    EmailAddress.objects.create(user=users.commune_x, email=users.commune_x.email, verified=True, primary=True)
    client.force_login(users.admin)
    html = client.get(reverse("admin:accounts_user_change", args=[users.commune_x.pk])).text
    assert "địa chỉ e-mail" in html.lower()
    assert f'value="{users.commune_x.email}"' in html
