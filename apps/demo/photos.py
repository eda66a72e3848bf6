"""Product photos for the demo, drawn with Pillow at seed time and stored through :func:`photo_add`.

Each picture is a studio-style shot: a softly lit backdrop and table, a shadow, and a simple shaded silhouette
chosen from the product's set and packaging (a bottle for sauces and spirits, a cup for tea and coffee, a pot for
ornamental plants...). The product name is never drawn: the page prints it. Colours vary with the product's slug,
so two products of the same set do not look identical. Nothing here is committed: files go to the media storage.
"""

import hashlib
import io
import math

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter

from apps.products.services import photo_add

WIDTH, HEIGHT = 1200, 900
# Shapes are drawn this many times larger and scaled down: Pillow draws without anti-aliasing.
SUPERSAMPLE = 3
GROUND = 700
CROP = (170, 140, 1030, 785)

# group code → (wall top, wall bottom, table far, table near)
BACKDROPS = {
    "TP": ((250, 236, 214), (228, 196, 158), (176, 122, 80), (124, 80, 48)),
    "DU": ((224, 238, 230), (178, 208, 194), (120, 86, 60), (78, 54, 38)),
    "DL": ((232, 240, 222), (196, 214, 178), (214, 202, 176), (176, 160, 130)),
    "TC": ((246, 230, 214), (222, 188, 160), (200, 164, 106), (160, 124, 72)),
    "SV": ((246, 232, 240), (222, 196, 214), (236, 232, 228), (200, 194, 190)),
}
SEAFOOD_WORDS = ("cá", "mực", "tôm", "hàu", "sá sùng", "ruốc")


def _seed(product):
    return int(hashlib.sha256(product.slug.encode()).hexdigest()[:8], 16)


def _pick(options, seed, salt=0):
    return options[(seed >> salt) % len(options)]


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _scale(color, factor):
    return tuple(max(0, min(255, round(c * factor))) for c in color)


def _jitter(color, seed):
    shift = (seed % 17) - 8
    return tuple(max(0, min(255, c + shift)) for c in color)


def _vertical(size, top, bottom):
    column = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), column)


def _cylinder(size, color, *, gloss=0.25):
    """A fill lit from the upper left: darker edges, a bright band, darker towards the bottom."""
    w, h = size

    def light(t):
        return 0.74 + 0.3 * math.sin(math.pi * t) + gloss * math.exp(-(((t - 0.3) / 0.07) ** 2))

    row = Image.new("RGB", (w, 1))
    row.putdata([_scale(color, light((x + 0.5) / w)) for x in range(w)])
    fill = row.resize((w, h))
    shade = Image.linear_gradient("L").resize((w, h)).point(lambda v: max(0, v - 150))
    return Image.composite(Image.new("RGB", size, _scale(color, 0.62)), fill, shade)


class _Shape:
    """Draws one part into a supersampled mask over its box, in canvas coordinates."""

    def __init__(self, box):
        self.x0, self.y0, x1, y1 = (round(v) for v in box)
        self.size = (max(1, x1 - self.x0), max(1, y1 - self.y0))
        self.mask = Image.new("L", (self.size[0] * SUPERSAMPLE, self.size[1] * SUPERSAMPLE), 0)
        self.draw = ImageDraw.Draw(self.mask)

    def _p(self, x, y):
        return ((x - self.x0) * SUPERSAMPLE, (y - self.y0) * SUPERSAMPLE)

    def ellipse(self, box, fill=255):
        self.draw.ellipse([*self._p(box[0], box[1]), *self._p(box[2], box[3])], fill=fill)
        return self

    def rounded(self, box, radius, fill=255):
        self.draw.rounded_rectangle(
            [*self._p(box[0], box[1]), *self._p(box[2], box[3])], radius * SUPERSAMPLE, fill=fill
        )
        return self

    def polygon(self, points, fill=255):
        self.draw.polygon([self._p(x, y) for x, y in points], fill=fill)
        return self

    def line(self, points, width, fill=255):
        self.draw.line([self._p(x, y) for x, y in points], fill=fill, width=round(width * SUPERSAMPLE))
        return self

    def paint(self, canvas, color, *, flat=False, opacity=1.0):
        mask = self.mask.resize(self.size, Image.Resampling.BOX)
        if opacity < 1:
            mask = mask.point(lambda v: round(v * opacity))
        fill = Image.new("RGB", self.size, color) if flat else _cylinder(self.size, color)
        canvas.paste(fill, (self.x0, self.y0), mask)


