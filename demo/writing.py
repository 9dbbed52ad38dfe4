"""Demo content for ``manage.py seed_demo``: Indonesian text and images, no database access.

Everything comes from one seeded generator, so every machine gets the same demo.
Names and cities come from Faker's ``id_ID`` providers; the prose is original
sentence templates plus Faker's lorem fed with ``WORDS`` (its own lorem is Latin).
Images are drawn with Pillow and its built-in font: nothing is downloaded.
"""

import io
import random
from dataclasses import dataclass

from django.utils.text import slugify
from faker import Faker
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageOps

from accounts.models import Occupation
from articles.sanitizer import PAGE_BREAK

SEED = 2026

# Body shapes. PAGED bodies have exactly four pages split by PAGE_BREAK; LONG
# bodies have none and are long enough for the automatic split; POEM is for Puisi.
SHORT, PAGED, LONG, POEM = "short", "paged", "long", "poem"
PAGED_PAGES = 4
LONG_MIN_CHARS = 13_000

# About 300 everyday Indonesian words for Faker's lorem.
WORDS = """
warga masyarakat pemerintah kota desa kampung sekolah guru murid siswa mahasiswa kampus
pasar harga beras minyak pangan petani nelayan sawah ladang kebun hutan sungai laut pantai
gunung jalan jembatan banjir hujan kemarau musim cuaca udara air listrik internet ponsel
aplikasi data layanan kantor pegawai pekerja buruh upah gaji pajak anggaran dana bantuan
program kebijakan aturan hukum hakim pengadilan polisi keamanan kesehatan rumah puskesmas
dokter perawat obat gizi anak keluarga ibu ayah pemuda tokoh pemimpin wakil rakyat daerah
provinsi kabupaten kecamatan bangsa negara budaya tradisi adat bahasa sejarah cerita buku
bacaan perpustakaan media berita informasi pendapat gagasan pengalaman masalah solusi
tantangan peluang harapan perubahan pembangunan ekonomi usaha modal pembeli penjual produk
kualitas transportasi angkutan kereta bus motor sepeda sampah lingkungan energi iklim
makanan minuman kopi teh nasi sambal warung wisata pengunjung festival lomba pertandingan
pemain pelatih penonton waktu tahun bulan minggu hari pagi siang sore malam senja
membangun menjaga merawat membaca menulis belajar bekerja berjualan membeli menjual
membayar menunggu mendengar melihat merasa berpikir berbicara bertanya menjawab memilih
menolak mendukung mengkritik memperbaiki meningkatkan mengurangi menambah membantu
melindungi mengatur mengelola menghadapi menyelesaikan memahami menjelaskan menyampaikan
mengajak berharap berubah tumbuh berkembang bertahan berjalan datang pulang tinggal pindah
berkumpul menanam memasak mencoba mengingat melupakan menemukan kehilangan menerima
memberi baru lama besar kecil murah mahal mudah sulit penting sederhana nyata adil jujur
terbuka bersih aman sehat kuat lemah cepat lambat ramai sepi indah ramah hangat panjang
pendek jauh dekat tinggi rendah luas sempit kreatif mandiri produktif lokal digital umum
khusus utama wajar layak dan atau tetapi namun karena sehingga agar supaya jika ketika saat
setelah sebelum selama sejak hingga dengan tanpa untuk bagi dari ke di pada oleh tentang
terhadap antara yang ini itu juga masih sudah belum akan sedang bisa dapat harus perlu
tidak bukan lebih paling sangat cukup hanya semua setiap banyak sedikit beberapa para kita
kami mereka saya sendiri bersama kembali lagi memang tentu mungkin justru bahkan pun
sebenarnya akhirnya ternyata biasanya sering jarang selalu kadang-kadang segera perlahan
tetangga teman sahabat kawan suasana kenangan rindu semangat kerja keras sabar syukur
""".split()

SMALL_WORDS = frozenset(
    "di ke dari dan yang untuk bagi pada dengan atau soal tentang antara dalam oleh".split()
)

MONTHS = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()

