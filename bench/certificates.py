"""Seconds per certificate: one WeasyPrint document per certificate against one document per batch.

Run with ``.venv/bin/python bench/certificates.py [count]`` (test settings; no database is touched: the
certificates are in-memory objects). Batched rendering also splits the document into one PDF per page.
"""

import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_portal.settings.test")

import django  # noqa: E402

django.setup()

from apps.certificates import rendering  # noqa: E402
from apps.certificates.models import Certificate  # noqa: E402
from apps.certificates.services import new_token  # noqa: E402
from apps.evaluation.models import RecognitionDecision, RecognitionItem  # noqa: E402
from apps.geo.models import AdministrativeUnit  # noqa: E402
from apps.producers.models import Producer  # noqa: E402
from apps.products.models import Product, ProductSet  # noqa: E402

BATCH = 25


def certificates(count):
    province = AdministrativeUnit(path="2024/22/", code="22", name="Tỉnh Quảng Ninh", level="province")
    commune = AdministrativeUnit(path="2024/22/193/06649/", code="06649", name="Phường Hà Khánh", level="commune")
    decision = RecognitionDecision(
        number="1234/QĐ-UBND",
        date=datetime.date(2026, 3, 15),
        issuing_unit=province,
        issuer_name="Ủy ban nhân dân tỉnh Quảng Ninh",
        signer_title="KT. Chủ tịch — Phó Chủ tịch",
        signer_name="Nguyễn Văn Thắng",
    )
    product_set = ProductSet(code="TP11", name="Chè (trà)")
    result = []
    for n in range(count):
        producer = Producer(name=f"Hợp tác xã Chè Đường Hoa {n}", address="Thôn Khe Lạc, xã Đường Hoa, huyện Hải Hà")
        product = Product(
            name=f"Trà hoa vàng Ba Chẽ đặc biệt {n}", product_set=product_set, producer=producer, commune=commune
        )
        item = RecognitionItem(decision=decision, product=product, stars=3 + n % 3, total_score=Decimal("80"))
        result.append(
            Certificate(
                recognition=item,
                product=product,
                serial=f"OCOP-22-2026-{n + 1:05d}",
                token=new_token(),
                stars=item.stars,
                valid_from=decision.date,
                valid_until=datetime.date(2029, 3, 15),
            )
        )
    return result


def seconds_per_certificate(certs, *, batched):
    """(wall-clock, CPU) seconds per certificate. CPU time is the fairer figure on a shared, loaded machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    pdfs = []
    if batched:
        for i in range(0, len(certs), BATCH):
            pdfs += rendering.render_certificates(certs[i : i + BATCH], batched=True)
    else:
        pdfs = rendering.render_certificates(certs, batched=False)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert len(pdfs) == len(certs)
    return wall / len(certs), cpu / len(certs)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    certs = certificates(count)
    rendering.render_certificates(certs[:1])  # load fonts and templates once, outside the measurement
    single_wall, single_cpu = seconds_per_certificate(certs, batched=False)
    batched_wall, batched_cpu = seconds_per_certificate(certs, batched=True)
    print(f"{count} certificates, A4 landscape, WeasyPrint; seconds per certificate (wall clock / CPU)")
    print(f"one document per certificate:                  {single_wall:.3f} / {single_cpu:.3f}")
    print(f"batched, {BATCH} per document, split with pypdf: {batched_wall:.3f} / {batched_cpu:.3f}")
    print(f"speed-up: {single_wall / batched_wall:.1f}× wall clock, {single_cpu / batched_cpu:.1f}× CPU")


if __name__ == "__main__":
    main()
