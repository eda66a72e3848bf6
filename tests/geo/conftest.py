"""The 2025 reform down to the commune, in miniature.

Old Kon Tum (62) → new Quảng Ngãi (51). Old Xã Đắk Kôi was wholly merged into new Xã Đăk Kôi; old Xã Đắk Pne was
split between new Xã Đăk Kôi (its default) and new Xã Kon Braih. Each commune has a producer.
"""

import pytest

from apps.accounts.enums import Role
from apps.geo.enums import Edition
from apps.geo.models import AdministrativeUnit, SuccessorCandidate
from tests.factories import UserFactory, commune, district, province
from tests.factories.catalog import make_producer


@pytest.fixture
def communes_2025(db):
    kon_tum = province("62", name="Tỉnh Kon Tum")
    kon_ray = district(kon_tum, "614", name="Huyện Kon Rẫy")
    dak_koi = commune(kon_ray, "23482", name="Xã Đắk Kôi")
    dak_pne = commune(kon_ray, "23485", name="Xã Đắk Pne")
    quang_ngai = province("51", edition=Edition.TWO_TIER_2025, name="Quảng Ngãi")
    new_dak_koi = commune(quang_ngai, "23485", name="Xã Đăk Kôi")  # the 2025 list reuses old codes
    kon_braih = commune(quang_ngai, "23473", name="Xã Kon Braih")
    AdministrativeUnit.objects.filter(pk=kon_tum.pk).update(successor=quang_ngai)
    AdministrativeUnit.objects.filter(pk=dak_koi.pk).update(successor=new_dak_koi)
    AdministrativeUnit.objects.filter(pk=dak_pne.pk).update(successor=new_dak_koi, split_on_reform=True)
    SuccessorCandidate.objects.create(unit=dak_pne, candidate=new_dak_koi, is_default=True)
    SuccessorCandidate.objects.create(unit=dak_pne, candidate=kon_braih, is_default=False)
    units = {u.pk: u for u in AdministrativeUnit.objects.all()}
    return type(
        "Communes2025",
        (),
        {
            "kon_tum": units[kon_tum.pk],
            "dak_koi": units[dak_koi.pk],
            "dak_pne": units[dak_pne.pk],
            "quang_ngai": units[quang_ngai.pk],
            "new_dak_koi": units[new_dak_koi.pk],
            "kon_braih": units[kon_braih.pk],
            "merged_producer": make_producer(
                commune=units[dak_koi.pk], name="HTX Sâm Đắk Kôi", legal_representative="A Thủy"
            ),
            "split_producer": make_producer(commune=units[dak_pne.pk], name="HTX Mật ong Đắk Pne"),
            "province_officer": UserFactory(role=Role.PROVINCE_OFFICER, unit=quang_ngai, email="qn@ocop.example"),
            "new_dak_koi_officer": UserFactory(
                role=Role.COMMUNE_OFFICER, unit=new_dak_koi, email="dakkoi@ocop.example"
            ),
            "kon_braih_officer": UserFactory(role=Role.COMMUNE_OFFICER, unit=kon_braih, email="kb@ocop.example"),
            "old_commune_officer": UserFactory(role=Role.COMMUNE_OFFICER, unit=dak_koi, email="cu@ocop.example"),
        },
    )
