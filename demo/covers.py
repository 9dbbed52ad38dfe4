"""Demo covers drawn with Pillow: a small scene per topic, like an illustration or a photograph.

Each topic has one scene family (a civic hall for Politik, a skyline for
Ekonomi, a market stall for UMKM, a bowl for Kuliner, a sea horizon for
Wisata, ...), drawn in that family's palette with a few variants, so an
article's cover always fits its topic and never carries another topic's look.
Everything comes from a seeded generator: the same seed draws the same
picture on every machine. No text is drawn and nothing is downloaded.
"""

import io
import math
import random
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageChops, ImageDraw, ImageFilter

SIZE = WIDTH, HEIGHT = 1200, 675
VARIANTS = 3

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Scene:
    key: str
    sky: tuple[RGB, RGB]  # the background gradient, top to bottom
    colours: tuple[RGB, ...]  # the scene's own colours, in the order its drawing uses them
    caption: str  # the cover caption, what the picture shows


SCENES = {
    scene.key: scene
    for scene in [
        Scene("hall", ((232, 176, 120), (250, 226, 196)),
              ((246, 240, 228), (150, 44, 48), (120, 96, 80), (90, 70, 60)),
              "Ilustrasi gedung pemerintahan menjelang sore."),
        Scene("skyline", ((18, 52, 86), (64, 150, 160)),
              ((12, 34, 58), (24, 60, 88), (255, 214, 120), (40, 86, 110)),
              "Ilustrasi cakrawala kota ketika lampu-lampu kantor mulai menyala."),
        Scene("stall", ((250, 214, 150), (246, 178, 96)),
              ((214, 70, 40), (255, 244, 222), (150, 96, 50), (230, 60, 50), (250, 190, 40),
               (90, 160, 60)),
              "Ilustrasi lapak dagangan di pasar pagi."),
        Scene("book", ((92, 60, 110), (180, 130, 170)),
              ((250, 244, 230), (120, 80, 60), (220, 196, 160), (255, 214, 130)),
              "Ilustrasi buku terbuka di meja belajar."),
        Scene("bowl", ((122, 42, 20), (214, 112, 50)),
              ((250, 246, 236), (226, 160, 60), (80, 150, 70), (230, 70, 40), (90, 50, 30)),
              "Ilustrasi semangkuk hidangan hangat di atas meja kayu."),
        Scene("park", ((150, 210, 230), (220, 240, 220)),
              ((70, 140, 70), (40, 100, 50), (110, 80, 50), (250, 240, 200), (60, 60, 60)),
              "Ilustrasi taman kota di pagi hari."),
        Scene("kites", ((90, 170, 240), (200, 230, 250)),
              ((110, 190, 90), (240, 80, 80), (250, 200, 50), (60, 120, 230), (250, 250, 250)),
              "Ilustrasi layang-layang di langit sore."),
        Scene("care", ((190, 236, 230), (236, 250, 246)),
              ((20, 150, 150), (255, 255, 255), (80, 170, 100), (14, 110, 120)),
              "Ilustrasi layanan kesehatan warga."),
        Scene("circuit", ((8, 10, 36), (28, 30, 84)),
              ((60, 220, 240), (150, 110, 255), (20, 24, 60)),
              "Ilustrasi jaringan digital."),
        Scene("pitch", ((40, 120, 50), (70, 160, 70)),
              ((245, 250, 245), (54, 140, 60), (30, 30, 30)),
              "Ilustrasi lapangan sepak bola dilihat dari atas."),
        Scene("sea", ((255, 176, 110), (255, 226, 170)),
              ((30, 110, 160), (255, 240, 200), (40, 80, 60), (200, 170, 120)),
              "Ilustrasi laut dan pulau kecil menjelang senja."),
        Scene("ricefield", ((170, 210, 235), (225, 240, 240)),
              ((70, 110, 130), (120, 180, 60), (80, 140, 40), (170, 200, 80)),
              "Ilustrasi sawah berundak di kaki gunung."),
        Scene("night", ((10, 14, 40), (50, 40, 90)),
              ((250, 240, 200), (20, 20, 40), (250, 200, 110)),
              "Ilustrasi malam berbulan di atas atap-atap kampung."),
        Scene("dusk", ((250, 140, 90), (120, 60, 120)),
              ((40, 24, 40), (255, 220, 160)),
              "Ilustrasi senja dengan sebatang pohon dan burung-burung pulang."),
    ]
}  # fmt: skip

