"""The coarse place of a scan from a real GeoIP2 City database (``OCOP_GEOIP_CITY_DATABASE``).

The database is a real ``.mmdb`` written by ``mmdb-writer`` in the MaxMind format and read by ``geoip2``, the same
reader production uses with GeoLite2-City: no lookup is faked. The addresses are the documentation ranges
(RFC 5737), placed in Hà Nội and Cần Thơ.
"""

import datetime

import pytest
from django.utils import timezone
from mmdb_writer import MMDBWriter
from netaddr import IPSet

from apps.traceability import places, services
from apps.traceability.counterfeit import Signal
from apps.traceability.models import StampScan

HANOI = "192.0.2.10"
CAN_THO = "198.51.100.20"
UNPLACED = "203.0.113.5"  # in the database, without coordinates


def _city(region, city, latitude, longitude):
    return {
        "city": {"names": {"en": city, "vi": city}},
        "country": {"iso_code": "VN", "names": {"en": "Vietnam", "vi": "Việt Nam"}},
        "subdivisions": [{"iso_code": "XX", "names": {"en": region, "vi": region}}],
        "location": {"latitude": latitude, "longitude": longitude, "accuracy_radius": 50},
    }


@pytest.fixture
def geoip_database(tmp_path, settings):
    writer = MMDBWriter(ip_version=4, database_type="GeoIP2-City", languages=["en", "vi"], description="OCOP test")
    writer.insert_network(IPSet(["192.0.2.0/24"]), _city("Hà Nội", "Hà Nội", 21.0285, 105.8542))
    writer.insert_network(IPSet(["198.51.100.0/24"]), _city("Cần Thơ", "Ninh Kiều", 10.0341, 105.7882))
    writer.insert_network(IPSet(["203.0.113.0/24"]), {"country": {"iso_code": "VN", "names": {"en": "Vietnam"}}})
    path = tmp_path / "city.mmdb"
    writer.to_db_file(str(path))
    settings.OCOP_GEOIP_CITY_DATABASE = str(path)
    places._reader.cache_clear()
    yield path
    places._reader.cache_clear()


@pytest.fixture
def stamp(ready_batch):
    return ready_batch.stamps.order_by("serial").first()


def _url(stamp):
    return f"/t/{stamp.code}/"


def test_locate_reads_the_region_and_a_rounded_point(geoip_database):
    assert places.locate(HANOI) == {"region": "Hà Nội", "latitude": 21.0, "longitude": 105.9}
    assert places.locate(CAN_THO) == {"region": "Cần Thơ", "latitude": 10.0, "longitude": 105.8}


@pytest.mark.parametrize("address", ["", "10.0.0.1", "2001:db8::1", "not-an-address", UNPLACED])
def test_an_address_without_a_place_gives_none(geoip_database, address):
    assert places.locate(address) is None


def test_no_database_or_a_broken_one_gives_none(tmp_path, settings):
    settings.OCOP_GEOIP_CITY_DATABASE = ""
    places._reader.cache_clear()
    assert places.locate(HANOI) is None
    broken = tmp_path / "broken.mmdb"
    broken.write_bytes(b"\x00" * 1024)
    settings.OCOP_GEOIP_CITY_DATABASE = str(broken)
    places._reader.cache_clear()
    assert places.locate(HANOI) is None
    places._reader.cache_clear()


def test_scans_from_far_apart_minutes_apart_warn_and_record_their_regions(geoip_database, stamp, client):
    first = client.get(_url(stamp), REMOTE_ADDR=HANOI)
    assert first.status_code == 200 and first.context["verdict"].signals == []
    services.scans_flush()
    hanoi = StampScan.objects.get(stamp=stamp)
    assert (hanoi.region, float(hanoi.latitude), float(hanoi.longitude)) == ("Hà Nội", 21.0, 105.9)
    # The address itself is kept only as a coarse prefix, never the full address.
    assert hanoi.ip_prefix == "192.0.2.0/24"

    # Minutes later from Cần Thơ, about 1,100 km away: faster than any traveller.
    StampScan.objects.filter(pk=hanoi.pk).update(scanned_at=timezone.now() - datetime.timedelta(minutes=20))
    second = client.get(_url(stamp), REMOTE_ADDR=CAN_THO)
    assert second.status_code == 200
    assert second.context["verdict"].signals == [Signal.TOO_FAR_TOO_FAST]
    services.scans_flush()
    latest = StampScan.objects.filter(stamp=stamp).order_by("-pk").first()
    assert latest.region == "Cần Thơ" and latest.signals == Signal.TOO_FAR_TOO_FAST


def test_scans_from_the_same_city_do_not_warn(geoip_database, stamp, client):
    for _ in range(2):
        response = client.get(_url(stamp), REMOTE_ADDR=HANOI)
        assert response.status_code == 200 and response.context["verdict"].signals == []
        services.scans_flush()
    assert list(StampScan.objects.filter(stamp=stamp).values_list("region", flat=True)) == ["Hà Nội", "Hà Nội"]


def test_behind_a_proxy_the_forwarded_address_is_placed(geoip_database, stamp, client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    response = client.get(_url(stamp), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.1.1.1, {CAN_THO}")
    assert response.status_code == 200
    services.scans_flush()
    assert StampScan.objects.get(stamp=stamp).region == "Cần Thơ"
