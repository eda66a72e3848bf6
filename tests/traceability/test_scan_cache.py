"""The scan page served from its cache: an anonymous repeat scan is one Redis read and one write, no database;
what is live (verdict, counters) is computed on every scan, and nothing stale is ever shown: a void, a revocation,
midnight (lot and certificate expiry), the language, a signed-in user, a query string."""

import datetime

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.certificates.models import Certificate
from apps.certificates.services import certificate_revoke
from apps.traceability import scanbuffer, services
from apps.traceability.enums import Signal
from apps.traceability.models import Lot, SiteCertification, StampScan

pytestmark = pytest.mark.django_db


@pytest.fixture
def stamp(ready_batch):
    return ready_batch.stamps.order_by("serial").first()


def _url(stamp, lang=""):
    return f"{lang}/t/{stamp.code}/"  # not reverse(): it follows the language the last request left active


@pytest.fixture
def round_trips(monkeypatch):
    """Every request sent to Redis (a pipeline or a script is one), by the command it starts with."""
    sent = []
    original = redis.connection.AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        first = command[0] if isinstance(command, list | tuple) and command else command
        sent.append(bytes(first)[:120])
        return original(self, command, check_health)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counting)
    return sent


@pytest.fixture
def no_database(monkeypatch):
    """Fails the test on any use of the database connection, SAVEPOINT and BEGIN included."""

    def refuse(execute, sql, params, many, context):
        raise AssertionError(f"the scan page used the database: {sql}")

    def guard():
        return connection.execute_wrapper(refuse)

    return guard


def test_a_repeat_scan_is_one_redis_round_trip_and_no_query(
    stamp, client, round_trips, django_assert_num_queries, no_database
):
    client.get(_url(stamp))  # builds and caches the page
    round_trips.clear()
    with django_assert_num_queries(0), no_database():
        response = client.get(_url(stamp))
    assert response.status_code == 200 and response.context["verdict"].genuine
    assert response.context["scan_count"] == 2
    assert len(round_trips) == 1, round_trips  # one EVALSHA: page, versions, counter, and the scan row queued
    assert b"EVALSHA" in round_trips[0]
    assert services.scans_flush() == 2
    stamp.refresh_from_db()
    assert stamp.scan_count == 2


def test_the_cached_page_is_the_page_built_anew(stamp, client):
    first = client.get(_url(stamp)).content.decode()
    second = client.get(_url(stamp)).content.decode()
    cache.clear()  # page, versions and counter gone: built from the database again
    third = client.get(_url(stamp)).content.decode()
    assert first == second == third
    assert "Tem OCOP chính thức" in first and stamp.batch.product.name in first


def test_every_scan_is_counted_once_on_every_path(stamp, client, users, settings):
    """Miss, hit, stale page (after a void), HEAD (not counted), lost counter: the count moves by one a scan."""
    settings.OCOP_STAMP_SCAN_LIMIT = 1000
    counts = [client.get(_url(stamp)).context["scan_count"] for _ in range(3)]
    assert counts == [1, 2, 3]
    assert client.head(_url(stamp)).status_code == 200
    services.stamps_void_range(batch=stamp.batch, first=1, last=1, reason="Mất cuộn tem", by=users.producer)
    response = client.get(_url(stamp))  # the page is stale: counted in the read, built again, not counted twice
    assert (response.context["scan_count"], response.context["verdict"].signals) == (4, [Signal.VOIDED])
    assert client.get(_url(stamp)).context["scan_count"] == 5
    scanbuffer._client().delete(scanbuffer.COUNT_KEY.format(stamp.code))  # Redis lost the counter
    assert client.get(_url(stamp)).context["scan_count"] == 1  # started again from the database count, 0 here
    assert services.scans_flush() == 6  # the HEAD wrote nothing
    stamp.refresh_from_db()
    assert stamp.scan_count == 6


def test_the_live_count_and_warning_move_on_a_cached_page(stamp, client, settings):
    settings.OCOP_STAMP_SCAN_LIMIT = 2
    client.get(_url(stamp))
    assert client.get(_url(stamp)).context["verdict"].genuine
    html = client.get(_url(stamp)).content.decode()  # the 3rd: over the limit, on the cached page
    assert "Tem này đã được quét 3 lần — có thể là tem giả" in html and "Tem OCOP chính thức" not in html
    assert "Tem này đã được quét 4 lần — có thể là tem giả" in client.get(_url(stamp)).content.decode()
    assert "Tem này đã được quét 5 lần — có thể là tem giả" in client.get(_url(stamp)).content.decode()


@pytest.mark.parametrize("voided", [False, True])
def test_the_signals_queued_by_the_read_are_the_ones_shown(stamp, client, users, settings, voided):
    """The read script queues the row with the page's static signals and "too many scans" over the limit; the
    page computes its verdict in Python: the two agree below, at and over the limit, with a static signal too."""
    settings.OCOP_STAMP_SCAN_LIMIT = 3
    if voided:
        services.stamps_void_range(batch=stamp.batch, first=1, last=1, reason="Mất cuộn tem", by=users.producer)
    shown = [",".join(client.get(_url(stamp)).context["verdict"].signals) for _ in range(5)]
    static = [Signal.VOIDED] if voided else []
    assert shown == [",".join(static + ([Signal.TOO_MANY_SCANS] if n > 3 else [])) for n in range(1, 6)]
    services.scans_flush()
    stored = list(StampScan.objects.filter(stamp=stamp).order_by("scanned_at").values_list("signals", flat=True))
    assert stored == shown


