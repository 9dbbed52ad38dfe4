"""Demo people for ``manage.py seed_demo``: names, profiles and avatars, no database access.

Everything comes from one seeded generator, so every machine gets the same demo.
Names and cities come from Faker's ``id_ID`` providers; avatars are drawn with
Pillow and its built-in font: nothing is downloaded. The articles are written
text (demo/corpus.py, demo/articles/), their covers drawn scenes (demo/covers.py).
"""

import io
import random
from dataclasses import dataclass

from django.utils.text import slugify
from faker import Faker
from PIL import Image, ImageDraw, ImageFont

from accounts.models import Occupation

SEED = 2026

MONTHS = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()

AVATAR_COLOURS = [
    (192, 57, 43), (41, 128, 185), (39, 174, 96), (142, 68, 173), (211, 84, 0),
    (22, 160, 133), (44, 62, 80), (243, 156, 18), (127, 140, 141), (231, 76, 60),
    (52, 152, 219), (155, 89, 182),
]  # fmt: skip
AVATAR_SIZE = 256

TAGLINES = {
    Occupation.STUDENT: "Mahasiswa di {c} yang sedang belajar menulis dengan jujur.",
    Occupation.TEACHER: "Guru di {c}. Menulis soal sekolah, murid dan orang tua.",
    Occupation.CIVIL_SERVANT: "Abdi negara di {c}, menulis di luar jam kantor.",
    Occupation.PRIVATE_EMPLOYEE: "Pekerja kantoran di {c} yang rajin naik kereta.",
    Occupation.ENTREPRENEUR: "Pemilik usaha kecil di {c}, belajar dari untung dan rugi.",
    Occupation.JOURNALIST: "Mantan wartawan daerah, kini menulis lepas dari {c}.",
    Occupation.HEALTH_WORKER: "Perawat di {c}. Catatan dari ruang tunggu puskesmas.",
    Occupation.FARMER: "Petani di pinggiran {c}; sawah, hujan dan harga gabah.",
    Occupation.RETIRED: "Pensiunan di {c} yang masih senang mengamati kota.",
}
OTHER_TAGLINES = [
    "Pedagang kaki lima di {c}, penikmat kopi dan cerita.",
    "Pengamat jalanan dari {c}, sesekali menulis.",
    "Relawan perpustakaan desa di dekat {c}.",
    "Penulis amatir dari {c}, menulis apa yang dilihat.",
]
OCCUPATION_SENTENCES = {
    Occupation.STUDENT: "Sehari-hari kuliah sambil membantu usaha kecil keluarga.",
    Occupation.TEACHER: "Sudah lebih dari sepuluh tahun mengajar di sekolah negeri.",
    Occupation.CIVIL_SERVANT: "Bekerja di kantor pemerintahan daerah bagian pelayanan warga.",
    Occupation.PRIVATE_EMPLOYEE: "Bekerja di perusahaan swasta dan menulis di perjalanan pulang.",
    Occupation.ENTREPRENEUR: "Mengelola warung makan yang dirintis bersama pasangan.",
    Occupation.JOURNALIST: "Pernah meliput di beberapa daerah sebelum memilih menulis lepas.",
    Occupation.HEALTH_WORKER: "Bertugas di puskesmas kecamatan sejak lulus sekolah perawat.",
    Occupation.FARMER: "Menggarap sawah warisan orang tua dan aktif di kelompok tani.",
    Occupation.RETIRED: "Pensiun dari dinas pekerjaan umum dan kini mengurus cucu.",
    Occupation.OTHER: "Pekerjaannya berganti-ganti, tetapi kebiasaan menulis tetap.",
}
INTERESTS = [
    "pendidikan", "lingkungan hidup", "kuliner", "politik lokal", "UMKM", "kesehatan",
    "sejarah kota", "teknologi", "sepak bola", "bahasa", "keuangan keluarga", "wisata",
]  # fmt: skip
HOBBIES = [
    "bersepeda keliling kampung", "memasak resep keluarga", "membaca novel lama",
    "memotret pasar tradisional", "berkebun di halaman rumah", "menonton sepak bola",
]  # fmt: skip


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    occupation: str
    tagline: str
    bio: str


class DemoWriter:
    """Deterministic demo people: the same seed gives the same authors."""

    def __init__(self, seed: int = SEED):
        self.random = random.Random(seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)

    # People -----------------------------------------------------------------

    def people(self, occupations: list[str]) -> list[DemoPerson]:
        """One author per occupation, alternating women and men, with unique usernames."""
        people, usernames = [], set()
        for index, occupation in enumerate(occupations):
            if index % 2 == 0:
                first, last = self.fake.first_name_female(), self.fake.last_name_female()
            else:
                first, last = self.fake.first_name_male(), self.fake.last_name_male()
            username = base = slugify(f"{first}{last}").replace("-", "")
            suffix = 2
            while username in usernames:
                username, suffix = f"{base}{suffix}", suffix + 1
            usernames.add(username)
            city = self.city()
            if occupation == Occupation.OTHER:
                tagline = self.random.choice(OTHER_TAGLINES).format(c=city)
            else:
                tagline = TAGLINES[occupation].format(c=city)
            people.append(
                DemoPerson(username, first, last, occupation, tagline, self.bio(occupation, city))
            )
        return people

    def bio(self, occupation: str, city: str) -> str:
        first, second = self.random.sample(INTERESTS, 2)
        sentences = [
            f"Lahir di {self.city()} dan kini tinggal di {city}.",
            OCCUPATION_SENTENCES[occupation],
            f"Di Kolom Warga menulis tentang {first} dan {second}.",
        ]
        if self.random.random() < 0.6:
            sentences.append(
                f"Akhir pekan biasanya dihabiskan dengan {self.random.choice(HOBBIES)}."
            )
        return " ".join(sentences)

    def city(self) -> str:
        return self.fake.city().removeprefix("Kota Administrasi ")


# Images -----------------------------------------------------------------------


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled default font scales when FreeType is available (it is in
    # the wheels); no font file is read from the system.
    return ImageFont.load_default(size=size)


def _draw_centred_text(draw: ImageDraw.ImageDraw, box: tuple[int, int], text: str, size: int):
    font = _font(size)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (box[0] - (right - left)) / 2 - left
    y = (box[1] - (bottom - top)) / 2 - top
    shadow = max(2, size // 40)
    draw.text((x + shadow, y + shadow), text, font=font, fill=(0, 0, 0, 90))
    draw.text((x, y), text, font=font, fill=(255, 255, 255, 255))


def avatar_png(initials: str, colour: tuple[int, int, int]) -> bytes:
    """A 256x256 PNG: a coloured circle on a pale ground with the initials in white."""
    size = (AVATAR_SIZE, AVATAR_SIZE)
    pale = tuple(channel + (255 - channel) * 4 // 5 for channel in colour)
    image = Image.new("RGB", size, pale)
    draw = ImageDraw.Draw(image, "RGBA")
    draw.ellipse((8, 8, AVATAR_SIZE - 8, AVATAR_SIZE - 8), fill=colour)
    _draw_centred_text(draw, size, initials, size=100)
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()
