"""Run by ``manage.py shell`` after ``seed_demo``: every demo login opens every page its navigation offers, the public
opens the catalogue's pages, and each page is checked for a 200 in Vietnamese. Prints one line per failure, then
``CRAWLED <pages> FAILURES <n>``."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.catalog.models import CatalogEntry, Fair, PointOfSale
from apps.certificates.models import Certificate
from apps.core.navigation import navigation_for
from apps.demo.accounts import DEMO_ACCOUNTS

settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
failures, visited = [], []


def visit(client, url, who):
    visited.append(url)
    response = client.get(url)
    if response.status_code != 200:
        failures.append(f"{who} {url} -> {response.status_code}")
    elif 'lang="vi"' not in response.content.decode()[:400]:
        failures.append(f"{who} {url} -> not Vietnamese")


for account in DEMO_ACCOUNTS:
    user = User.objects.get(email=account.email)
    client = Client()
    client.force_login(user)
    visit(client, reverse("core:dashboard"), account.email)
    for item in navigation_for(user):
        if not item["url"].startswith("/quan-tri/") or user.is_superuser:
            visit(client, item["url"], account.email)

public = Client()
entry = CatalogEntry.objects.select_related("product", "producer").first()
cert = Certificate.objects.filter(revoked_at__isnull=True).first()
for url in [
    "/",
    "/san-pham/",
    "/san-pham/?q=nuoc+mam&stars=4",
    f"/san-pham/{entry.product.slug}/",
    f"/chu-the/{entry.producer.slug}/",
    "/thong-ke/",
    "/diem-ban/",
    "/hoi-cho/",
    *[f"/diem-ban/{p.slug}/" for p in PointOfSale.objects.filter(is_active=True)[:2]],
    *[f"/hoi-cho/{f.slug}/" for f in Fair.objects.all()[:2]],
    f"/xac-thuc/{cert.token}/",
    reverse("account_login"),
]:
    visit(public, url, "public")

print("\n".join(failures))
print(f"CRAWLED {len(visited)} FAILURES {len(failures)}")
