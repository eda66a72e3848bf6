"""Demo producers for ``manage.py seed_demo``: 60 producers in the four demo provinces (idempotent).

Quảng Ninh and Kon Tum use the 2024 three-tier units, Huế and Cần Thơ the 2025 two-tier units. Tax codes
are invented but well-formed (the province's prefix + 8 digits). The demo producer account
chuthe.dakkoi@ocop.example is linked to the cooperative of Xã Đắk Kôi.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction

from apps.accounts.models import User
from apps.geo.enums import Edition, Level
from apps.geo.models import AdministrativeUnit
from apps.producers.enums import DocumentKind, ProducerKind
from apps.producers.models import Producer
from apps.producers.services import document_upload, producer_create, producer_update

HTX, DN, THT, HKD = (
    ProducerKind.COOPERATIVE,
    ProducerKind.ENTERPRISE,
    ProducerKind.COOPERATIVE_GROUP,
    ProducerKind.HOUSEHOLD,
)
E24, E25 = Edition.THREE_TIER_2024, Edition.TWO_TIER_2025
DEMO_PRODUCER_EMAIL = "chuthe.dakkoi@ocop.example"
DAK_KOI_PRODUCER = "HTX Nông sản Đắk Kôi"

# (edition, commune code, name, kind, legal representative, address)
PRODUCERS = [
    # Quảng Ninh (2024)
    (E24, "06673", "Công ty TNHH Chả mực Hạ Long", DN, "Phạm Văn Hải", "Số 12 đường Hạ Long, khu 2"),
    (E24, "06994", "HTX Nước mắm Cái Rồng", HTX, "Đỗ Thị Thu", "Khu 5, thị trấn Cái Rồng"),
    (E24, "06970", "HTX Ba kích Ba Chẽ", HTX, "Bàn Văn Sơn", "Khu 3, thị trấn Ba Chẽ"),
    (E24, "06862", "HTX Gà Tiên Yên", HTX, "Hoàng Văn Tuấn", "Phố Lý Thường Kiệt"),
    (E24, "06838", "HTX Dịch vụ nông nghiệp Bình Liêu", HTX, "Lục Thị Mai", "Khu Bình Công"),
    (E24, "07069", "Công ty CP Gốm Đông Triều", DN, "Nguyễn Văn Gốm", "Khu Vĩnh Sơn"),
    (E24, "07132", "Hộ kinh doanh Hà Thị Hằng", HKD, "Hà Thị Hằng", "Số 8 phố Trần Khánh Dư"),
    (E24, "07192", "HTX Hải sản Cô Tô", HTX, "Vũ Văn Biển", "Khu 1, thị trấn Cô Tô"),
    (E24, "06922", "Tổ hợp tác Chè Hải Hà", THT, "Trần Thị Chè", "Thôn 4"),
    (E24, "06748", "HTX Sá sùng Vạn Ninh", HTX, "Lê Văn Ninh", "Thôn Tràng Vỹ"),
    (E24, "06808", "Công ty TNHH Yên Tử Xanh", DN, "Đặng Minh Tử", "Khu Nam Mẫu"),
    (E24, "07033", "HTX Nông lâm Kỳ Thượng", HTX, "Triệu Văn Thượng", "Thôn Khe Phương"),
    (E24, "06895", "HTX Nông nghiệp Đầm Hà", HTX, "Nguyễn Thị Đầm", "Phố Lý Tự Trọng"),
    (E24, "07012", "Tổ hợp tác Lan rừng Vân Đồn", THT, "Phạm Thị Lan", "Thôn Đông Thắng"),
    (E24, "07024", "Hộ kinh doanh Homestay Quan Lạn", HKD, "Trần Văn Lạn", "Thôn Mỹ Hòa"),
    # Kon Tum (2024), Huyện Kon Rẫy first
    (E24, "23482", DAK_KOI_PRODUCER, HTX, "A Thương", "Thôn 7, xã Đắk Kôi"),
    (E24, "23482", "Tổ hợp tác Dệt thổ cẩm Đắk Kôi", THT, "Y Hoa", "Làng Kon Đào"),
    (E24, "23479", "HTX Sâm dây Đắk Rve", HTX, "A Hùng", "Tổ dân phố 3"),
    (E24, "23479", "Hộ kinh doanh Y Lan", HKD, "Y Lan", "Tổ dân phố 1"),
    (E24, "23485", "HTX Nông nghiệp Đắk Tơ Lung", HTX, "A Khoa", "Thôn 2"),
    (E24, "23365", "Công ty CP Sâm Ngọc Linh Kon Tum", DN, "Nguyễn Văn Linh", "Thôn Tu Dốp"),
    (E24, "23500", "HTX Cà phê Đắk Hà", HTX, "Lê Văn Hà", "Tổ dân phố 4"),
    (E24, "23473", "Công ty TNHH Du lịch Măng Đen", DN, "Trương Thị Đen", "Tiểu khu 1"),
    (E24, "23473", "HTX Hoa Măng Đen", HTX, "Y Nhung", "Tiểu khu 5"),
    (E24, "23527", "HTX Nông dược Sa Thầy", HTX, "A Phúc", "Thôn 1"),
    (E24, "23377", "HTX Nông nghiệp Plei Kần", HTX, "Đinh Văn Kần", "Tổ 2"),
    (E24, "23401", "Hộ kinh doanh A Phương", HKD, "A Phương", "Khối 6"),
    (E24, "23314", "Công ty TNHH Mỹ phẩm thảo dược Kroong", DN, "Y Dung", "Thôn Kroong Klah"),
    (E24, "23422", "HTX Dược liệu Tu Mơ Rông", HTX, "A Quang", "Thôn Đăk Chum"),
    (E24, "23458", "Tổ hợp tác Cá tầm Măng Buk", THT, "A Tâm", "Thôn Vi Pơ Ê"),
    # Huế (2025)
    (E25, "20152", "HTX Hải sản Lăng Cô", HTX, "Hồ Văn Cô", "Tổ dân phố Hải Vân"),
    (E25, "19777", "Cơ sở Mè xửng Song Hỷ", HKD, "Lê Thị Hỷ", "Số 8 Nguyễn Sinh Cung"),
    (E25, "19768", "Công ty TNHH Trà cung đình Huế", DN, "Tôn Nữ Thanh Trà", "Số 15 Đinh Tiên Hoàng"),
    (E25, "19810", "HTX Nón lá Kim Long", HTX, "Nguyễn Thị Nón", "Số 40 Kim Long"),
    (E25, "19942", "HTX Nông nghiệp Phú Vang", HTX, "Trần Văn Vang", "Thôn Hà Thanh"),
    (E25, "20107", "HTX Nước mắm Tư Hiền", HTX, "Phan Văn Hiền", "Thôn Hiền An"),
    (E25, "19996", "HTX Dầu tràm Hương Trà", HTX, "Lê Văn Tràm", "Tổ dân phố Bồn Trì"),
    (E25, "20044", "HTX Dệt Zèng A Lưới", HTX, "Kăn Thị Zèng", "Thôn A Ka"),
    (E25, "20056", "Hộ kinh doanh Hồ Văn Lanh", HKD, "Hồ Văn Lanh", "Thôn A Ríh"),
    (E25, "19975", "Công ty CP Thanh trà Huế", DN, "Nguyễn Thanh Trà", "Tổ dân phố Thanh Lam"),
    (E25, "19786", "Công ty TNHH Đặc sản Gia Hội", DN, "Trần Thị Hội", "Số 21 Chi Lăng"),
    (E25, "20179", "HTX Nông nghiệp Nam Đông", HTX, "Hồ Văn Nam", "Thôn 4"),
    (E25, "19819", "Tổ hợp tác Hoa giấy Thanh Tiên", THT, "Thân Văn Tiên", "Làng Thanh Tiên"),
    (E25, "20035", "Công ty CP Suối khoáng Bình Điền", DN, "Lê Văn Điền", "Thôn Bình Thành"),
    (E25, "19900", "HTX Hải sản Thuận An", HTX, "Ngô Văn An", "Tổ dân phố Hải Tiến"),
    # Cần Thơ (2025)
    (E25, "31207", "Cơ sở Bánh tráng Thuận Hưng", HKD, "Nguyễn Thị Hưng", "Khu vực Tân Phước"),
    (E25, "31299", "HTX Vườn trái cây Phong Điền", HTX, "Lê Văn Điền", "Ấp Nhơn Lộc"),
    (E25, "31186", "HTX Du lịch chợ nổi Cái Răng", HTX, "Trần Văn Răng", "Khu vực Yên Thượng"),
    (E25, "31261", "Công ty CP Gạo Cờ Đỏ", DN, "Phạm Văn Đỏ", "Ấp Thới Hòa"),
    (E25, "31258", "HTX Nông nghiệp Thới Lai", HTX, "Võ Văn Lai", "Ấp Thới Thuận"),
    (E25, "31507", "Cơ sở Bánh pía Tân Huê Viên", HKD, "Lâm Thị Huê", "Số 208 Phú Lợi"),
    (E25, "31633", "HTX Mía Cù Lao Dung", HTX, "Trương Văn Dung", "Ấp Phạm Thành Hơn"),
    (E25, "31783", "HTX Hành tím Vĩnh Châu", HTX, "Thạch Thị Châu", "Khóm Biển Dưới"),
    (E25, "31338", "HTX Khóm Hỏa Lựu", HTX, "Nguyễn Văn Lựu", "Ấp Thạnh Lợi"),
    (E25, "31471", "HTX Chanh không hạt Long Mỹ", HTX, "Huỳnh Văn Mỹ", "Khu vực 4"),
    (E25, "31420", "HTX Bưởi Năm Roi Phụng Hiệp", HTX, "Lê Thị Roi", "Ấp Mỹ Phú"),
    (E25, "31153", "Hộ kinh doanh Ô Môn Xanh", HKD, "Trần Văn Môn", "Khu vực Thới Hòa"),
    (E25, "31212", "HTX Đan lục bình Thốt Nốt", HTX, "Nguyễn Thị Nốt", "Khu vực Phụng Thạnh"),
    (E25, "31366", "Tổ hợp tác Hoa kiểng Châu Thành", THT, "Lê Văn Kiểng", "Ấp Phú Xuân"),
    (E25, "31528", "HTX Nông sản Kế Sách", HTX, "Trịnh Văn Sách", "Ấp An Thới"),
]

# Tax-code prefixes of the demo provinces (Quảng Ninh 57, Kon Tum 61, Huế 33, Cần Thơ 18).
_TAX_PREFIX = {"22": "57", "62": "61", "46": "33", "92": "18"}


def _tax_code(commune, index, kind):
    if kind == THT and index % 2 == 0:
        return None  # a cooperative group may have no tax code
    province_code = commune.path.split("/")[1]
    return f"{_TAX_PREFIX.get(province_code, '01')}{index + 1:08d}"


def demo_pdf(title):
    """A small, valid one-page PDF saying what it stands for (ASCII text: the demo needs no fonts)."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 50 780 Td (OCOP demo document: " + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# (kind, issued on, expires on). Every demo producer holds valid documents, so dossiers can be submitted;
