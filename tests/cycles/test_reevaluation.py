"""Ideas for existing products: re-evaluation, upgrade or retry picks the product; a look-alike new one is refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.certificates.enums import CertificateStatus, Replacement
from apps.certificates.services import certificates_create_for_decision
from apps.cycles.enums import ApplicationPurpose
from apps.cycles.enums import ApplicationState as S
from apps.cycles.models import Application
from apps.cycles.services import idea_register
from apps.products.models import Product
from tests.factories.certificates import decision_with_products
from tests.factories.cycles import ApplicationFactory, CycleFactory
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(tree, users):
    """Chả mực Hạ Long, recognised 4★ in 2024 (certificate valid until 2027), its 2024 application closed."""
    product = ProductFactory(commune=tree.x, name="Chả mực Hạ Long")
    old_cycle = CycleFactory(unit=tree.p, year=2024)
    ApplicationFactory(cycle=old_cycle, product=product, state=S.RECOGNISED, stars=4, created_by=users.commune_x)
    decision = decision_with_products(
        issuing_unit=tree.p, commune=tree.x, count=1, products=[product], stars=4, date=datetime.date(2024, 11, 1)
    )
    (certificate,) = certificates_create_for_decision(decision=decision)
    return product, certificate


def test_re_evaluation_picks_the_existing_product(tree, cycle, users, certified):
    product, certificate = certified
    products_before = Product.objects.count()
    application = idea_register(
        cycle=cycle, producer=product.producer, product=product, purpose=ApplicationPurpose.RE_EVALUATION,
        by=users.commune_x,
    )  # fmt: skip
    assert (application.product, application.purpose, application.state) == (
        product,
        ApplicationPurpose.RE_EVALUATION,
        S.IDEA_REGISTERED,
    )
    assert Product.objects.count() == products_before
    # The certificate stays valid while the product is evaluated again.
    certificate.refresh_from_db()
    assert certificate.status() == CertificateStatus.VALID


@pytest.mark.parametrize("typed", ["Chả mực Hạ Long", "cha muc  ha long", "CHẢ MỰC HẠ LONG"])
def test_new_product_matching_an_existing_one_is_refused(tree, cycle, users, certified, typed):
    product, _certificate = certified
    before = (Product.objects.count(), Application.objects.count())
    with pytest.raises(ValidationError) as exc:
        idea_register(
            cycle=cycle, producer=product.producer, name=typed, product_set=product.product_set, by=users.commune_x
        )
    assert exc.value.message_dict["name"] == [
        "Chủ thể này đã có sản phẩm “Chả mực Hạ Long”: hãy chọn sản phẩm đó ở ô “Sản phẩm đã có” thay vì tạo mới."
    ]
    assert (Product.objects.count(), Application.objects.count()) == before


def test_idea_form_links_to_the_existing_product(client, tree, cycle, users, certified):
    product, _certificate = certified
    client.force_login(users.commune_x)
    response = client.post(
        reverse("cycles:idea_create"),
        {"cycle": cycle.pk, "producer": product.producer.pk, "name": "cha muc ha long",
         "product_set": product.product_set.pk},
    )  # fmt: skip
    assert response.status_code == 200
    assert reverse("products:product_detail", args=[product.pk]) in response.text
    assert Application.objects.filter(cycle=cycle).count() == 0


def test_idea_form_registers_an_upgrade_attempt(client, tree, cycle, users, certified):
    product, _certificate = certified
    client.force_login(users.commune_x)
    response = client.post(
        reverse("cycles:idea_create"),
        {"cycle": cycle.pk, "producer": product.producer.pk, "product": product.pk, "purpose": "upgrade"},
    )
    application = Application.objects.get(cycle=cycle)
    assert response.status_code == 302
    assert (application.product, application.purpose) == (product, ApplicationPurpose.UPGRADE)
    page = client.get(reverse("cycles:application_detail", args=[application.pk])).text
    assert "Đánh giá nâng hạng sao" in page


def test_product_of_another_producer_is_refused(tree, cycle, users, certified):
    product, _certificate = certified
    other = ProducerFactory(commune=tree.x)
    with pytest.raises(ValidationError):
        idea_register(cycle=cycle, producer=other, product=product, purpose="retry", by=users.commune_x)
    assert Application.objects.filter(cycle=cycle).count() == 0


def test_product_still_in_progress_is_refused(tree, cycle, users):
    product = ProductFactory(commune=tree.x)
    ApplicationFactory(cycle=CycleFactory(unit=tree.p, year=2024), product=product, state=S.SENT_FOR_EVALUATION,
                       created_by=users.commune_x)  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        idea_register(cycle=cycle, producer=product.producer, product=product, purpose="retry", by=users.commune_x)
    assert "vẫn đang trong quá trình" in exc.value.message_dict["product"][0]
    assert Application.objects.filter(cycle=cycle).count() == 0


@pytest.mark.parametrize(
    ("new_stars", "kind", "text"),
    [
        (4, Replacement.RENEWED, "Được công nhận lại hạng 4★"),
        (5, Replacement.UPGRADED, "Được nâng từ 4★ lên 5★"),
        (3, Replacement.DOWNGRADED, "Bị hạ từ 4★ xuống 3★"),
    ],
)
def test_new_decision_labels_the_old_certificate(tree, certified, new_stars, kind, text):
    product, old = certified
    decision = decision_with_products(
        issuing_unit=tree.p, commune=tree.x, count=1, products=[product], stars=new_stars,
        date=datetime.date(2026, 11, 1),
    )  # fmt: skip
    (new,) = certificates_create_for_decision(decision=decision)
    old.refresh_from_db()
    assert (old.status(), old.replacement) == (CertificateStatus.SUPERSEDED, kind)
    assert old.replacement_label.startswith(text)
    assert new.serial in old.replacement_label
    event = AuditEvent.objects.get(action="certificate.supersede")
    assert event.after["replacement"] == kind


def test_verify_page_says_renewed_not_upgraded(client, tree, certified):
    product, old = certified
    decision = decision_with_products(
        issuing_unit=tree.p, commune=tree.x, count=1, products=[product], stars=4, date=datetime.date(2026, 11, 1)
    )
    certificates_create_for_decision(decision=decision)
    text = client.get(reverse("verify:certificate", args=[old.token])).text
    assert "Gia hạn cùng hạng sao" in text
    assert "nâng hạng" not in text.lower()
