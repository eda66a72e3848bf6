"""Demo products for ``manage.py seed_demo``: two products for each demo producer, all six groups (idempotent).

Runs after apps.demo.producers (INSTALLED_APPS order). No image files are created here: the certified products
get their photos in apps.demo.catalog (see :mod:`apps.demo.photos`).
"""

from django.db import transaction

from apps.demo.producers import PRODUCERS, _demo_admin
from apps.producers.models import Producer
from apps.products.models import Product, ProductSet
from apps.products.services import product_create

# producer name → [(product name, product set code, packaging, lowest price, highest price)]
PRODUCTS = {
    "Công ty TNHH Chả mực Hạ Long": [
        ("Chả mực Hạ Long", "TP08", "Hộp 500 g hút chân không", 180_000, 450_000),
        ("Mực khô Hạ Long", "TP08", "Túi 250 g", 250_000, 600_000),
    ],
    "HTX Nước mắm Cái Rồng": [
        ("Nước mắm Cái Rồng", "TP09", "Chai thủy tinh 500 ml", 90_000, 220_000),
        ("Ruốc tôm Cái Rồng", "TP10", "Hũ 200 g", 60_000, 120_000),
    ],
    "HTX Ba kích Ba Chẽ": [
        ("Rượu ba kích Quảng Ninh", "DU01", "Bình sứ 500 ml", 250_000, 700_000),
        ("Ba kích tím sấy khô Ba Chẽ", "DL01", "Túi 500 g", 300_000, 550_000),
    ],
    "HTX Gà Tiên Yên": [
        ("Gà Tiên Yên", "TP02", "Gà nguyên con, túi hút chân không", 220_000, 320_000),
        ("Gà Tiên Yên ủ muối", "TP08", "Hộp 1 con", 280_000, 380_000),
    ],
    "HTX Dịch vụ nông nghiệp Bình Liêu": [
        ("Miến dong Bình Liêu", "TP06", "Túi 500 g", 45_000, 90_000),
        ("Tinh dầu hồi Bình Liêu", "DL03", "Lọ 50 ml", 120_000, 250_000),
    ],
    "Công ty CP Gốm Đông Triều": [
        ("Gốm men lam Đông Triều", "TC01", "Hộp giấy có lót xốp", 150_000, 2_500_000),
        ("Bình hút lộc Đông Triều", "TC01", "Hộp gỗ", 450_000, 1_800_000),
    ],
    "Hộ kinh doanh Hà Thị Hằng": [
        ("Hàu sữa Quảng Yên", "TP02", "Thùng xốp 5 kg", 80_000, 150_000),
        ("Nem chả Quảng Yên", "TP08", "Cặp 10 chiếc", 50_000, 100_000),
    ],
    "HTX Hải sản Cô Tô": [
        ("Mực một nắng Cô Tô", "TP08", "Túi 500 g hút chân không", 350_000, 650_000),
        ("Homestay biển Cô Tô", "DV01", "", 400_000, 1_200_000),
    ],
    "Tổ hợp tác Chè Hải Hà": [
        ("Chè Hải Hà", "TP11", "Túi 200 g", 80_000, 200_000),
        ("Trà hoa vàng Hải Hà", "TP12", "Hộp 50 g", 300_000, 900_000),
    ],
    "HTX Sá sùng Vạn Ninh": [
        ("Sá sùng khô Vạn Ninh", "TP08", "Hộp 100 g", 500_000, 1_200_000),
        ("Tôm he Móng Cái", "TP02", "Hộp 1 kg", 350_000, 700_000),
    ],
    "Công ty TNHH Yên Tử Xanh": [
        ("Rượu mơ Yên Tử", "DU02", "Chai 700 ml", 180_000, 350_000),
        ("Trà xanh Yên Tử", "TP11", "Hộp 100 g", 90_000, 180_000),
    ],
    "HTX Nông lâm Kỳ Thượng": [
        ("Mật ong rừng Kỳ Thượng", "TP04", "Chai 500 ml", 250_000, 450_000),
        ("Măng rừng sấy khô Kỳ Thượng", "TP07", "Túi 500 g", 120_000, 220_000),
    ],
    "HTX Nông nghiệp Đầm Hà": [
        ("Gạo nếp cái hoa vàng Đầm Hà", "TP03", "Túi 2 kg", 70_000, 140_000),
        ("Thịt lợn bản Đầm Hà", "TP02", "Khay 1 kg", 150_000, 220_000),
    ],
    "Tổ hợp tác Lan rừng Vân Đồn": [
        ("Lan rừng Vân Đồn", "SV01", "Chậu", 150_000, 2_000_000),
        ("Bonsai đá Vân Đồn", "SV02", "Chậu gốm", 500_000, 5_000_000),
    ],
    "Hộ kinh doanh Homestay Quan Lạn": [
        ("Du lịch cộng đồng Quan Lạn", "DV01", "", 350_000, 900_000),
        ("Sá sùng Quan Lạn", "TP08", "Hộp 100 g", 550_000, 1_300_000),
    ],
    "HTX Nông sản Đắk Kôi": [
        ("Măng khô Đắk Kôi", "TP07", "Túi 500 g", 110_000, 200_000),
        ("Mật ong rừng Đắk Kôi", "TP04", "Chai 500 ml", 230_000, 400_000),
    ],
    "Tổ hợp tác Dệt thổ cẩm Đắk Kôi": [
        ("Thổ cẩm Xơ Đăng Đắk Kôi", "TC02", "Túi vải", 250_000, 1_500_000),
        ("Gùi mây tre Đắk Kôi", "TC01", "", 200_000, 800_000),
    ],
    "HTX Sâm dây Đắk Rve": [
        ("Sâm dây Kon Rẫy", "DL01", "Hộp 500 g", 400_000, 900_000),
        ("Rượu sâm dây Đắk Rve", "DU01", "Bình thủy tinh 1 lít", 300_000, 650_000),
    ],
    "Hộ kinh doanh Y Lan": [
        ("Cơm lam Đắk Rve", "TP06", "Khay 5 ống", 60_000, 100_000),
        ("Thịt heo rẫy Kon Rẫy", "TP02", "Khay 1 kg", 160_000, 240_000),
    ],
    "HTX Nông nghiệp Đắk Tơ Lung": [
        ("Cà phê Robusta Kon Rẫy", "TP13", "Túi 500 g", 110_000, 200_000),
        ("Bột nghệ Đắk Tơ Lung", "TP10", "Hũ 200 g", 70_000, 130_000),
    ],
    "Công ty CP Sâm Ngọc Linh Kon Tum": [
        ("Sâm Ngọc Linh Kon Tum", "DL01", "Hộp gỗ 100 g", 20_000_000, 80_000_000),
        ("Trà túi lọc sâm Ngọc Linh", "TP12", "Hộp 20 túi", 350_000, 700_000),
    ],
    "HTX Cà phê Đắk Hà": [
        ("Cà phê Đắk Hà", "TP13", "Túi 500 g", 120_000, 250_000),
        ("Cà phê rang xay Đắk Hà", "TP13", "Hộp 250 g", 90_000, 160_000),
    ],
    "Công ty TNHH Du lịch Măng Đen": [
        ("Du lịch sinh thái Măng Đen", "DV01", "", 500_000, 2_000_000),
        ("Dâu tây Măng Đen", "TP01", "Hộp 500 g", 150_000, 300_000),
    ],
    "HTX Hoa Măng Đen": [
        ("Hoa lan Măng Đen", "SV01", "Chậu", 200_000, 1_500_000),
        ("Hoa cát tường Măng Đen", "SV01", "Bó 10 cành", 80_000, 150_000),
    ],
    "HTX Nông dược Sa Thầy": [
        ("Tinh dầu sả Sa Thầy", "DL03", "Lọ 100 ml", 90_000, 180_000),
        ("Rượu cần Sa Thầy", "DU02", "Ché 5 lít", 350_000, 700_000),
    ],
    "HTX Nông nghiệp Plei Kần": [
        ("Chuối sấy Ngọc Hồi", "TP07", "Túi 300 g", 50_000, 90_000),
        ("Mật ong Ngọc Hồi", "TP04", "Chai 500 ml", 200_000, 350_000),
    ],
    "Hộ kinh doanh A Phương": [
        ("Gạo nếp than Đắk Tô", "TP03", "Túi 2 kg", 80_000, 150_000),
        ("Rượu ghè Đắk Tô", "DU02", "Ghè 3 lít", 250_000, 500_000),
    ],
    "Công ty TNHH Mỹ phẩm thảo dược Kroong": [
        ("Xà phòng thảo dược Kon Tum", "DL02", "Bánh 100 g", 45_000, 90_000),
        ("Dầu gội bồ kết Kon Tum", "DL02", "Chai 300 ml", 120_000, 220_000),
    ],
    "HTX Dược liệu Tu Mơ Rông": [
        ("Đương quy Tu Mơ Rông", "DL01", "Túi 500 g", 150_000, 300_000),
        ("Cao sâm dây Tu Mơ Rông", "DL01", "Lọ 100 g", 350_000, 700_000),
    ],
    "Tổ hợp tác Cá tầm Măng Buk": [
        ("Cá tầm Kon Plông", "TP02", "Thùng đá 3 kg", 300_000, 450_000),
        ("Cá tầm hun khói Kon Plông", "TP08", "Túi 500 g", 350_000, 600_000),
    ],
    "HTX Hải sản Lăng Cô": [
        ("Mắm ruốc Lăng Cô", "TP09", "Hũ 500 g", 60_000, 120_000),
        ("Du lịch cộng đồng đầm Lập An", "DV01", "", 250_000, 800_000),
    ],
    "Cơ sở Mè xửng Song Hỷ": [
        ("Mè xửng Huế", "TP06", "Hộp 250 g", 35_000, 80_000),
        ("Kẹo gương Huế", "TP06", "Hộp 200 g", 30_000, 70_000),
    ],
    "Công ty TNHH Trà cung đình Huế": [
        ("Trà cung đình Huế", "TP12", "Hộp 20 túi", 80_000, 180_000),
        ("Trà sen Tịnh Tâm", "TP12", "Hộp 100 g", 250_000, 600_000),
    ],
    "HTX Nón lá Kim Long": [
        ("Nón bài thơ Huế", "TC01", "", 80_000, 350_000),
        ("Áo dài thêu tay Kim Long", "TC02", "Hộp giấy", 1_200_000, 4_000_000),
    ],
    "HTX Nông nghiệp Phú Vang": [
        ("Tôm chua Huế", "TP08", "Hũ 500 g", 120_000, 220_000),
        ("Gạo hữu cơ Phú Vang", "TP03", "Túi 5 kg", 120_000, 200_000),
    ],
    "HTX Nước mắm Tư Hiền": [
        ("Nước mắm Tư Hiền", "TP09", "Chai 500 ml", 80_000, 180_000),
        ("Mắm nêm Tư Hiền", "TP09", "Chai 300 ml", 40_000, 80_000),
    ],
    "HTX Dầu tràm Hương Trà": [
        ("Dầu tràm Huế", "DL03", "Chai 100 ml", 70_000, 150_000),
        ("Dầu xoa bóp thảo dược Hương Trà", "DL01", "Lọ 50 ml", 60_000, 120_000),
    ],
    "HTX Dệt Zèng A Lưới": [
        ("Dệt Zèng A Lưới", "TC02", "Túi vải", 300_000, 3_000_000),
        ("Khăn thổ cẩm A Lưới", "TC02", "", 150_000, 450_000),
    ],
    "Hộ kinh doanh Hồ Văn Lanh": [
        ("Gạo A Ríh A Lưới", "TP03", "Túi 2 kg", 70_000, 130_000),
        ("Rượu đoác A Lưới", "DU02", "Chai 500 ml", 100_000, 200_000),
    ],
    "Công ty CP Thanh trà Huế": [
        ("Bưởi thanh trà Huế", "TP01", "Thùng 10 kg", 250_000, 450_000),
        ("Tinh dầu bưởi Huế", "DL03", "Lọ 30 ml", 90_000, 180_000),
    ],
    "Công ty TNHH Đặc sản Gia Hội": [
        ("Bún bò Huế đóng gói", "TP05", "Gói 120 g", 25_000, 45_000),
        ("Chè hạt sen Huế", "TP07", "Hộp 250 g", 60_000, 120_000),
    ],
    "HTX Nông nghiệp Nam Đông": [
        ("Mật ong Nam Đông", "TP04", "Chai 500 ml", 200_000, 350_000),
        ("Chuối hột rừng Nam Đông", "TP07", "Túi 500 g", 60_000, 120_000),
    ],
    "Tổ hợp tác Hoa giấy Thanh Tiên": [
        ("Hoa giấy Thanh Tiên", "TC01", "Hộp giấy", 50_000, 500_000),
        ("Tranh làng Sình", "TC01", "Ống giấy", 40_000, 300_000),
    ],
    "Công ty CP Suối khoáng Bình Điền": [
        ("Nước khoáng nóng Bình Điền", "DU03", "Chai 500 ml", 8_000, 15_000),
        ("Du lịch suối khoáng nóng Bình Điền", "DV01", "", 200_000, 1_500_000),
    ],
    "HTX Hải sản Thuận An": [
        ("Cá khô Thuận An", "TP08", "Túi 500 g", 120_000, 300_000),
        ("Mực rim Thuận An", "TP08", "Hũ 250 g", 120_000, 220_000),
    ],
    "Cơ sở Bánh tráng Thuận Hưng": [
        ("Bánh tráng Cần Thơ", "TP06", "Túi 500 g", 30_000, 60_000),
        ("Bánh tráng sữa Thuận Hưng", "TP06", "Túi 10 cái", 35_000, 70_000),
    ],
    "HTX Vườn trái cây Phong Điền": [
        ("Dâu Hạ Châu Phong Điền", "TP01", "Thùng 5 kg", 150_000, 350_000),
        ("Du lịch miệt vườn Phong Điền", "DV01", "", 150_000, 600_000),
    ],
    "HTX Du lịch chợ nổi Cái Răng": [
        ("Du lịch chợ nổi Cái Răng", "DV01", "", 200_000, 800_000),
        ("Hủ tiếu khô Cái Răng", "TP06", "Túi 500 g", 35_000, 60_000),
    ],
    "Công ty CP Gạo Cờ Đỏ": [
        ("Gạo ST25 Cờ Đỏ", "TP03", "Túi 5 kg", 150_000, 220_000),
        ("Bánh gạo lứt Cờ Đỏ", "TP06", "Hộp 200 g", 40_000, 70_000),
    ],
    "HTX Nông nghiệp Thới Lai": [
        ("Nấm rơm Thới Lai", "TP01", "Khay 300 g", 40_000, 80_000),
        ("Khô cá lóc Thới Lai", "TP08", "Túi 500 g", 180_000, 300_000),
    ],
    "Cơ sở Bánh pía Tân Huê Viên": [
        ("Bánh pía Sóc Trăng", "TP06", "Hộp 4 cái", 60_000, 150_000),
        ("Lạp xưởng Sóc Trăng", "TP08", "Túi 500 g", 120_000, 200_000),
    ],
    "HTX Mía Cù Lao Dung": [
        ("Mật mía Cù Lao Dung", "TP04", "Chai 500 ml", 50_000, 90_000),
        ("Nước ép mía Cù Lao Dung", "DU04", "Chai 330 ml", 15_000, 25_000),
    ],
    "HTX Hành tím Vĩnh Châu": [
        ("Hành tím Vĩnh Châu", "TP01", "Túi lưới 1 kg", 40_000, 90_000),
        ("Hành tím sấy giòn Vĩnh Châu", "TP07", "Hũ 200 g", 45_000, 80_000),
    ],
    "HTX Khóm Hỏa Lựu": [
        ("Khóm Cầu Đúc Hậu Giang", "TP01", "Thùng 10 trái", 100_000, 180_000),
        ("Rượu khóm Hậu Giang", "DU02", "Chai 500 ml", 120_000, 250_000),
    ],
    "HTX Chanh không hạt Long Mỹ": [
        ("Chanh không hạt Long Mỹ", "TP01", "Túi lưới 2 kg", 30_000, 60_000),
        ("Nước cốt chanh Long Mỹ", "DU04", "Chai 500 ml", 45_000, 90_000),
    ],
    "HTX Bưởi Năm Roi Phụng Hiệp": [
        ("Bưởi Năm Roi Phụng Hiệp", "TP01", "Thùng 10 kg", 200_000, 350_000),
        ("Mứt vỏ bưởi Phụng Hiệp", "TP07", "Hộp 250 g", 50_000, 90_000),
    ],
    "Hộ kinh doanh Ô Môn Xanh": [
        ("Chả cá thát lát Ô Môn", "TP08", "Khay 500 g", 90_000, 160_000),
        ("Mắm cá linh Ô Môn", "TP09", "Hũ 500 g", 70_000, 130_000),
    ],
    "HTX Đan lục bình Thốt Nốt": [
        ("Túi xách lục bình Thốt Nốt", "TC01", "", 150_000, 600_000),
        ("Thảm lục bình Thốt Nốt", "TC01", "", 200_000, 900_000),
    ],
    "Tổ hợp tác Hoa kiểng Châu Thành": [
        ("Mai vàng Châu Thành", "SV02", "Chậu", 800_000, 20_000_000),
        ("Cá Koi Châu Thành", "SV03", "Túi oxy", 150_000, 5_000_000),
    ],
    "HTX Nông sản Kế Sách": [
        ("Tương hột Kế Sách", "TP09", "Hũ 500 g", 35_000, 70_000),
        ("Tinh dầu sả chanh Kế Sách", "DL03", "Lọ 50 ml", 80_000, 160_000),
    ],
}


