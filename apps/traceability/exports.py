"""Sharing a lot's traceability data (TCVN 12850 "share"): GS1 EPCIS 2.0 JSON-LD and a flat CSV.

The fields of both are documented in docs/trace.md. A lot is identified by its GS1 Digital Link URI
(``https://<domain>/01/<GTIN-14>/10/<lot>``, which EPCIS 2.0 accepts wherever an EPC class URN goes; the URN form
needs the GS1 company-prefix length, which the portal does not know), or by a portal URI when the product has
no GTIN.
"""

import csv
import io

from django.utils import timezone

from apps.core.gs1 import build_digital_link

from . import labels
from .enums import BIZ_STEPS

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
CSV_HEADER = [
    "ma_lo",
    "ten_san_pham",
    "gtin",
    "chu_the",
    "ma_so_thue",
    "ngay_san_xuat",
    "han_su_dung",
    "so_luong",
    "don_vi",
    "nguyen_lieu_dau_vao",
    "co_so_san_xuat",
    "su_kien",
    "thoi_gian",
    "dia_diem",
    "nguoi_thuc_hien",
    "ghi_chu",
]


def lot_identifier(lot):
    base = labels.site_base()
    if lot.product.gtin:
        return build_digital_link(base, lot.product.gtin, lot.code)
    return f"{base}/lot/{lot.product_id}/{lot.code}"


def site_identifier(site):
    return f"{labels.site_base()}/site/{site.pk}"


def _offset(moment):
    offset = timezone.localtime(moment).strftime("%z")
    return f"{offset[:3]}:{offset[3:]}"


def _event(lot, event, lot_id):
    data = {
        "type": "ObjectEvent",
        "eventID": f"{labels.site_base()}/event/{event.pk}",
        "eventTime": event.occurred_at.isoformat(),
        "eventTimeZoneOffset": _offset(event.occurred_at),
        "recordTime": event.recorded_at.isoformat(),
        "action": "ADD" if event.kind == "harvest" else "OBSERVE",
        "bizStep": BIZ_STEPS[event.kind],
        "quantityList": [{"epcClass": lot_id, "quantity": float(lot.quantity), "uom": lot.unit}],
    }
    if event.site_id:
        data["readPoint"] = {"id": site_identifier(event.site)}
        data["bizLocation"] = {"id": site_identifier(event.site)}
    extensions = {"ocop:actor": event.actor}
    if event.place:
        extensions["ocop:place"] = event.place
    if event.note:
        extensions["ocop:note"] = event.note
    data.update(extensions)
    return data


def lot_epcis(lot, events):
    """An EPCIS 2.0 document (JSON-LD) with one ObjectEvent per lot event, and the lot's master data."""
    lot_id = lot_identifier(lot)
    producer = lot.product.producer
    return {
        "@context": [EPCIS_CONTEXT, {"ocop": "https://ocop.gov.vn/epcis/"}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(),
        "epcisHeader": {
            "epcisMasterData": {
                "vocabularyList": [
                    {
                        "type": "urn:epcglobal:epcis:vtype:EPCClass",
                        "vocabularyElementList": [
                            {
                                "id": lot_id,
                                "attributes": [
                                    {"id": "urn:epcglobal:cbv:mda#descriptionShort", "attribute": lot.product.name},
                                    {"id": "urn:epcglobal:cbv:mda#lotNumber", "attribute": lot.code},
                                    {
                                        "id": "urn:epcglobal:cbv:mda#dateOfManufacture",
                                        "attribute": lot.produced_on.isoformat(),
                                    },
                                    *(
                                        [
                                            {
                                                "id": "urn:epcglobal:cbv:mda#itemExpirationDate",
                                                "attribute": lot.expires_on.isoformat(),
                                            }
                                        ]
                                        if lot.expires_on
                                        else []
                                    ),
                                    {
                                        "id": "urn:epcglobal:cbv:mda#manufacturerOfTradeItemPartyName",
                                        "attribute": producer.name,
                                    },
                                ],
                            }
                        ],
                    },
                    {
                        "type": "urn:epcglobal:epcis:vtype:Location",
                        "vocabularyElementList": [
                            {
                                "id": site_identifier(site),
                                "attributes": [
                                    {"id": "urn:epcglobal:cbv:mda#name", "attribute": site.name},
                                    {"id": "urn:epcglobal:cbv:mda#streetAddressOne", "attribute": site.address},
                                    {"id": "urn:epcglobal:cbv:mda#city", "attribute": site.commune.name},
                                    *(
                                        [
                                            {"id": "urn:epcglobal:cbv:mda#latitude", "attribute": str(site.latitude)},
                                            {"id": "urn:epcglobal:cbv:mda#longitude", "attribute": str(site.longitude)},
                                        ]
                                        if site.latitude is not None
                                        else []
                                    ),
                                ],
                            }
                            for site in lot.sites.select_related("commune")
                        ],
                    },
                ]
            }
        },
        "epcisBody": {"eventList": [_event(lot, e, lot_id) for e in events]},
    }


def lot_csv(lot, events):
    """One line per event (or one line without event data), UTF-8 with BOM; column names as in docs/trace.md."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    producer = lot.product.producer
    sites = "; ".join(f"{s.name} ({s.address})" for s in lot.sites.all())
    common = [
        lot.code,
        lot.product.name,
        lot.product.gtin,
        producer.name,
        producer.tax_code or "",
        lot.produced_on.strftime("%d/%m/%Y"),
        lot.expires_on.strftime("%d/%m/%Y") if lot.expires_on else "",
        f"{lot.quantity:f}".rstrip("0").rstrip("."),
        lot.unit,
        " | ".join(line.strip() for line in lot.inputs.splitlines() if line.strip()),
        sites,
    ]
    rows = [
        [
            e.get_kind_display(),
            timezone.localtime(e.occurred_at).strftime("%d/%m/%Y %H:%M"),
            e.where,
            e.actor,
            e.note.replace("\n", " "),
        ]
        for e in events
    ] or [["", "", "", "", ""]]
    for row in rows:
        writer.writerow(common + row)
    return out.getvalue()