# Topic slug -> scene; a topic not listed takes its parent's.
SCENE_FOR_TOPIC = {
    "politik": "hall", "kebijakan": "hall", "hukum": "hall", "pemerintahan": "hall",
    "ekonomi": "skyline", "keuangan": "skyline", "karier": "skyline", "umkm": "stall",
    "humaniora": "book", "pendidikan": "book", "sosial-budaya": "book", "bahasa": "book",
    "sejarah": "book", "gaya-hidup": "park", "kuliner": "bowl", "parenting": "kites",
    "kesehatan": "care", "teknologi": "circuit", "olahraga": "pitch", "wisata": "sea",
    "lingkungan": "ricefield", "fiksiana": "night", "cerpen": "night", "puisi": "dusk",
}  # fmt: skip
DEFAULT_SCENE = "book"


def scene_for(topic_slug: str, parent_slug: str = "") -> Scene:
    key = SCENE_FOR_TOPIC.get(topic_slug) or SCENE_FOR_TOPIC.get(parent_slug) or DEFAULT_SCENE
    return SCENES[key]


def cover_name(scene_key: str, variant: int) -> str:
    """The cover's stored name: the scene is in it, so a test can check the fit."""
    return f"covers/demo/{scene_key}-{variant + 1}.jpg"


@cache  # a few MB for every scene and variant; drawn once per process
def card_name(scene_key: str, variant: int) -> str:
    return cover_name(scene_key, variant).removesuffix(".jpg") + "-card.jpg"


def card_jpeg(cover: bytes) -> bytes:
    """The card rendition of a cover (640 by 360), as uploads get one."""
    image = Image.open(io.BytesIO(cover)).convert("RGB").resize((640, 360), Image.LANCZOS)
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=82, optimize=True)
    return output.getvalue()


def cover_jpeg(scene_key: str, variant: int, seed: int) -> bytes:
    rng = random.Random(f"{seed}-{scene_key}-{variant}")
    scene = SCENES[scene_key]
    image = _gradient(*_shift(scene.sky, rng))
    draw = ImageDraw.Draw(image, "RGBA")
    DRAWINGS[scene_key](draw, rng, scene.colours)
    image = _grain(image, rng)
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=84, optimize=True)
    return output.getvalue()


# Helpers ----------------------------------------------------------------------


def _shift(colours: tuple[RGB, RGB], rng: random.Random) -> tuple[RGB, RGB]:
    """A variant's own light: the palette nudged a little, never out of its family."""
    delta = rng.randint(-14, 14)
    return tuple(tuple(max(0, min(255, c + delta)) for c in colour) for colour in colours)


def _gradient(top: RGB, bottom: RGB) -> Image.Image:
    mask = Image.linear_gradient("L").resize(SIZE)
    return Image.composite(Image.new("RGB", SIZE, bottom), Image.new("RGB", SIZE, top), mask)


