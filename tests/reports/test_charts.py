"""The dashboard's charts stay legible on a phone: drawn narrow enough that their text is not shrunk below 9 px."""

import re

from apps.reports import charts

PHONE_CHART_PX = 330  # a 360 px screen less the page's and the card's padding


def _legible(svg):
    width = float(re.search(r'viewBox="0 0 ([\d.]+) [\d.]+"', svg).group(1))
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
    return min(sizes) * PHONE_CHART_PX / width


def test_every_chart_keeps_its_smallest_text_at_9_px_or_more_on_a_phone():
    drawn = [
        charts.hbar([("Huyện Tu Mơ Rông", 3), ("Thành phố Kon Tum", 63)], title="Sản phẩm theo đơn vị"),
        charts.columns([("3 sao", 20), ("4 sao", 7), ("5 sao", 0)], title="Theo hạng sao"),
        charts.paired([("Sản phẩm 3 sao mới", 20, 7)], title="Chỉ tiêu", first="Chỉ tiêu", second="Kết quả"),
    ]
    for svg in drawn:
        assert _legible(svg) >= 9


def test_a_long_label_is_cut_to_fit_its_column():
    svg = charts.hbar([("Số ý tưởng sản phẩm mỗi xã được đăng ký", 1)], title="t")
    label = re.search(r'text-anchor="end">([^<]+)<', svg).group(1)
    assert label.endswith("…") and len(label) == charts.LABEL_MAX_CHARS
    # about 7 units a character at 12 units: the cut label fits left of the bars
    assert len(label) * 7 <= charts.LABEL_WIDTH - 6