def _describe(name, producer):
    return (
        f"{name} do {producer.name} sản xuất tại {producer.commune.name}, "
        "từ nguyên liệu của địa phương theo cách làm truyền thống."
    )


def _story(name, producer):
    return (
        f"{name} gắn với nghề truyền thống của người dân {producer.commune.name}. "
        "Qua nhiều thế hệ, bà con giữ cách làm riêng, nay được chuẩn hóa quy trình và bao bì để đưa sản phẩm "
        "đi xa hơn."
    )


@transaction.atomic
def seed():
    by = _demo_admin()
    if by is None:
        return []
    sets = {s.code: s for s in ProductSet.objects.all()}
    names = [spec[2] for spec in PRODUCERS]
    producers = {p.name: p for p in Producer.objects.filter(name__in=names).select_related("commune")}
    products = []
    for producer_name, specs in PRODUCTS.items():
        producer = producers.get(producer_name)
        if producer is None:
            continue
        for name, set_code, packaging, low, high in specs:
            product = Product.objects.filter(name=name, producer=producer).first()
            if product is None:
                product = product_create(
                    by=by,
                    name=name,
                    product_set=sets[set_code],
                    producer=producer,
                    commune=producer.commune,
                    description=_describe(name, producer),
                    story=_story(name, producer),
                    packaging=packaging,
                    price_min=low,
                    price_max=high,
                    where_to_buy=f"Tại cơ sở: {producer.address}, {producer.commune.name}; các điểm bán sản phẩm OCOP.",
                )
            products.append(product)
    return products