def _shadow(canvas, box, strength=0.45):
    """A soft contact shadow on the table, blurred at quarter size over its own area only, for speed."""
    margin = 40
    x0, y0 = round(box[0]) - margin, round(box[1]) - margin
    size = (round(box[2]) + margin - x0, round(box[3]) + margin - y0)
    small = Image.new("L", (size[0] // 4, size[1] // 4), 0)
    inner = [(box[0] - x0) / 4, (box[1] - y0) / 4, (box[2] - x0) / 4, (box[3] - y0) / 4]
    ImageDraw.Draw(small).ellipse(inner, fill=round(255 * strength))
    mask = small.filter(ImageFilter.GaussianBlur(5)).resize(size, Image.Resampling.BILINEAR)
    canvas.paste((40, 28, 20), (x0, y0), mask)


def _studio(group_code, seed):
    wall_top, wall_bottom, table_far, table_near = (_jitter(c, seed) for c in BACKDROPS[group_code])
    canvas = Image.new("RGB", (WIDTH, HEIGHT))
    canvas.paste(_vertical((WIDTH, GROUND - 40), wall_top, wall_bottom), (0, 0))
    canvas.paste(_vertical((WIDTH, HEIGHT - GROUND + 40), table_far, table_near), (0, GROUND - 40))
    # Out-of-focus light on the wall, a bright spot behind the product (a window to the left) and the table's
    # lit front edge: one small blurred mask, scaled up once.
    light = Image.new("L", (WIDTH // 8, HEIGHT // 8), 0)
    draw = ImageDraw.Draw(light)
    draw.ellipse([40, 10, 110, 70], fill=120)
    for i in range(3):
        x = 12 + ((seed >> (3 * i)) % 120)
        y = 8 + ((seed >> (5 * i)) % 40)
        draw.ellipse([x, y, x + 8, y + 8], fill=70)
    light = light.filter(ImageFilter.GaussianBlur(6))
    ImageDraw.Draw(light).line([0, (GROUND - 40) / 8, WIDTH // 8, (GROUND - 40) / 8], fill=110)
    light = light.resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR)
    canvas.paste((255, 250, 240), (0, 0), light)
    return canvas


def _vignette(canvas):
    mask = Image.radial_gradient("L").resize(canvas.size).point(lambda v: max(0, v - 110))
    canvas.paste((30, 20, 15), (0, 0), mask)
    return canvas


# --- Silhouettes -------------------------------------------------------------------------------------------


def _bottle(canvas, seed, *, cx=600, small=False, liquid=None, cap=None):
    s = 0.62 if small else 1.0
    w, top = 170 * s, GROUND - 480 * s
    liquid = liquid or _pick([(176, 98, 34), (196, 140, 60), (150, 70, 40), (226, 200, 120)], seed)
    cap = cap or _pick([(179, 38, 30), (40, 36, 34), (62, 124, 90), (196, 150, 40)], seed, 3)
    _shadow(canvas, [cx - w * 0.75, GROUND - 28, cx + w * 0.75, GROUND + 28])
    body = _Shape([cx - w / 2, top + 150 * s, cx + w / 2, GROUND])
    body.rounded([cx - w / 2, top + 150 * s, cx + w / 2, GROUND], 34 * s)
    neck = _Shape([cx - w / 2, top + 20 * s, cx + w / 2, top + 200 * s])
    neck.polygon(
        [
            (cx - 28 * s, top + 20 * s),
            (cx + 28 * s, top + 20 * s),
            (cx + 30 * s, top + 90 * s),
            (cx + w / 2, top + 190 * s),
            (cx - w / 2, top + 190 * s),
            (cx - 30 * s, top + 90 * s),
        ]
    )
    neck.paint(canvas, liquid)
    body.paint(canvas, liquid)
    _Shape([cx - 34 * s, top - 30 * s, cx + 34 * s, top + 30 * s]).rounded(
        [cx - 34 * s, top - 30 * s, cx + 34 * s, top + 30 * s], 8 * s
    ).paint(canvas, cap)
    label = [cx - w / 2 + 12 * s, top + 250 * s, cx + w / 2 - 12 * s, top + 400 * s]
    _Shape(label).rounded(label, 8 * s).paint(canvas, (246, 238, 220))
    band = [label[0], label[1] + 20 * s, label[2], label[1] + 34 * s]
    _Shape(band).rounded(band, 2).paint(canvas, cap, flat=True)
    shine = [cx - w / 2 + 22 * s, top + 170 * s, cx - w / 2 + 36 * s, GROUND - 30 * s]
    _Shape(shine).rounded(shine, 7 * s).paint(canvas, (255, 255, 255), flat=True, opacity=0.28)


def _jar(canvas, seed, *, cx=600):
    content = _pick([(190, 92, 70), (214, 150, 60), (120, 70, 44), (226, 170, 150)], seed)
    lid = _pick([(179, 38, 30), (196, 150, 40), (60, 60, 58)], seed, 4)
    _shadow(canvas, [cx - 190, GROUND - 30, cx + 190, GROUND + 30])
    body = [cx - 150, GROUND - 300, cx + 150, GROUND]
    _Shape(body).rounded(body, 70).paint(canvas, content)
    lid_box = [cx - 138, GROUND - 350, cx + 138, GROUND - 282]
    _Shape(lid_box).rounded(lid_box, 14).paint(canvas, lid)
    label = [cx - 120, GROUND - 210, cx + 120, GROUND - 90]
    _Shape(label).rounded(label, 10).paint(canvas, (246, 238, 220))
    shine = [cx - 128, GROUND - 260, cx - 112, GROUND - 40]
    _Shape(shine).rounded(shine, 8).paint(canvas, (255, 255, 255), flat=True, opacity=0.25)


def _leaves(canvas, points, color=(70, 138, 74), size=60):
    for i, (x, y) in enumerate(points):
        angle = 0.6 + i * 1.3
        dx, dy = math.cos(angle) * size, math.sin(angle) * size * 0.5
        leaf = _Shape([x - size, y - size, x + size, y + size])
        leaf.polygon([(x - dx, y - dy), (x - dy * 0.5, y + dx * 0.3), (x + dx, y + dy), (x + dy * 0.5, y - dx * 0.3)])
        leaf.paint(canvas, _scale(color, 0.9 + 0.1 * (i % 3)))


def _cup(canvas, seed, *, drink):
    cup_color = _pick([(246, 244, 238), (214, 228, 236), (236, 222, 196)], seed)
    _shadow(canvas, [380, GROUND - 20, 820, GROUND + 40], 0.4)
    saucer = [390, GROUND - 40, 810, GROUND + 30]
    _Shape(saucer).ellipse(saucer).paint(canvas, _scale(cup_color, 0.95))
    handle = _Shape([700, GROUND - 260, 820, GROUND - 110])
    handle.ellipse([700, GROUND - 260, 820, GROUND - 110]).ellipse([726, GROUND - 232, 796, GROUND - 138], fill=0)
    handle.paint(canvas, cup_color)
    body = _Shape([460, GROUND - 300, 740, GROUND - 10])
    body.polygon([(460, GROUND - 280), (740, GROUND - 280), (700, GROUND - 60), (500, GROUND - 60)])
    body.ellipse([500, GROUND - 120, 700, GROUND - 10])
    body.paint(canvas, cup_color)
    rim = [460, GROUND - 312, 740, GROUND - 252]
    _Shape(rim).ellipse(rim).paint(canvas, _scale(cup_color, 0.9), flat=True)
    surface = [474, GROUND - 304, 726, GROUND - 260]
    _Shape(surface).ellipse(surface).paint(canvas, drink, flat=True)


def _tea(canvas, seed):
    _cup(canvas, seed, drink=_pick([(196, 160, 60), (150, 150, 60), (176, 110, 50)], seed, 2))
    _leaves(canvas, [(300, GROUND + 40), (910, GROUND + 20), (860, GROUND + 90)], size=56)


def _coffee(canvas, seed):
    _cup(canvas, seed, drink=(70, 40, 24))
    for i in range(7):
        x, y = 250 + (seed >> i) % 140 + (i % 2) * 560, GROUND + 30 + ((seed >> (2 * i)) % 90)
        bean = _Shape([x - 24, y - 16, x + 24, y + 16]).ellipse([x - 22, y - 15, x + 22, y + 15])
        bean.line([(x - 14, y), (x + 14, y)], 3, fill=0)
        bean.paint(canvas, (92, 54, 30))


def _bowl(canvas, seed, *, filling=(250, 246, 236)):
    glaze = _pick([(47, 111, 159), (120, 60, 40), (64, 110, 90)], seed)
    _shadow(canvas, [370, GROUND - 30, 830, GROUND + 30])
    mound = [420, GROUND - 350, 780, GROUND - 180]
    _Shape(mound).ellipse(mound).paint(canvas, filling)
    # The mask's box cuts the ellipse at the rim: only its lower half is drawn.
    bowl = _Shape([400, GROUND - 250, 800, GROUND - 20])
    bowl.ellipse([400, GROUND - 480, 800, GROUND - 20]).paint(canvas, glaze)
    band = _Shape([420, GROUND - 250, 780, GROUND - 200])
    band.polygon([(404, GROUND - 250), (796, GROUND - 250), (786, GROUND - 205), (414, GROUND - 205)])
    band.paint(canvas, (244, 240, 230))
    foot = [530, GROUND - 30, 670, GROUND]
    _Shape(foot).rounded(foot, 6).paint(canvas, _scale(glaze, 0.8))


def _discs(canvas, seed):
    """A stack of round rice cakes, rice paper or noodle nests."""
    base = _pick([(238, 222, 186), (222, 196, 150), (200, 150, 100), (244, 236, 214)], seed)
    _shadow(canvas, [360, GROUND - 30, 840, GROUND + 30])
    for i in range(6):
        y = GROUND - 40 - i * 42
        dx = ((seed >> (i * 2)) % 30) - 15
        side = [380 + dx, y - 30, 820 + dx, y + 40]
        _Shape(side).ellipse(side).paint(canvas, _scale(base, 0.82))
        top = [380 + dx, y - 50, 820 + dx, y + 20]
        _Shape(top).ellipse(top).paint(canvas, _scale(base, 1.04), flat=True)
    for i in range(14):
        x = 470 + (seed >> (i % 20)) % 260
        y = GROUND - 300 + (seed >> ((i + 5) % 20)) % 40
        _Shape([x - 6, y - 4, x + 6, y + 4]).ellipse([x - 6, y - 4, x + 6, y + 4]).paint(
            canvas, _scale(base, 0.8), flat=True
        )
    _leaves(canvas, [(860, GROUND + 40), (300, GROUND + 60)], size=50)


def _plate(canvas, seed, *, seafood):
    _shadow(canvas, [320, GROUND - 10, 880, GROUND + 60], 0.35)
    plate = [320, GROUND - 90, 880, GROUND + 50]
    _Shape(plate).ellipse(plate).paint(canvas, (244, 242, 236))
    inner = [390, GROUND - 64, 810, GROUND + 26]
    _Shape(inner).ellipse(inner).paint(canvas, (250, 249, 246), flat=True)
    if seafood:
        color = _pick([(150, 170, 184), (226, 130, 90), (196, 180, 160)], seed)
        body = _Shape([430, GROUND - 170, 780, GROUND - 10]).ellipse([430, GROUND - 150, 700, GROUND - 30])
        body.polygon([(680, GROUND - 90), (780, GROUND - 160), (760, GROUND - 90), (780, GROUND - 20)])
        body.paint(canvas, color)
        _Shape([470, GROUND - 110, 500, GROUND - 80]).ellipse([476, GROUND - 106, 494, GROUND - 88]).paint(
            canvas, (30, 30, 34), flat=True
        )
    else:
        for i, x in enumerate((470, 560, 650)):
            piece = [x, GROUND - 130 + i * 6, x + 120, GROUND - 20]
            _Shape(piece).rounded(piece, 30).paint(canvas, _pick([(196, 110, 90), (170, 96, 70)], seed, i))
            fat = [x + 10, GROUND - 126 + i * 6, x + 110, GROUND - 100 + i * 6]
            _Shape(fat).rounded(fat, 12).paint(canvas, (246, 226, 214), flat=True)
    _leaves(canvas, [(420, GROUND - 40), (790, GROUND - 30)], size=42)


def _pouch(canvas, seed):
    color = _pick([(120, 84, 50), (179, 38, 30), (62, 124, 90), (196, 150, 40)], seed)
    _shadow(canvas, [400, GROUND - 24, 800, GROUND + 30])
    bag = _Shape([430, GROUND - 460, 770, GROUND])
    bag.polygon([(450, GROUND - 440), (750, GROUND - 440), (770, GROUND), (430, GROUND)])
    bag.paint(canvas, color)
    top = [446, GROUND - 460, 754, GROUND - 420]
    _Shape(top).rounded(top, 6).paint(canvas, _scale(color, 0.8), flat=True)
    window = [510, GROUND - 320, 690, GROUND - 120]
    _Shape(window).rounded(window, 20).paint(canvas, (246, 238, 220))


def _vase(canvas, seed):
    glaze = _pick([(47, 95, 150), (60, 120, 110), (150, 90, 60), (226, 220, 204)], seed)
    _shadow(canvas, [420, GROUND - 24, 780, GROUND + 30])
    vase = _Shape([420, GROUND - 520, 780, GROUND])
    vase.ellipse([430, GROUND - 340, 770, GROUND])
    vase.polygon([(540, GROUND - 520), (660, GROUND - 520), (640, GROUND - 300), (560, GROUND - 300)])
    vase.ellipse([520, GROUND - 540, 680, GROUND - 500])
    vase.paint(canvas, glaze)
    band = _Shape([440, GROUND - 230, 760, GROUND - 190]).rounded([436, GROUND - 230, 764, GROUND - 192], 4)
    band.paint(canvas, (244, 240, 230), flat=True, opacity=0.85)
    _Shape([520, GROUND - 548, 680, GROUND - 508]).ellipse([530, GROUND - 540, 670, GROUND - 514]).paint(
        canvas, _scale(glaze, 0.5), flat=True
    )


def _cloth(canvas, seed):
    """Folded brocade: stacked cloths with woven stripes and diamonds."""
    palettes = [[(150, 30, 36), (30, 28, 30), (226, 170, 40)], [(30, 40, 80), (170, 40, 40), (236, 220, 180)]]
    colors = _pick(palettes, seed)
    _shadow(canvas, [330, GROUND - 20, 870, GROUND + 40])
    for i in range(3):
        y1 = GROUND - i * 95
        dx = (i % 2) * 24 - 12
        fold = [350 + dx, y1 - 100, 850 + dx, y1]
        _Shape(fold).rounded(fold, 26).paint(canvas, colors[i % 2])
        stripe = [360 + dx, y1 - 64, 840 + dx, y1 - 40]
        _Shape(stripe).rounded(stripe, 2).paint(canvas, colors[2], flat=True)
        for k in range(10):
            x = 380 + dx + k * 46
            _Shape([x, y1 - 80, x + 30, y1 - 24]).polygon(
                [(x + 15, y1 - 74), (x + 28, y1 - 52), (x + 15, y1 - 30), (x + 2, y1 - 52)]
            ).paint(canvas, colors[(i + 1) % 2], flat=True)


def _plant(canvas, seed):
    flower = _pick([(211, 93, 154), (240, 200, 60), (236, 236, 240), (200, 70, 60)], seed)
    pot = _pick([(181, 101, 59), (70, 90, 110), (236, 232, 224)], seed, 3)
    _shadow(canvas, [440, GROUND - 20, 760, GROUND + 30])
    stem = _Shape([500, 120, 840, GROUND - 200])
    stem.line([(600, GROUND - 260), (620, 400), (700, 250), (790, 200)], 10)
    stem.paint(canvas, (76, 122, 58), flat=True)
    _leaves(canvas, [(520, GROUND - 300), (690, GROUND - 300), (600, GROUND - 330)], color=(63, 125, 69), size=120)
    for i, (x, y) in enumerate([(800, 200), (740, 240), (690, 290), (640, 360), (560, 250)]):
        r = 48 - i * 4
        bloom = _Shape([x - r, y - r, x + r, y + r])
        bloom.ellipse([x - r, y - r * 0.45, x + r, y + r * 0.45]).ellipse([x - r * 0.45, y - r, x + r * 0.45, y + r])
        bloom.paint(canvas, flower)
        _Shape([x - 10, y - 10, x + 10, y + 10]).ellipse([x - 9, y - 9, x + 9, y + 9]).paint(
            canvas, (255, 214, 90), flat=True
        )
    body = _Shape([460, GROUND - 240, 740, GROUND])
    body.polygon([(470, GROUND - 230), (730, GROUND - 230), (690, GROUND), (510, GROUND)])
    body.paint(canvas, pot)
    rim = [450, GROUND - 250, 750, GROUND - 200]
    _Shape(rim).rounded(rim, 12).paint(canvas, _scale(pot, 1.08))


def _landscape(seed):
    """Community tourism: a stilt house among hills by a river, in soft evening light."""
    sky_top = _pick([(150, 190, 226), (170, 200, 230), (236, 190, 150)], seed)
    canvas = _vertical((WIDTH, HEIGHT), sky_top, (250, 226, 190))
    sun = Image.new("L", (WIDTH // 8, HEIGHT // 8), 0)
    ImageDraw.Draw(sun).ellipse([100, 20, 130, 50], fill=200)
    canvas.paste((255, 236, 170), (0, 0), sun.filter(ImageFilter.GaussianBlur(4)).resize((WIDTH, HEIGHT)))
    for depth, (color, base, amp) in enumerate(
        [((150, 176, 170), 420, 90), ((110, 150, 120), 500, 70), ((72, 120, 80), 580, 50)]
    ):
        hills = _Shape([0, 200, WIDTH, HEIGHT])
        phase = (seed >> (4 * depth)) % 628 / 100
        points = [
            (x, base - amp * math.sin(x / 180 + phase) - amp * 0.5 * math.sin(x / 70 + phase))
            for x in range(0, WIDTH + 1, 40)
        ]
        hills.polygon([(0, HEIGHT), *points, (WIDTH, HEIGHT)])
        hills.paint(canvas, color, flat=True)
    water = [0, 720, WIDTH, HEIGHT]
    _Shape(water).rounded(water, 0).paint(canvas, (150, 196, 214))
    roof = _Shape([380, 300, 820, 460])
    roof.polygon([(380, 460), (470, 320), (730, 320), (820, 460)])
    roof.paint(canvas, (120, 66, 40))
    house = [420, 450, 780, 580]
    _Shape(house).rounded(house, 4).paint(canvas, (196, 148, 96))
    for x in (440, 540, 650, 750):
        leg = [x, 570, x + 18, 730]
        _Shape(leg).rounded(leg, 4).paint(canvas, (90, 58, 36), flat=True)
    for x in (470, 660):
        window = [x, 480, x + 60, 530]
        _Shape(window).rounded(window, 3).paint(canvas, (90, 54, 30), flat=True)
    boat = _Shape([860, 730, 1040, 780]).polygon([(860, 740), (1040, 740), (1010, 775), (890, 775)])
    boat.paint(canvas, (90, 56, 34), flat=True)
    return canvas


def _silhouette(product):
    set_code = product.product_set.code
    packaging = product.packaging.lower()
    name = product.name.lower()
    if set_code in ("TP11", "TP12"):
        return _tea
    if set_code == "TP13":
        return _coffee
    if set_code == "TP03":
        return _bowl
    if set_code == "TP06":
        return _discs
    if set_code in ("TP01",):
        return lambda canvas, seed: _bowl(canvas, seed, filling=_pick([(230, 120, 60), (120, 170, 70)], seed))
    if set_code == "TP02":
        return lambda canvas, seed: _plate(canvas, seed, seafood=any(w in name for w in SEAFOOD_WORDS))
    if set_code == "TC01":
        return _vase
    if set_code == "TC02":
        return _cloth
    if set_code.startswith("SV"):
        return _plant
    if packaging.startswith(("lọ",)) or set_code == "DL03":
        return lambda canvas, seed: _bottle(canvas, seed, small=True)
    if packaging.startswith(("chai", "bình")) or set_code.startswith("DU") or set_code == "TP09":
        return _bottle
    if packaging.startswith(("hũ", "ché", "ghè", "hộp")):
        return _jar
    if packaging.startswith("túi"):
        return _pouch
    if set_code == "TP08":
        return lambda canvas, seed: _plate(canvas, seed, seafood=any(w in name for w in SEAFOOD_WORDS))
    return _jar


def demo_photo_bytes(product):
    """A JPEG (860 × 645) of ``product``'s kind; the same product always gets the same picture."""
    seed = _seed(product)
    group = product.product_set.group.code
    if group == "DV":
        canvas = _landscape(seed)
    else:
        canvas = _studio(group if group in BACKDROPS else "TP", seed)
        _silhouette(product)(canvas, seed)
    # Frame the product tighter than it was drawn, as a photographer would crop.
    canvas = _vignette(canvas.crop(CROP))
    out = io.BytesIO()
    canvas.save(out, format="JPEG", quality=84, optimize=True, progressive=True)
    return out.getvalue()


def seed_demo_photos(products, *, by):
    """Give each of ``products`` that has no photo yet one generated photo, through the upload service."""
    added = []
    for product in products.filter(photos__isnull=True).select_related("product_set__group"):
        upload = SimpleUploadedFile(f"{product.slug}.jpg", demo_photo_bytes(product), content_type="image/jpeg")
        added.append(photo_add(product=product, by=by, image=upload, alt=f"Ảnh minh họa {product.name}"))
    return added