def _grain(image: Image.Image, rng: random.Random) -> Image.Image:
    """Film-like grain and a soft vignette, so flat shapes read as a picture."""
    small = (WIDTH // 2, HEIGHT // 2)
    noise = Image.frombytes("L", small, rng.randbytes(small[0] * small[1])).resize(SIZE)
    noise = noise.filter(ImageFilter.GaussianBlur(0.6)).convert("RGB")
    image = Image.blend(image, ImageChops.overlay(image, noise), 0.12)
    vignette = Image.radial_gradient("L").resize(SIZE)
    dark = Image.new("RGB", SIZE, (0, 0, 0))
    return Image.composite(dark, image, vignette.point(lambda v: max(0, v - 150) // 3))


def _alpha(colour: RGB, alpha: int) -> tuple[int, int, int, int]:
    return (*colour, alpha)


def _jitter(colour: RGB, rng: random.Random, amount: int = 12) -> RGB:
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in colour)


def _circle(draw, x, y, r, **kwargs) -> None:
    draw.ellipse((x - r, y - r, x + r, y + r), **kwargs)


# Scenes ---------------------------------------------------------------------------


def _hall(draw, rng, colours):
    stone, roof, shade, ground = colours
    _circle(
        draw, rng.randint(150, 1050), rng.randint(80, 160), 60, fill=_alpha((255, 245, 220), 150)
    )
    draw.rectangle((0, 560, WIDTH, HEIGHT), fill=ground)
    left, right = rng.randint(220, 320), rng.randint(880, 980)
    base = 560
    draw.rectangle((left - 40, base - 30, right + 40, base), fill=_jitter(stone, rng, 6))
    draw.rectangle((left - 20, base - 50, right + 20, base - 30), fill=stone)
    top = rng.randint(250, 290)
    columns = rng.choice([6, 8])
    step = (right - left) / (columns - 1)
    for index in range(columns):
        x = left + index * step
        draw.rectangle((x - 18, top, x + 18, base - 50), fill=stone)
        draw.rectangle((x - 6, top, x - 2, base - 50), fill=_alpha(shade, 60))
    draw.rectangle((left - 30, top - 30, right + 30, top), fill=stone)
    draw.polygon([(left - 50, top - 30), ((left + right) / 2, top - 140), (right + 50, top - 30)],
                 fill=roof)  # fmt: skip
    draw.rectangle((left - 30, top - 36, right + 30, top - 30), fill=_alpha(shade, 120))
    mast = (left + right) / 2
    draw.line((mast, top - 140, mast, top - 230), fill=shade, width=5)
    draw.rectangle((mast + 2, top - 230, mast + 70, top - 205), fill=(200, 30, 40))
    draw.rectangle((mast + 2, top - 205, mast + 70, top - 180), fill=(250, 250, 250))
    for _ in range(rng.randint(4, 7)):
        x = rng.choice([rng.randint(10, left - 60), rng.randint(right + 60, WIDTH - 10)])
        r = rng.randint(40, 80)
        _circle(draw, x, base - r // 2, r, fill=_alpha((70, 110, 60), 230))


def _skyline(draw, rng, colours):
    near, far, window, water = colours
    for layer, colour, low, high in [(0, far, 180, 420), (1, near, 260, 560)]:
        x = -20
        while x < WIDTH:
            width = rng.randint(50, 130)
            top = rng.randint(low, high) - (80 if rng.random() < 0.15 else 0)
            draw.rectangle((x, top, x + width, 600), fill=_jitter(colour, rng, 6))
            if layer and rng.random() < 0.3:
                draw.line((x + width // 2, top, x + width // 2, top - 50), fill=colour, width=3)
            if layer:
                for wy in range(top + 14, 590, 22):
                    for wx in range(x + 8, x + width - 10, 16):
                        if rng.random() < 0.35:
                            draw.rectangle((wx, wy, wx + 7, wy + 10), fill=_alpha(window, 220))
            x += width + rng.randint(0, 12)
    draw.rectangle((0, 600, WIDTH, HEIGHT), fill=water)
    for _ in range(60):
        x, y = rng.randint(0, WIDTH), rng.randint(606, HEIGHT)
        draw.line((x, y, x + rng.randint(10, 40), y), fill=_alpha(window, 90), width=2)


def _stall(draw, rng, colours):
    awning, cream, wood, tomato, mango, leaf = colours
    draw.rectangle((0, 520, WIDTH, HEIGHT), fill=(170, 140, 110))
    left, right = rng.randint(100, 200), rng.randint(1000, 1100)
    draw.rectangle((left, 160, left + 16, 560), fill=wood)
    draw.rectangle((right - 16, 160, right, 560), fill=wood)
    stripes = 10
    step = (right - left + 80) / stripes
    for index in range(stripes):
        x = left - 40 + index * step
        draw.polygon([(x, 120), (x + step, 120), (x + step, 230), (x, 230)],
                     fill=awning if index % 2 == 0 else cream)  # fmt: skip
        _circle(draw, x + step / 2, 230, step / 2, fill=awning if index % 2 == 0 else cream)
    draw.rectangle((left - 20, 400, right + 20, 430), fill=wood)
    draw.rectangle((left, 430, right, 560), fill=_jitter(wood, rng, 10))
    crates = rng.randint(4, 6)
    width = (right - left) / crates
    for index in range(crates):
        x0 = left + index * width + 10
        fruit = rng.choice([tomato, mango, leaf, (250, 140, 40), (140, 60, 140)])
        for row in range(3):
            for column in range(int(width // 34)):
                _circle(draw, x0 + 16 + column * 32 + (row % 2) * 14, 388 - row * 22, 17,
                        fill=_jitter(fruit, rng, 18))  # fmt: skip
        draw.rectangle((x0, 380, x0 + width - 20, 404), fill=_jitter(wood, rng, 20))


def _book(draw, rng, colours):
    paper, desk, page_edge, lamp = colours
    draw.rectangle((0, 470, WIDTH, HEIGHT), fill=desk)
    glow_x = rng.randint(250, 950)
    _circle(draw, glow_x, 200, 260, fill=_alpha(lamp, 40))
    _circle(draw, glow_x, 200, 140, fill=_alpha(lamp, 50))
    cx, cy = rng.randint(480, 720), 470
    for side in (-1, 1):
        for layer in range(6):
            offset = layer * 4
            points = [
                (cx, cy + 40 - offset),
                (cx + side * (380 - offset), cy + 10 - offset),
                (cx + side * (370 - offset), cy - 190 - offset),
                (cx, cy - 160 - offset),
            ]
            draw.polygon(points, fill=paper if layer == 5 else page_edge)  # fmt: skip
        for line in range(9):
            y = cy - 130 + line * 17
            draw.line((cx + side * 40, y + 4, cx + side * 320, y - 8 + line * 0.5),
                      fill=_alpha((120, 110, 100), 90), width=3)  # fmt: skip
    draw.line((cx, cy - 160, cx, cy + 40), fill=_alpha(page_edge, 255), width=3)
    mug_x = rng.choice([150, 1040])
    draw.rounded_rectangle((mug_x - 45, 390, mug_x + 45, 500), 12, fill=_jitter((180, 70, 60), rng))
    draw.arc((mug_x + 25, 410, mug_x + 75, 470), -90, 90, fill=(180, 70, 60), width=10)


def _bowl(draw, rng, colours):
    china, broth, greens, chilli, table = colours
    for y in range(430, HEIGHT, 40):
        draw.rectangle((0, y, WIDTH, y + 38), fill=_jitter(table, rng, 10))
    cx = rng.randint(500, 700)
    draw.ellipse((cx - 330, 380, cx + 330, 520), fill=_alpha((0, 0, 0), 60))
    draw.chord((cx - 300, 180, cx + 300, 560), 0, 180, fill=china)
    draw.ellipse((cx - 300, 290, cx + 300, 410), fill=_jitter(china, rng, 6))
    draw.ellipse((cx - 270, 300, cx + 270, 400), fill=broth)
    for _ in range(rng.randint(14, 22)):
        x, y = cx + rng.randint(-220, 220), rng.randint(318, 385)
        colour = rng.choice([greens, greens, chilli, (250, 230, 180), (200, 140, 80)])
        _circle(draw, x, y, rng.randint(6, 16), fill=colour)
    draw.arc((cx - 300, 290, cx + 300, 410), 180, 360, fill=_alpha((180, 60, 40), 200), width=8)
    for index in range(3):
        x = cx - 90 + index * 90
        for step in range(12):
            y = 270 - step * 16
            x0, x1 = x + 14 * math.sin(step / 1.6), x + 14 * math.sin((step + 1) / 1.6)
            draw.line((x0, y, x1, y - 16), fill=_alpha((255, 255, 255), 110 - step * 8), width=7)
    side = rng.choice([-1, 1])
    _circle(draw, cx + side * 420, 470, 70, fill=_jitter((245, 236, 220), rng, 6))
    _circle(draw, cx + side * 420, 470, 48, fill=chilli)


def _park(draw, rng, colours):
    grass, tree, trunk, sun, iron = colours
    _circle(draw, rng.randint(120, 1080), 110, 70, fill=_alpha(sun, 230))
    draw.polygon([(0, 430), (300, 380), (700, 420), (1200, 370), (1200, 675), (0, 675)], fill=grass)
    draw.rectangle((0, 560, WIDTH, HEIGHT), fill=_jitter(grass, rng, 20))
    for _ in range(rng.randint(5, 8)):
        x, r = rng.randint(0, WIDTH), rng.randint(70, 130)
        draw.rectangle((x - 12, 420, x + 12, 540), fill=trunk)
        for dx, dy in [(-r // 2, 0), (r // 2, 0), (0, -r // 2)]:
            _circle(draw, x + dx, 400 + dy, r * 0.7, fill=_jitter(tree, rng, 18))
    bench = rng.randint(300, 800)
    draw.rectangle((bench, 560, bench + 220, 575), fill=trunk)
    draw.rectangle((bench, 520, bench + 220, 532), fill=trunk)
    for leg in (bench + 15, bench + 200):
        draw.rectangle((leg, 575, leg + 8, 620), fill=iron)
    x = bench + 330
    for wheel in (x, x + 130):
        _circle(draw, wheel, 600, 45, outline=iron, width=6)
    draw.line((x, 600, x + 55, 540, x + 130, 600), fill=(200, 60, 50), width=7)
    draw.line((x + 55, 540, x + 110, 540, x + 130, 600), fill=(200, 60, 50), width=7)
    draw.line((x + 110, 540, x + 100, 515), fill=iron, width=6)


def _kites(draw, rng, colours):
    hill, *kite_colours, cloud = colours
    for _ in range(rng.randint(3, 5)):
        x, y = rng.randint(0, WIDTH), rng.randint(60, 260)
        for dx in (0, 50, 100):
            _circle(draw, x + dx, y + (10 if dx == 50 else 25), 45, fill=_alpha(cloud, 170))
    draw.ellipse((-300, 480, 900, 900), fill=hill)
    draw.ellipse((500, 520, 1600, 950), fill=_jitter(hill, rng, 20))
    holder = (rng.randint(250, 450), 560)
    for index in range(rng.randint(2, 4)):
        x, y, size = rng.randint(500, 1100), rng.randint(80, 320), rng.randint(45, 75)
        colour = kite_colours[index % len(kite_colours)]
        draw.line((holder, (x, y + size)), fill=_alpha((60, 60, 60), 140), width=2)
        draw.polygon([(x, y - size), (x + size * 0.7, y), (x, y + size), (x - size * 0.7, y)],
                     fill=colour)  # fmt: skip
        draw.line((x, y - size, x, y + size), fill=_alpha((255, 255, 255), 160), width=2)
        for tail in range(5):
            tx, ty = x - 10 - tail * 14, y + size + 18 + tail * 20
            draw.polygon([(tx, ty), (tx + 10, ty - 8), (tx + 4, ty + 10)], fill=colour)
    _circle(draw, holder[0], holder[1] - 55, 16, fill=(90, 60, 40))
    draw.line((holder[0], holder[1] - 40, holder[0], holder[1] + 10), fill=(240, 120, 40), width=14)


def _care(draw, rng, colours):
    teal, white, leaf, deep = colours
    for _ in range(rng.randint(8, 12)):
        x, y = rng.randint(0, WIDTH), rng.randint(0, HEIGHT)
        _circle(draw, x, y, rng.randint(30, 120), fill=_alpha(teal, rng.randint(25, 60)))
    cx, cy = rng.randint(460, 740), 330
    _circle(draw, cx, cy, 190, fill=teal)
    _circle(draw, cx, cy, 170, fill=_alpha(deep, 80))
    draw.rounded_rectangle((cx - 45, cy - 130, cx + 45, cy + 130), 18, fill=white)
    draw.rounded_rectangle((cx - 130, cy - 45, cx + 130, cy + 45), 18, fill=white)
    for side in (-1, 1):
        for index in range(5):
            angle = -0.9 + index * 0.45
            x = cx + side * (260 + index * 30)
            y = cy + 160 - index * 70
            draw.ellipse((x - 50, y - 20, x + 50, y + 20), fill=_jitter(leaf, rng, 20))
            draw.line((x - 50 * math.cos(angle), y, x + 50, y), fill=_alpha(deep, 90), width=3)
    # a heartbeat line across the picture
    points, x = [], 0
    while x <= WIDTH:
        spike = 0
        if abs(x - cx) < 260 and rng.random() < 0.2:
            spike = rng.choice([-60, 50, -30])
        points.append((x, 590 + spike))
        x += 30
    draw.line(points, fill=_alpha(deep, 200), width=5)


def _circuit(draw, rng, colours):
    cyan, violet, chip = colours
    for _ in range(rng.randint(28, 40)):
        x, y = rng.randrange(0, WIDTH, 30), rng.randrange(0, HEIGHT, 30)
        colour = rng.choice([cyan, cyan, violet])
        points = [(x, y)]
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.5:
                x += rng.choice([-1, 1]) * rng.randrange(60, 240, 30)
            else:
                y += rng.choice([-1, 1]) * rng.randrange(60, 180, 30)
            points.append((x, y))
        draw.line(points, fill=_alpha(colour, 150), width=4)
        _circle(draw, *points[-1], 8, fill=colour)
        _circle(draw, *points[0], 6, outline=colour, width=3)
    cx, cy = rng.randint(420, 780), rng.randint(260, 400)
    _circle(draw, cx, cy, 220, fill=_alpha(cyan, 18))
    draw.rounded_rectangle((cx - 110, cy - 110, cx + 110, cy + 110), 14, fill=chip,
                           outline=cyan, width=4)  # fmt: skip
    for index in range(7):
        offset = -90 + index * 30
        for x0, y0, x1, y1 in [(cx + offset, cy - 110, cx + offset, cy - 140),
                               (cx + offset, cy + 110, cx + offset, cy + 140),
                               (cx - 110, cy + offset, cx - 140, cy + offset),
                               (cx + 110, cy + offset, cx + 140, cy + offset)]:  # fmt: skip
            draw.line((x0, y0, x1, y1), fill=cyan, width=5)
    draw.rounded_rectangle((cx - 60, cy - 60, cx + 60, cy + 60), 8, outline=violet, width=4)


def _pitch(draw, rng, colours):
    line, stripe, ball = colours
    for index in range(0, WIDTH, 100):
        if (index // 100) % 2:
            draw.rectangle((index, 0, index + 100, HEIGHT), fill=_alpha(stripe, 200))
    margin = 50
    draw.rectangle((margin, margin, WIDTH - margin, HEIGHT - margin), outline=line, width=6)
    draw.line((WIDTH / 2, margin, WIDTH / 2, HEIGHT - margin), fill=line, width=6)
    _circle(draw, WIDTH / 2, HEIGHT / 2, 90, outline=line, width=6)
    _circle(draw, WIDTH / 2, HEIGHT / 2, 8, fill=line)
    for side in (0, 1):
        x0 = margin if side == 0 else WIDTH - margin - 160
        draw.rectangle((x0, HEIGHT / 2 - 170, x0 + 160, HEIGHT / 2 + 170), outline=line, width=6)
        x1 = margin if side == 0 else WIDTH - margin - 60
        draw.rectangle((x1, HEIGHT / 2 - 70, x1 + 60, HEIGHT / 2 + 70), outline=line, width=6)
    bx, by = rng.randint(300, 900), rng.randint(160, 520)
    _circle(draw, bx + 10, by + 12, 26, fill=_alpha((0, 0, 0), 70))
    _circle(draw, bx, by, 26, fill=line)
    for angle in range(0, 360, 72):
        x = bx + 14 * math.cos(math.radians(angle + rng.randint(0, 20)))
        y = by + 14 * math.sin(math.radians(angle))
        _circle(draw, x, y, 7, fill=ball)
    for _ in range(rng.randint(6, 10)):  # players seen from above
        x, y = rng.randint(100, WIDTH - 100), rng.randint(100, HEIGHT - 100)
        colour = rng.choice([(220, 40, 40), (30, 60, 200)])
        _circle(draw, x + 6, y + 8, 16, fill=_alpha((0, 0, 0), 60))
        _circle(draw, x, y, 16, fill=colour)


def _sea(draw, rng, colours):
    water, sun, island, sand = colours
    horizon = rng.randint(360, 420)
    sx = rng.randint(250, 950)
    _circle(draw, sx, horizon - rng.randint(30, 90), 80, fill=_alpha(sun, 240))
    draw.rectangle((0, horizon, WIDTH, HEIGHT), fill=water)
    for _ in range(120):
        x, y = rng.randint(0, WIDTH), rng.randint(horizon + 5, HEIGHT)
        length = 10 + (y - horizon) // 6
        draw.line((x, y, x + length, y), fill=_alpha((255, 255, 255), 60), width=2)
    for step in range(12):
        y = horizon + 6 + step * 16
        draw.line((sx - 60 + step * 4, y, sx + 60 - step * 4, y), fill=_alpha(sun, 150), width=4)
    ix = rng.choice([rng.randint(60, 300), rng.randint(850, 1100)])
    draw.ellipse((ix - 160, horizon - 60, ix + 160, horizon + 30), fill=island)
    for palm in range(3):
        px = ix - 60 + palm * 55
        draw.line((px, horizon - 40, px + 12, horizon - 130), fill=island, width=7)
        for angle in range(0, 360, 60):
            ex = px + 12 + 45 * math.cos(math.radians(angle))
            ey = horizon - 130 + 22 * math.sin(math.radians(angle))
            draw.line((px + 12, horizon - 130, ex, ey), fill=island, width=6)
    draw.polygon([(0, HEIGHT), (0, 600), (400, 640), (700, HEIGHT)], fill=sand)
    bx = rng.randint(500, 900)
    draw.polygon([(bx, 520), (bx + 140, 520), (bx + 110, 545), (bx + 30, 545)], fill=(120, 50, 30))
    draw.line((bx + 70, 520, bx + 70, 450), fill=(80, 40, 30), width=4)
    draw.polygon([(bx + 72, 455), (bx + 72, 515), (bx + 120, 515)], fill=(250, 240, 230))


def _ricefield(draw, rng, colours):
    mountain, *greens = colours
    peak = rng.randint(350, 850)
    draw.polygon([(peak - 620, 420), (peak, 110), (peak + 620, 420)], fill=mountain)
    snow = [(peak - 60, 145), (peak, 110), (peak + 60, 145), (peak + 20, 160), (peak - 30, 150)]
    draw.polygon(snow, fill=_alpha((240, 245, 250), 210))
    top = 380
    terraces = 8
    for index in range(terraces):
        y0 = top + index * (HEIGHT - top) / terraces
        y1 = y0 + (HEIGHT - top) / terraces + 10
        phase, amplitude = rng.random() * 6, 10 + index * 3
        curve = [(x, y0 + amplitude * math.sin(x / 170 + phase)) for x in range(0, WIDTH + 40, 40)]
        lower = [(x, y1 + amplitude * math.sin(x / 170 + phase)) for x in range(WIDTH, -40, -40)]
        draw.polygon(curve + lower, fill=_jitter(greens[index % len(greens)], rng, 14))
        draw.line(curve, fill=_alpha((70, 90, 40), 160), width=4)
        for x in range(rng.randint(0, 20), WIDTH, 28):  # rows of young rice
            y = y0 + 18 + amplitude * math.sin(x / 170 + phase)
            draw.line((x, y, x + 4, y - 10), fill=_alpha((40, 90, 30), 150), width=3)
    for _ in range(rng.randint(1, 3)):
        x, y = rng.randint(100, 1100), rng.randint(470, 600)
        draw.polygon([(x - 30, y), (x, y - 22), (x + 30, y)], fill=(200, 170, 90))
        draw.line((x, y, x, y + 30), fill=(80, 60, 40), width=6)


def _night(draw, rng, colours):
    moon, roofs, lamp = colours
    for _ in range(140):
        x, y = rng.randint(0, WIDTH), rng.randint(0, 420)
        _circle(
            draw, x, y, rng.choice([1, 1, 2, 3]), fill=_alpha((255, 255, 240), rng.randint(90, 230))
        )
    mx, my = rng.randint(150, 1050), rng.randint(90, 180)
    _circle(draw, mx, my, 130, fill=_alpha(moon, 30))
    _circle(draw, mx, my, 62, fill=moon)
    _circle(draw, mx + 26, my - 14, 56, fill=_alpha((30, 30, 70), 255))
    x = -30
    while x < WIDTH:
        width, height = rng.randint(110, 190), rng.randint(90, 170)
        base = HEIGHT - rng.randint(0, 30)
        draw.rectangle((x, base - height, x + width, HEIGHT), fill=roofs)
        draw.polygon([(x - 20, base - height), (x + width / 2, base - height - 70),
                      (x + width + 20, base - height)], fill=roofs)  # fmt: skip
        if rng.random() < 0.7:
            wx = x + rng.randint(20, max(21, width - 50))
            draw.rectangle((wx, base - height + 30, wx + 28, base - height + 64), fill=lamp)
        x += width + rng.randint(10, 40)


def _dusk(draw, rng, colours):
    silhouette, sun = colours
    sx = rng.randint(300, 900)
    _circle(draw, sx, 420, 110, fill=_alpha(sun, 200))
    draw.polygon([(0, 470), (400, 440), (800, 480), (1200, 430), (1200, 675), (0, 675)],
                 fill=silhouette)  # fmt: skip
    tx = rng.choice([rng.randint(120, 300), rng.randint(900, 1080)])
    draw.line((tx, 460, tx, 250), fill=silhouette, width=18)
    for _ in range(6):
        angle = rng.uniform(-2.6, -0.5)
        length = rng.randint(80, 150)
        ex, ey = tx + length * math.cos(angle), 300 + length * math.sin(angle)
        draw.line((tx, rng.randint(270, 340), ex, ey), fill=silhouette, width=8)
        _circle(draw, ex, ey, rng.randint(30, 55), fill=silhouette)
    for _ in range(rng.randint(5, 9)):
        bx, by, span = rng.randint(400, 1100), rng.randint(90, 300), rng.randint(12, 22)
        draw.line((bx - span, by - span / 2, bx, by, bx + span, by - span / 2),
                  fill=silhouette, width=4)  # fmt: skip


DRAWINGS = {
    "hall": _hall, "skyline": _skyline, "stall": _stall, "book": _book, "bowl": _bowl,
    "park": _park, "kites": _kites, "care": _care, "circuit": _circuit, "pitch": _pitch,
    "sea": _sea, "ricefield": _ricefield, "night": _night, "dusk": _dusk,
}  # fmt: skip
