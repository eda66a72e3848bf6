"""The 6 groups and 26 product sets of Decision 148/QĐ-TTg, Annex I, with stable codes."""

GROUPS = [
    (
        "TP",
        "Thực phẩm",
        [
            ("TP01", "Rau, củ, quả, hạt tươi"),
            ("TP02", "Thịt, trứng, sữa, thủy sản tươi"),
            ("TP03", "Gạo, ngũ cốc"),
            ("TP04", "Mật ong và nông sản thực phẩm khác"),
            ("TP05", "Đồ ăn nhanh"),
            ("TP06", "Chế biến từ gạo, ngũ cốc"),
            ("TP07", "Chế biến từ rau, củ, quả, hạt"),
            ("TP08", "Chế biến từ thịt, trứng, sữa, thủy sản, mật ong"),
            ("TP09", "Tương, nước mắm, gia vị dạng lỏng khác"),
            ("TP10", "Gia vị khác"),
            ("TP11", "Chè (trà)"),
            ("TP12", "Các sản phẩm trà khác (trà thảo mộc)"),
            ("TP13", "Cà phê, ca cao"),
        ],
    ),
    (
        "DU",
        "Đồ uống",
        [
            ("DU01", "Rượu trắng"),
            ("DU02", "Đồ uống có cồn khác"),
            ("DU03", "Nước khoáng thiên nhiên, nước uống đóng chai"),
            ("DU04", "Đồ uống không cồn khác"),
        ],
    ),
    (
        "DL",
        "Dược liệu và sản phẩm từ dược liệu",
        [
            ("DL01", "Thực phẩm chức năng, thuốc dược liệu, thuốc y học cổ truyền"),
            ("DL02", "Mỹ phẩm có thành phần từ thảo dược"),
            ("DL03", "Tinh dầu và sản phẩm khác từ dược liệu"),
        ],
    ),
    (
        "TC",
        "Hàng thủ công mỹ nghệ",
        [
            ("TC01", "Thủ công mỹ nghệ gia dụng, trang trí"),
            ("TC02", "Vải, may mặc"),
        ],
    ),
    (
        "SV",
        "Sinh vật cảnh",
        [
            ("SV01", "Hoa"),
            ("SV02", "Cây cảnh"),
            ("SV03", "Động vật cảnh"),
        ],
    ),
    (
        "DV",
        "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
        [
            ("DV01", "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"),
        ],
    ),
]

# Sets whose products bring no samples to the council.
SETS_WITHOUT_SAMPLES = {"DV01"}