# What articles in each topic talk about, by topic slug (lower case, as in a sentence).
SUBJECTS = {
    "politik": [
        "koalisi partai", "kampanye digital", "politik uang", "debat kandidat",
        "hak pilih pemula", "netralitas aparatur",
    ],
    "kebijakan": [
        "subsidi BBM", "kenaikan tarif listrik", "zonasi sekolah", "bantuan sosial tunai",
        "pajak kendaraan", "program makan siang gratis", "aturan ojek daring",
        "harga eceran tertinggi beras",
    ],
    "hukum": [
        "revisi undang-undang", "bantuan hukum gratis", "sengketa tanah warga",
        "hukuman bagi koruptor", "perlindungan data pribadi",
    ],
    "pemerintahan": [
        "pelayanan publik", "reformasi birokrasi", "dana desa", "pemekaran wilayah",
        "musyawarah perencanaan pembangunan", "kinerja kepala daerah",
    ],
    "ekonomi": [
        "inflasi pangan", "daya beli warga", "ekonomi digital", "harga cabai",
        "lapangan kerja", "pasar tradisional",
    ],
    "keuangan": [
        "pinjaman online", "dana darurat keluarga", "investasi reksa dana",
        "literasi keuangan", "tabungan pensiun", "cicilan rumah",
    ],
    "umkm": [
        "UMKM kuliner", "sertifikasi halal", "kemasan produk lokal",
        "pemasaran lewat media sosial", "koperasi desa", "kredit usaha rakyat",
    ],
    "karier": [
        "pekerja lepas", "kerja jarak jauh", "lulusan baru", "pelatihan vokasi",
        "gaji pertama", "pindah kerja",
    ],
    "humaniora": [
        "budaya membaca", "ruang publik", "toleransi antarwarga", "seni pertunjukan",
        "identitas kota",
    ],
    "pendidikan": [
        "kurikulum merdeka", "guru honorer", "sekolah di pelosok", "ujian masuk kampus",
        "literasi numerasi", "beasiswa daerah",
    ],
    "sosial-budaya": [
        "gotong royong", "tradisi mudik", "pernikahan adat", "ronda malam",
        "arisan kampung", "kesenian daerah",
    ],
    "bahasa": [
        "bahasa daerah", "bahasa gaul", "ejaan baku", "istilah asing",
        "bahasa Indonesia di media sosial",
    ],
    "sejarah": [
        "cagar budaya", "museum daerah", "jejak kolonial", "cerita para veteran",
        "sejarah kampung kota",
    ],
    "gaya-hidup": [
        "gaya hidup hemat", "olahraga pagi", "budaya nongkrong", "belanja daring",
        "hidup minimalis",
    ],
    "kuliner": [
        "kuliner nusantara", "warung tegal", "sambal rumahan", "jajanan pasar", "kopi lokal",
        "soto kampung",
    ],
    "parenting": [
        "waktu layar anak", "pola asuh", "bekal sekolah", "anak dan gawai",
        "pendidikan karakter di rumah",
    ],
    "kesehatan": [
        "layanan BPJS", "pencegahan stunting", "kesehatan mental", "antrean puskesmas",
        "imunisasi anak", "demam berdarah",
    ],
    "teknologi": [
        "kecerdasan buatan", "keamanan data", "internet desa", "dompet digital",
        "aplikasi pemerintah", "gawai murah",
    ],
    "olahraga": [
        "sepak bola nasional", "bulu tangkis", "liga kampung", "lari pagi", "stadion daerah",
        "atlet muda",
    ],
    "wisata": [
        "desa wisata", "wisata bahari", "pendakian gunung", "homestay warga",
        "wisata murah meriah", "kereta wisata",
    ],
    "lingkungan": [
        "sampah plastik", "banjir musiman", "hutan mangrove", "polusi udara", "bank sampah",
        "krisis air bersih",
    ],
}  # fmt: skip
GENERIC_SUBJECTS = [
    "kehidupan warga", "ruang publik", "kebiasaan baru", "kota kita", "keseharian kita",
    "kampung halaman", "suara warga",
]  # fmt: skip