def test_revocation_after_caching_shows_at_once_with_the_live_status(stamp, client, world, users):
    assert "(Còn hiệu lực)" in client.get(_url(stamp)).content.decode()
    certificate_revoke(certificate=world.certificate, reason="Vi phạm chất lượng", by=users.province)
    response = client.get(_url(stamp))
    html = response.content.decode()
    assert response.context["verdict"].signals == [Signal.CERTIFICATE_INVALID]
    assert "Giấy chứng nhận OCOP của sản phẩm đã bị thu hồi" in html
    assert "(Còn hiệu lực)" not in html and "Tem OCOP chính thức" not in html


def test_void_after_caching_shows_at_once(stamp, client, users):
    client.get(_url(stamp))
    services.stamps_void_range(batch=stamp.batch, first=1, last=1, reason="Mất cuộn tem", by=users.producer)
    html = client.get(_url(stamp)).content.decode()
    assert "Mất cuộn tem" in html and "Tem OCOP chính thức" not in html


def _tomorrow(monkeypatch):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: tomorrow)


def test_lot_expiry_at_midnight(stamp, client, world, monkeypatch):
    Lot.objects.filter(pk=world.lot.pk).update(expires_on=timezone.localdate())  # the expiry day itself is fine
    SiteCertification.objects.create(site=world.site, kind="vietgap", number="VG-9", valid_until=timezone.localdate())
    for _ in range(2):
        html = client.get(_url(stamp)).content.decode()
        assert "Tem OCOP chính thức" in html and 'class="scan-cert-expired"' not in html
    _tomorrow(monkeypatch)  # no write at midnight: the date in the key does it
    response = client.get(_url(stamp))
    html = response.content.decode()
    assert response.context["verdict"].signals == [Signal.LOT_EXPIRED]
    assert "Lô hàng này đã hết hạn sử dụng ngày" in html
    assert 'class="scan-cert-expired"' in html  # the cached record of the sites is today's too


def test_certificate_expiry_at_midnight(stamp, client, world, monkeypatch):
    today = timezone.localdate()
    Certificate.objects.filter(pk=world.certificate.pk).update(
        valid_from=today - datetime.timedelta(days=365), valid_until=today
    )
    for _ in range(2):
        assert "(Còn hiệu lực)" in client.get(_url(stamp)).content.decode()
    _tomorrow(monkeypatch)
    response = client.get(_url(stamp))
    html = response.content.decode()
    assert response.context["verdict"].signals == [Signal.CERTIFICATE_INVALID]
    assert "(Còn hiệu lực)" not in html and "(Hết hạn)" in html  # the static part is rebuilt for the new day


def test_each_language_has_its_page(stamp, client):
    for _ in range(2):
        vi = client.get(_url(stamp)).content.decode()
        en = client.get(_url(stamp, "/en")).content.decode()
        assert '<html lang="vi">' in vi and "Tem OCOP chính thức" in vi and "Genuine OCOP stamp" not in vi
        assert '<html lang="en">' in en and "Genuine OCOP stamp" in en and "Tem OCOP chính thức" not in en
        assert "Production site" in en and "Cơ sở sản xuất" in vi


def test_a_signed_in_user_never_gets_nor_leaves_the_anonymous_page(stamp, client, users):
    anonymous = client.get(_url(stamp)).content.decode()  # cached for visitors
    assert "Đăng xuất" not in anonymous
    client.force_login(users.producer)
    signed_in = client.get(_url(stamp)).content.decode()
    assert "Đăng xuất" in signed_in  # the signed-in header, never the cached visitor's page
    client.logout()
    client.cookies.clear()
    assert "Đăng xuất" not in client.get(_url(stamp)).content.decode()


def test_a_query_string_is_not_cached_and_not_served_the_cached_page(stamp, client):
    plain = client.get(_url(stamp)).content.decode()
    tagged = client.get(_url(stamp) + "?utm_source=tem").content.decode()
    assert "utm_source=tem" in tagged  # the language links keep the query
    assert "utm_source" not in plain and "utm_source" not in client.get(_url(stamp)).content.decode()


def test_unknown_codes_leave_nothing_in_redis(db, client):
    raw = scanbuffer._client()
    before = set(raw.keys("*"))
    for code in ("ZZZZZZZZZZZZZ", "ZZZZZZZZZZZZY", "ZZZZZZZZZZZZX"):
        assert client.get(reverse("trace_scan:stamp", kwargs={"code": code})).status_code == 404
    assert {k for k in set(raw.keys("*")) - before if b"version" not in k} == set()
    assert StampScan.objects.count() == 0


def test_a_digital_link_repeat_scan_reads_no_table(ready_batch, world, client, django_assert_num_queries):
    world.product.gtin = "8934673573337"
    world.product.save(update_fields=["gtin"])
    stamp = ready_batch.stamps.first()
    path = f"/01/08934673573337/10/L2026-001/21/{stamp.code}"
    client.get(path)
    with django_assert_num_queries(0):
        assert client.get(path).context["scan_count"] == 2
    assert client.get(f"/01/08934673573337/10/L2026-002/21/{stamp.code}").status_code == 404  # still checked
    world.product.gtin = "8934673573320"
    world.product.save(update_fields=["gtin"])
    from apps.catalog.cache import catalog_version_bump  # noqa: PLC0415

    catalog_version_bump()
    assert client.get(path).status_code == 404  # a GTIN change makes the cached page stale
