"""Lower apps tell the catalogue about changes through their own signals, never by importing it."""

import io

import pytest
from django.core.management import call_command

from apps.catalog.cache import catalog_version
from apps.products.services import photo_add
from apps.products.signals import product_photos_changed
from tests.factories.catalog import certified_product, make_product
from tests.factories.producers import png_upload

pytestmark = pytest.mark.django_db


def test_photo_add_sends_product_photos_changed_once_committed(tree, users, django_capture_on_commit_callbacks):
    product = make_product(commune=tree.x)
    sent = []

    def receiver(sender, product_id, **kwargs):
        sent.append(product_id)

    product_photos_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            photo_add(product=product, by=users.admin, image=png_upload(size=(800, 600)))
        assert sent == []
        for callback in callbacks:
            callback()
    finally:
        product_photos_changed.disconnect(receiver)
    assert sent == [product.pk]


def test_photo_add_on_a_listed_product_bumps_the_catalogue_version(tree, users, django_capture_on_commit_callbacks):
    product = certified_product(commune=tree.x)
    before = catalog_version()
    with django_capture_on_commit_callbacks(execute=True):
        photo_add(product=product, by=users.admin, image=png_upload(size=(800, 600)))
    assert catalog_version() != before


def test_import_units_rebuilds_the_catalogue_through_units_imported(tree):
    certified_product(commune=tree.x)
    out = io.StringIO()
    call_command("import_units", edition="2025", provinces=["01"], stdout=out)
    assert "catalogue rebuilt: 1 entries" in out.getvalue().splitlines()