CONTEXTS = [
    "inflasi", "tahun politik", "era digital", "musim hujan", "krisis iklim",
    "bonus demografi", "keterbatasan anggaran", "arus urbanisasi", "riuh media sosial",
    "perlambatan ekonomi", "pemulihan pascapandemi", "harga yang terus naik",
]  # fmt: skip
DEMANDS = [
    "dibenahi", "didengar lebih serius", "dikawal bersama", "dievaluasi", "melibatkan warga",
    "dimulai dari desa", "lebih transparan",
]  # fmt: skip
QUALITIES = ["mahal", "ramai", "rumit", "mendesak", "terpinggirkan", "menjanjikan"]
GROUPS = ["petani", "pelajar", "pekerja informal", "warga desa", "keluarga muda", "lansia"]

# {x}: subject, {y}: context, {z}: demand, {q}: quality, {g}: group, {c}: city.
TITLE_TEMPLATES = [
    "menimbang {x} di tengah {y}",
    "mengapa {x} perlu {z}",
    "{x} dan pekerjaan rumah kita",
    "catatan dari {c}: {x} yang terlupakan",
    "belajar dari {c} soal {x}",
    "{x}: antara harapan dan kenyataan",
    "menyoal {x} yang kian {q}",
    "sudahkah {x} berpihak pada warga?",
    "tiga catatan tentang {x}",
    "saatnya {x} naik kelas",
    "jalan panjang {x}",
    "menakar dampak {x} bagi {g}",
    "apa kabar {x}?",
    "merawat {x} dari hal kecil",
    "pro dan kontra {x}",
    "di balik riuh {x}",
    "{x} di tengah {y}, apa yang bisa kita lakukan?",
    "ketika {x} tak lagi sekadar wacana",
]
FICTION_TITLES = [
    "senja di {c}", "surat untuk {n}", "hujan pertama di bulan {m}",
    "lelaki yang menunggu kereta", "perempuan penjual {w}", "rumah di ujung gang",
    "kenangan dari {c}", "sajak tentang {w}", "pulang ke {c}", "{n} dan {w}",
]  # fmt: skip
FICTION_NOUNS = ["kopi", "layang-layang", "hujan", "pasar", "sungai", "kabut", "sepeda", "sawah"]

HEADINGS = [
    "Apa yang Sebenarnya Terjadi?", "Suara dari Lapangan", "Belajar dari {c}",
    "Langkah Kecil yang Bisa Dimulai", "Angka yang Berbicara", "Di Balik {X}",
    "Yang Luput dari Perhatian", "Catatan Penutup", "Bukan Sekadar {X}",
    "Pengalaman Pribadi", "Jalan Tengah", "Pelajaran untuk Kita",
]  # fmt: skip

# Sentences about the article's subject; {x} subject, {c} city, {n} a name.
SUBJECT_SENTENCES = [
    "Di {c}, persoalan {x} sudah lama menjadi obrolan di warung kopi.",
    "{n}, warga {c}, mengaku baru memahami soal {x} setelah mengalaminya sendiri.",
    "Saya mencatat setidaknya {k} hal yang membuat {x} terasa dekat dengan keseharian kita.",
    "Angka {p} persen yang sering dikutip itu belum bercerita banyak tentang {x}.",
    "Sejak {yr}, pembicaraan tentang {x} datang dan pergi mengikuti musim berita.",
    "Barangkali yang kita perlukan bukan aturan baru, melainkan keberanian membicarakan {x} "
    "secara jujur.",
    "Tetangga saya di {c} punya cara sederhana menyikapi {x}: mulai dari rumah sendiri.",
    "Pertanyaannya, siapa yang paling merasakan dampak {x}?",
    "Tidak semua orang sepakat, dan itu wajar dalam urusan {x}.",
    "Dalam sebuah obrolan sore, {n} menyebut {x} sebagai pekerjaan rumah bersama.",
    "Pengalaman di {c} menunjukkan bahwa {x} bisa dibenahi jika warga dilibatkan sejak awal.",
    "Tulisan ini tidak hendak menghakimi, hanya mencatat apa yang saya lihat tentang {x}.",
    "Kalau mau jujur, {x} bukan cerita baru bagi kami di {c}.",
    "Menurut {n}, kunci persoalan {x} ada pada kemauan untuk saling mendengar.",
]
COUNT_WORDS = ["dua", "tiga", "empat", "lima"]

