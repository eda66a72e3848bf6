"""Editions, levels and division types of Vietnam's administrative units."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Edition(models.TextChoices):
    # The pre-July-2025 three-tier list (63 provinces, 696 districts, 10,051 communes).
    THREE_TIER_2024 = "2024", _("Before 1 July 2025 (three tiers)")
    # The two-tier list in force since 1 July 2025 (34 provinces, 3,321 communes).
    TWO_TIER_2025 = "2025", _("From 1 July 2025 (two tiers)")


EDITION_VALIDITY = {
    Edition.THREE_TIER_2024: (None, datetime.date(2025, 6, 30)),
    Edition.TWO_TIER_2025: (datetime.date(2025, 7, 1), None),
}


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class DivisionType(models.TextChoices):
    TINH = "tinh", "Tỉnh"
    THANH_PHO_TW = "thanh_pho_tw", "Thành phố trực thuộc trung ương"
    HUYEN = "huyen", "Huyện"
    QUAN = "quan", "Quận"
    THI_XA = "thi_xa", "Thị xã"
    THANH_PHO = "thanh_pho", "Thành phố thuộc tỉnh"
    XA = "xa", "Xã"
    PHUONG = "phuong", "Phường"
    THI_TRAN = "thi_tran", "Thị trấn"
    DAC_KHU = "dac_khu", "Đặc khu"
    HUYEN_DAO = "huyen_dao", "Huyện đảo"


CODE_LENGTH = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}