# every fifth also keeps an expired food-safety certificate, which the vault flags.
DEMO_DOCUMENTS = [
    (DocumentKind.BUSINESS_REGISTRATION, datetime.date(2020, 3, 2), None),
    (DocumentKind.FOOD_SAFETY, datetime.date(2024, 9, 16), datetime.date(2027, 9, 15)),
    (DocumentKind.QUALITY_DECLARATION, datetime.date(2024, 10, 1), None),
    (DocumentKind.TEST_REPORT, datetime.date(2025, 5, 20), None),
]
EXPIRED_DOCUMENT = (DocumentKind.FOOD_SAFETY, datetime.date(2021, 7, 1), datetime.date(2024, 6, 30))


def seed_documents(producer, index, by):
    if producer.documents.exists():
        return
    specs = DEMO_DOCUMENTS + ([EXPIRED_DOCUMENT] if index % 5 == 0 else [])
    for kind, issued_on, expires_on in specs:
        name = f"{producer.slug}-{kind}.pdf"
        document_upload(
            producer=producer,
            by=by,
            kind=kind,
            title=f"Số {index + 1:03d}/{issued_on.year}",
            file=ContentFile(demo_pdf(f"{kind.value} / {producer.slug}"), name=name),
            issued_on=issued_on,
            expires_on=expires_on,
        )