# Tags, and which of them suit each topic family (the root topic's slug).
TAGS_BY_FAMILY = {
    "politik": [
        "pilkada", "kebijakan publik", "anggaran daerah", "pelayanan publik", "hukum",
        "korupsi", "demokrasi",
    ],
    "ekonomi": [
        "ekonomi digital", "umkm", "keuangan keluarga", "pinjol", "karier", "generasi z",
        "harga pangan",
    ],
    "humaniora": [
        "pendidikan", "kurikulum", "guru", "literasi", "budaya lokal", "bahasa daerah",
        "sejarah",
    ],
    "gaya-hidup": ["kuliner nusantara", "kopi", "resep", "parenting", "keluarga"],
    "kesehatan": ["kesehatan mental", "bpjs", "stunting", "gizi"],
    "teknologi": ["teknologi", "kecerdasan buatan", "keamanan siber", "media sosial"],
    "olahraga": ["sepak bola", "bulu tangkis", "olahraga"],
    "wisata": ["desa wisata", "transportasi umum", "mudik"],
    "lingkungan": ["lingkungan hidup", "sampah plastik", "perubahan iklim"],
    "fiksiana": ["cerpen", "puisi", "fiksi"],
}  # fmt: skip
GENERAL_TAGS = ["opini", "catatan harian", "jakarta", "daerah"]
ALL_TAGS = sorted({tag for tags in TAGS_BY_FAMILY.values() for tag in tags} | set(GENERAL_TAGS))


@dataclass(frozen=True)
class CoverTheme:
    key: str  # also the word drawn on the cover, in capitals
    start: tuple[int, int, int]
    end: tuple[int, int, int]
    accent: tuple[int, int, int]
    shapes: str  # circles, stripes, triangles, dots or rings


COVER_THEMES = [
    CoverTheme("politik", (120, 20, 40), (230, 90, 60), (255, 220, 180), "stripes"),
    CoverTheme("ekonomi", (10, 70, 60), (60, 170, 120), (230, 255, 200), "triangles"),
    CoverTheme("umkm", (150, 80, 10), (245, 180, 60), (255, 245, 210), "dots"),
    CoverTheme("pendidikan", (20, 40, 110), (70, 140, 220), (255, 230, 120), "rings"),
    CoverTheme("budaya", (90, 30, 90), (200, 90, 150), (255, 210, 230), "circles"),
    CoverTheme("kuliner", (140, 40, 10), (240, 130, 40), (255, 240, 200), "circles"),
    CoverTheme("kesehatan", (10, 90, 110), (90, 200, 200), (240, 255, 255), "dots"),
    CoverTheme("teknologi", (15, 15, 45), (60, 60, 160), (120, 240, 255), "stripes"),
    CoverTheme("olahraga", (20, 90, 20), (140, 200, 60), (255, 255, 230), "triangles"),
    CoverTheme("wisata", (10, 60, 130), (60, 190, 230), (255, 240, 170), "rings"),
    CoverTheme("lingkungan", (30, 70, 20), (110, 160, 60), (220, 250, 190), "circles"),
    CoverTheme("fiksiana", (40, 30, 70), (150, 110, 190), (250, 230, 255), "stripes"),
]  # fmt: skip
COVER_SIZE = (1200, 675)

# Topic slug or family slug -> cover theme key.
COVER_FOR_TOPIC = {
    "umkm": "umkm",
    "pendidikan": "pendidikan",
    "parenting": "pendidikan",
    "humaniora": "budaya",
    "gaya-hidup": "kuliner",
}
COVER_CAPTIONS = [
    "Ilustrasi {x}: persoalan yang dekat dengan keseharian warga.",
    "Ilustrasi tentang {x} di {c}.",
    "Suasana yang menggambarkan {x}, diolah sebagai ilustrasi.",
    "{X} menjadi perbincangan warga dalam beberapa pekan terakhir.",
]
COVER_CREDITS = [
    "Dokumentasi pribadi",
    "Ilustrasi: Kolom Warga",
    "Grafis: Redaksi Kolom Warga",
    "Foto: dokumentasi penulis",
]

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


def headline_case(text: str) -> str:
    """Capitalise a headline the Indonesian way: main words, not the short connecting words."""
    words = text.split(" ")
    return " ".join(
        word if index and word in SMALL_WORDS else word[:1].upper() + word[1:]
        for index, word in enumerate(words)
    )


