import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation

from apps.core.storage import private_storage
from apps.core.text import fold


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Chả mực Hạ Long", "cha muc ha long"),
        ("Nước mắm Phú Quốc", "nuoc mam phu quoc"),
        ("ĐẮK KÔI", "dak koi"),
        ("  Rượu   ngô  ", "ruou ngo"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_strips_diacritics_and_case(raw, folded):
    assert fold(raw) == folded


def test_private_storage_has_no_public_url():

    with pytest.raises(ValueError):
        private_storage.url("producer-documents/2026/x.pdf")


def test_vietnamese_numbers_group_thousands_with_dots():

    with translation.override("vi"):
        assert intcomma(1250000) == "1.250.000"
    with translation.override("en"):
        assert intcomma(1250000) == "1,250,000"
