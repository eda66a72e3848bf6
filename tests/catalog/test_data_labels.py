"""English pages translate the data labels too: product groups and sets, opening hours, unit division types.
Vietnamese pages show them as stored."""

import pytest
from django.urls import reverse

from apps.catalog.models import PointOfSale

pytestmark = pytest.mark.django_db


def test_english_catalogue_translates_groups_and_sets(client, catalog):
    path = reverse("catalog:product_list")  # before an English request leaves English active in this thread
    en = client.get("/en" + path).text
    assert "Food (" in en and "Beverages (" in en and "Handicrafts (" in en
    assert "Sauces, fish sauce and other liquid condiments" in en
    assert "Thực phẩm (" not in en and "Đồ uống (" not in en
    vi = client.get(path).text
    assert "Thực phẩm (" in vi and "Food (" not in vi


def test_english_product_page_translates_set_group_and_unit_types(client, catalog):
    path = reverse("catalog:product_detail", args=[catalog.fish.slug])
    en = client.get("/en" + path).text
    assert "Sauces, fish sauce and other liquid condiments · Hà Khánh Ward" in en
    assert "Quảng Ninh Province" in en
    assert ">Food</a>" in en
    vi = client.get(path).text
    assert "Tương, nước mắm, gia vị dạng lỏng khác · Phường Hà Khánh" in vi


def test_english_opening_hours_words_are_translated_and_times_kept(client, trade):
    point = PointOfSale.objects.get(name="Trung tâm OCOP Hạ Long")
    point.opening_hours = "8:00–21:00 hằng ngày"
    point.save()
    path = reverse("catalog:point_of_sale_detail", args=[point.slug])
    assert "8:00–21:00 daily" in client.get("/en" + path).text
    assert "8:00–21:00 hằng ngày" in client.get(path).text