class DemoWriter:
    """Deterministic Indonesian demo text: the same seed gives the same people and articles."""

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

    # Articles ---------------------------------------------------------------

    def subject(self, topic_slug: str, family: str) -> str:
        subjects = SUBJECTS.get(topic_slug) or SUBJECTS.get(family) or GENERIC_SUBJECTS
        return self.random.choice(subjects)

    def title(self, subject: str, *, fiction: bool = False) -> str:
        if fiction:
            template = self.random.choice(FICTION_TITLES)
        else:
            template = self.random.choice(TITLE_TEMPLATES)
        text = template.format(
            x=subject,
            y=self.random.choice(CONTEXTS),
            z=self.random.choice(DEMANDS),
            q=self.random.choice(QUALITIES),
            g=self.random.choice(GROUPS),
            c=self.city(),
            n=self.fake.first_name(),
            m=self.random.choice(MONTHS),
            w=self.random.choice(FICTION_NOUNS),
        )
        return headline_case(text)

    def excerpt(self, subject: str) -> str:
        return " ".join(self.subject_sentence(subject) for _ in range(2))

    def tags(self, family: str) -> list[str]:
        """One to four tags: mostly from the topic's family, sometimes a general one."""
        own = TAGS_BY_FAMILY.get(family, GENERAL_TAGS)
        tags = self.random.sample(own, min(len(own), self.random.randint(1, 3)))
        if self.random.random() < 0.4:
            tags.append(self.random.choice(GENERAL_TAGS))
        return tags

    def cover_theme_key(self, topic_slug: str, family: str) -> str:
        return COVER_FOR_TOPIC.get(topic_slug) or COVER_FOR_TOPIC.get(family) or family

    def cover_caption(self, subject: str) -> str:
        caption = self.random.choice(COVER_CAPTIONS)
        return caption.format(x=subject, X=subject[:1].upper() + subject[1:], c=self.city())

    def cover_credit(self) -> str:
        return self.random.choice(COVER_CREDITS)

    def body(self, subject: str, kind: str) -> str:
        """Article HTML as the editor would produce it: paragraphs, headings, quotes, lists."""
        if kind == POEM:
            return self.poem()
        if kind == PAGED:
            pages = [self.page(subject, first=index == 0) for index in range(PAGED_PAGES)]
            return f"\n{PAGE_BREAK}\n".join(pages)
        if kind == LONG:
            blocks = [self.paragraph(subject)]
            while sum(map(len, blocks)) < LONG_MIN_CHARS:
                blocks.append(self.heading(subject))
                blocks.extend(self.block(subject) for _ in range(self.random.randint(3, 5)))
            return "\n".join(blocks)
        blocks = [self.paragraph(subject)]
        for _ in range(self.random.randint(4, 8)):
            if self.random.random() < 0.2:
                blocks.append(self.heading(subject))
            blocks.append(self.block(subject))
        blocks.append(self.paragraph(subject))
        return "\n".join(blocks)

    def page(self, subject: str, *, first: bool) -> str:
        blocks = [] if first else [self.heading(subject)]
        blocks.extend(self.block(subject) for _ in range(self.random.randint(4, 6)))
        return "\n".join(blocks)

    def block(self, subject: str) -> str:
        roll = self.random.random()
        if roll < 0.08:
            return self.quote()
        if roll < 0.15:
            return self.bullet_list(subject)
        return self.paragraph(subject)

    def heading(self, subject: str) -> str:
        text = self.random.choice(HEADINGS).format(
            c=self.city(), X=headline_case(subject), x=subject
        )
        return f"<h2>{text}</h2>"

    def paragraph(self, subject: str) -> str:
        sentences = []
        for _ in range(self.random.randint(3, 6)):
            if self.random.random() < 0.35:
                sentences.append(self.subject_sentence(subject))
            else:
                sentences.append(self.decorate(self.lorem_sentence()))
        return f"<p>{' '.join(sentences)}</p>"

    def subject_sentence(self, subject: str) -> str:
        return self.random.choice(SUBJECT_SENTENCES).format(
            x=subject,
            c=self.city(),
            n=self.fake.first_name(),
            k=self.random.choice(COUNT_WORDS),
            p=self.random.randint(10, 90),
            yr=self.random.randint(2012, 2025),
        )

    def lorem_sentence(self, words: int | None = None) -> str:
        return self.fake.sentence(nb_words=words or self.random.randint(7, 15), ext_word_list=WORDS)

    def decorate(self, sentence: str) -> str:
        """Now and then mark a few words strong or emphasised, or make them a link."""
        roll = self.random.random()
        if roll > 0.2:
            return sentence
        words = sentence.split(" ")
        start = self.random.randrange(1, max(2, len(words) - 3))
        span = " ".join(words[start : start + 3]).rstrip(".")
        if roll < 0.07:
            marked = f"<strong>{span}</strong>"
        elif roll < 0.14:
            marked = f"<em>{span}</em>"
        else:
            marked = f'<a href="https://example.com/{slugify(span)}">{span}</a>'
        return sentence.replace(span, marked, 1)

    def quote(self) -> str:
        return (
            f"<blockquote><p>“{self.lorem_sentence().rstrip('.')},” kata {self.fake.first_name()}."
            "</p></blockquote>"
        )

    def bullet_list(self, subject: str) -> str:
        items = "".join(
            f"<li>{self.lorem_sentence(self.random.randint(3, 6)).rstrip('.')}</li>"
            for _ in range(self.random.randint(3, 5))
        )
        intro = f"<p>Beberapa hal yang menurut saya perlu dicatat soal {subject}:</p>"
        return f"{intro}\n<ul>{items}</ul>"

    def poem(self) -> str:
        stanzas = []
        for _ in range(self.random.randint(3, 5)):
            lines = [
                self.lorem_sentence(self.random.randint(3, 6)).rstrip(".")
                for _ in range(self.random.randint(3, 5))
            ]
            stanzas.append(f"<p>{'<br>'.join(lines)}</p>")
        return "\n".join(stanzas)


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