def _demo_admin():
    return User.objects.filter(email="admin@ocop.example").first()


@transaction.atomic
def seed():
    by = _demo_admin()
    if by is None:
        return []
    communes = {
        (u.edition, u.code): u
        for u in AdministrativeUnit.objects.filter(level=Level.COMMUNE, code__in={spec[1] for spec in PRODUCERS})
    }
    producers = []
    for index, (edition, code, name, kind, representative, address) in enumerate(PRODUCERS):
        commune = communes.get((edition, code))
        if commune is None:
            continue
        producer = Producer.objects.filter(name=name, commune=commune).first()
        if producer is None:
            workers = 6 + (index * 7) % 40
            producer = producer_create(
                by=by,
                name=name,
                kind=kind,
                commune=commune,
                address=address,
                legal_representative=representative,
                phone=f"09{(index * 7919) % 100_000_000:08d}",
                email="",
                tax_code=_tax_code(commune, index, kind),
                founded_year=1995 + (index * 3) % 30,
                members_count=7 + index % 25 if kind in (HTX, THT) else 0,
                workers_count=workers,
                women_workers=workers // 2 + index % 3,
                ethnic_minority_workers=workers // 3 if code.startswith("23") or code.startswith("200") else index % 3,
            )
        seed_documents(producer, index, by)
        producers.append(producer)
    account = User.objects.filter(email=DEMO_PRODUCER_EMAIL).first()
    dak_koi = Producer.objects.filter(name=DAK_KOI_PRODUCER, commune__code="23482", commune__edition=E24).first()
    if account and dak_koi and not dak_koi.accounts.filter(pk=account.pk).exists():
        producer_update(producer=dak_koi, by=by, accounts=[*dak_koi.accounts.all(), account])
    return producers