def cover_jpeg(theme: CoverTheme, seed: int = SEED) -> bytes:
    """A 1200x675 JPEG: a diagonal gradient, translucent shapes and the theme's word."""
    rng = random.Random(f"{seed}-{theme.key}")
    width, height = COVER_SIZE
    vertical = Image.linear_gradient("L")
    diagonal = ImageChops.add(vertical, vertical.rotate(90), scale=2)
    if rng.random() < 0.5:
        diagonal = ImageOps.mirror(diagonal)
    gradient = ImageOps.autocontrast(diagonal.resize(COVER_SIZE))
    image = ImageOps.colorize(gradient, theme.start, theme.end)
    # An "RGBA" drawing on an RGB image blends the translucent shapes into it.
    draw = ImageDraw.Draw(image, "RGBA")
    colour = theme.accent
    if theme.shapes == "circles":
        for _ in range(14):
            x, y, r = rng.randrange(width), rng.randrange(height), rng.randint(40, 220)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(*colour, rng.randint(30, 90)))
    elif theme.shapes == "rings":
        x, y = rng.randrange(width), rng.randrange(height)
        for r in range(60, 1400, 70):
            draw.ellipse((x - r, y - r, x + r, y + r), outline=(*colour, 70), width=14)
    elif theme.shapes == "stripes":
        for offset in range(-height, width, 110):
            band = rng.randint(20, 60)
            draw.polygon(
                [(offset, height), (offset + band, height), (offset + band + height, 0),
                 (offset + height, 0)],
                fill=(*colour, rng.randint(25, 70)),
            )  # fmt: skip
    elif theme.shapes == "triangles":
        for _ in range(18):
            points = [(rng.randrange(width), rng.randrange(height)) for _ in range(3)]
            draw.polygon(points, fill=(*colour, rng.randint(25, 75)))
    else:  # dots
        for x in range(30, width, 60):
            for y in range(30, height, 60):
                r = rng.randint(3, 12)
                draw.ellipse((x - r, y - r, x + r, y + r), fill=(*colour, 90))
    _draw_centred_text(draw, COVER_SIZE, theme.key.upper(), size=130)

    output = io.BytesIO()
    image.save(output, format="JPEG", quality=85, optimize=True)
    return output.getvalue()


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
