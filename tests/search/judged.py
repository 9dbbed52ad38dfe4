"""A judged query set over a small original corpus, and its measures (README, "Search").

Every article and query here was written for these tests. A judgement gives each
relevant article a grade: 2 is what the reader meant, 1 is also useful. Queries
cover inflected forms, typos, names, phrases and English.

    nDCG@10   discounted gain of the first ten results over the ideal order
    success@3 share of queries with a grade-2 article among the first three
"""

import math

# key: (topic, author, title, tags, body)
TOPICS = {
    "kebijakan": "Kebijakan Publik",
    "hubungan": "Hubungan Luar Negeri",
    "lingkungan": "Lingkungan",
    "pertanian": "Pertanian",
    "pendidikan": "Pendidikan",
    "kesehatan": "Kesehatan",
    "transportasi": "Transportasi",
    "ekonomi": "Ekonomi",
    "kuliner": "Kuliner",
    "teknologi": "Teknologi",
    "olahraga": "Olahraga",
    "english": "Opini",
}
AUTHORS = {
    "ratna": "Ratna Kusumawati",
    "bayu": "Bayu Prasetyo",
    "made": "Made Wirawan",
    "andi": "Andi Siregar",
}

CORPUS = {
    "parkir-bandung": (
        "kebijakan",
        "ratna",
        "Kebijakan parkir di Bandung membingungkan warga",
        ["parkir", "bandung"],
        "Sejak bulan lalu pemerintah kota menaikkan tarif parkir di pusat kota. Juru parkir "
        "mengaku bingung, sementara warga memilih memarkir motor di gang. Kebijakannya "
        "diumumkan tanpa sosialisasi yang cukup.",
    ),
    "parkir-liar": (
        "transportasi",
        "bayu",
        "Parkir liar di trotoar Jakarta",
        ["parkir", "trotoar"],
        "Pejalan kaki terpaksa turun ke jalan karena trotoar dipenuhi kendaraan. Petugas "
        "dinas perhubungan jarang menertibkan parkir liar pada malam hari.",
    ),
    "berkebijakan": (
        "kebijakan",
        "andi",
        "Desa yang berkebijakan sendiri soal sampah plastik",
        ["sampah", "desa"],
        "Sebuah desa di Sleman membuat peraturan desa yang melarang kantong plastik di warung. "
        "Kepala desa menyebut aturan itu lahir dari musyawarah warga.",
    ),
    "kebijakan-pangan": (
        "pertanian",
        "ratna",
        "Kebijakan impor beras dan nasib petani",
        ["beras", "impor", "petani"],
        "Impor beras datang tepat ketika petani di Karawang memanen padi. Harga gabah turun "
        "dan petani merugi. Pemerintah diminta meninjau ulang kebijakan impor.",
    ),
    "diplomasi-siber": (
        "hubungan",
        "made",
        "Diplomasi siber Indonesia di tengah perang data",
        ["diplomasi", "siber", "keamanan data"],
        "Serangan peretas ke situs pemerintah membuat diplomasi siber menjadi penting. "
        "Indonesia perlu berdiplomasi dengan negara tetangga agar kejahatan siber bisa "
        "ditindak lintas batas.",
    ),
    "berdiplomasi-pasar": (
        "ekonomi",
        "bayu",
        "Belajar berdiplomasi dari pedagang pasar",
        ["pasar", "pedagang"],
        "Pedagang di Pasar Beringharjo tahu cara menawar tanpa membuat pembeli tersinggung. "
        "Keahlian berunding seperti itu jarang diajarkan di sekolah.",
    ),
    "diplomasi-budaya": (
        "hubungan",
        "made",
        "Gamelan sebagai alat diplomasi budaya",
        ["gamelan", "budaya"],
        "Kelompok gamelan dari Bali tampil di Eropa setiap tahun. Para pemain menjadi duta "
        "budaya tanpa gelar resmi, dan pertunjukannya memperkenalkan Indonesia.",
    ),
    "banjir-semarang": (
        "lingkungan",
        "andi",
        "Banjir rob kembali merendam Semarang utara",
        ["banjir", "rob", "semarang"],
        "Air laut pasang masuk ke permukiman di Semarang utara. Warga meninggikan lantai rumah "
        "setiap beberapa tahun. Penurunan muka tanah membuat banjir rob makin parah.",
    ),
    "banjir-sungai": (
        "lingkungan",
        "ratna",
        "Sungai yang meluap setelah hujan semalam",
        ["hujan", "sungai"],
        "Hujan deras semalam membuat sungai di Bekasi meluap. Ratusan rumah kebanjiran dan "
        "warga mengungsi ke masjid terdekat.",
    ),
    "sampah-bank": (
        "lingkungan",
        "bayu",
        "Bank sampah yang membiayai sekolah anak-anak",
        ["sampah", "daur ulang"],
        "Ibu-ibu di Malang mengumpulkan sampah plastik dan kertas, lalu menukarnya dengan "
        "tabungan. Hasilnya dipakai untuk membayar biaya sekolah anak.",
    ),
    "pupuk-subsidi": (
        "pertanian",
        "andi",
        "Pupuk bersubsidi langka menjelang musim tanam",
        ["pupuk", "subsidi"],
        "Petani di Lamongan antre di kios resmi sejak subuh. Kuota pupuk bersubsidi tidak "
        "cukup, dan pupuk nonsubsidi harganya dua kali lipat.",
    ),
    "pupuk-organik": (
        "pertanian",
        "made",
        "Membuat pupuk organik dari limbah dapur",
        ["pupuk", "kompos"],
        "Sisa sayuran dan kulit buah bisa diolah menjadi kompos dalam tiga minggu. Caranya "
        "mudah: tumpuk, siram, dan aduk setiap beberapa hari.",
    ),
    "guru-honorer": (
        "pendidikan",
        "ratna",
        "Guru honorer yang mengajar di tiga sekolah",
        ["guru", "honorer"],
        "Pak Darto mengajar matematika di tiga sekolah swasta agar gajinya cukup. Ia "
        "berharap pengangkatan guru honorer menjadi pegawai tidak tertunda lagi.",
    ),
    "kurikulum": (
        "pendidikan",
        "andi",
        "Kurikulum baru dan kebingungan orang tua",
        ["kurikulum", "sekolah"],
        "Orang tua murid mengeluh karena buku pelajaran berganti setiap tahun. Sekolah "
        "mengatakan pendidikan harus menyesuaikan zaman, tetapi pelatihan guru tertinggal.",
    ),
    "mendidik-anak": (
        "pendidikan",
        "bayu",
        "Cara mendidik anak membaca tanpa paksaan",
        ["membaca", "anak"],
        "Membacakan dongeng sebelum tidur membuat anak menyukai buku. Orang tua tidak perlu "
        "memaksa; cukup sediakan bacaan dan waktu.",
    ),
    "puskesmas": (
        "kesehatan",
        "made",
        "Antrean panjang di puskesmas kecamatan",
        ["puskesmas", "bpjs"],
        "Pasien BPJS datang sebelum pukul enam pagi untuk mendapat nomor antrean. Dokter di "
        "puskesmas hanya dua orang untuk melayani seratus pasien.",
    ),
    "demam-berdarah": (
        "kesehatan",
        "ratna",
        "Demam berdarah meningkat di musim hujan",
        ["demam berdarah", "nyamuk"],
        "Dinas kesehatan mencatat kasus demam berdarah naik tajam. Warga diminta menguras bak "
        "mandi dan menutup tempat penampungan air agar nyamuk tidak berkembang biak.",
    ),
    "stunting": (
        "kesehatan",
        "andi",
        "Posyandu melawan stunting di desa",
        ["stunting", "posyandu", "gizi"],
        "Kader posyandu menimbang balita setiap bulan dan membagikan telur. Angka stunting di "
        "desa itu turun setelah program makanan tambahan berjalan dua tahun.",
    ),
    "krl": (
        "transportasi",
        "bayu",
        "Berdesakan di KRL pada jam sibuk",
        ["krl", "kereta", "jakarta"],
        "Penumpang kereta rel listrik dari Bogor berdiri sepanjang perjalanan. Gerbong "
        "tambahan belum cukup untuk mengurangi kepadatan pada pagi hari.",
    ),
    "angkot": (
        "transportasi",
        "made",
        "Angkot yang makin sepi penumpang",
        ["angkot", "ojek daring"],
        "Sopir angkot di Bogor mengeluh penghasilan turun sejak ojek daring menjamur. "
        "Sebagian memilih menjual mobilnya dan beralih profesi.",
    ),
    "jalan-rusak": (
        "transportasi",
        "andi",
        "Jalan rusak di jalur mudik pantura",
        ["jalan", "mudik"],
        "Lubang besar di jalur pantura membahayakan pemudik sepeda motor. Perbaikan jalan "
        "dijanjikan selesai sebelum lebaran, tetapi pekerjaan baru dimulai.",
    ),
    "umkm-digital": (
        "ekonomi",
        "ratna",
        "UMKM batik yang berjualan lewat media sosial",
        ["umkm", "batik", "media sosial"],
        "Perajin batik di Pekalongan kini memotret kainnya sendiri dan menjualnya lewat "
        "media sosial. Pesanan datang dari luar pulau.",
    ),
    "harga-cabai": (
        "ekonomi",
        "bayu",
        "Harga cabai melonjak, pedagang gorengan menjerit",
        ["cabai", "harga"],
        "Harga cabai rawit mencapai seratus ribu rupiah per kilogram. Pedagang gorengan "
        "mengurangi sambal agar tetap untung.",
    ),
    "pinjol": (
        "ekonomi",
        "made",
        "Terjerat pinjaman online ilegal",
        ["pinjol", "utang"],
        "Seorang ibu rumah tangga meminjam dua juta rupiah dan ditagih sepuluh kali lipat. "
        "Penagih menyebarkan data pribadinya ke semua kontak.",
    ),
    "rendang": (
        "kuliner",
        "andi",
        "Rahasia rendang yang dimasak delapan jam",
        ["rendang", "padang"],
        "Rendang Minang dimasak perlahan dengan santan sampai kering dan berwarna gelap. "
        "Bumbunya meresap karena api kecil dan kesabaran.",
    ),
    "soto": (
        "kuliner",
        "ratna",
        "Soto Lamongan di ujung gang",
        ["soto", "lamongan"],
        "Warung soto ini buka sejak tahun delapan puluhan. Koya dari kerupuk udang menjadi "
        "ciri khas kuahnya yang kuning.",
    ),
    "kopi": (
        "kuliner",
        "bayu",
        "Kedai kopi kecil yang bertahan di tengah waralaba",
        ["kopi", "kedai"],
        "Pemilik kedai menyangrai biji kopi dari petani Gayo sendiri. Pelanggan setia datang "
        "karena rasa dan obrolan, bukan karena promosi.",
    ),
    "data-bocor": (
        "teknologi",
        "made",
        "Kebocoran data pribadi dan hak warga",
        ["data pribadi", "keamanan data"],
        "Jutaan data kependudukan dijual di forum peretas. Warga berhak tahu siapa yang "
        "lalai menjaga data pribadi mereka.",
    ),
    "sinyal-desa": (
        "teknologi",
        "andi",
        "Mencari sinyal internet di desa perbatasan",
        ["internet", "desa"],
        "Siswa di desa perbatasan Kalimantan naik ke bukit untuk mendapat sinyal. Belajar "
        "daring hampir mustahil tanpa menara pemancar.",
    ),
    "kecerdasan-buatan": (
        "teknologi",
        "ratna",
        "Kecerdasan buatan di ruang kelas",
        ["kecerdasan buatan", "sekolah"],
        "Guru mulai memakai kecerdasan buatan untuk menyusun soal. Sebagian khawatir murid "
        "menyalin jawaban tanpa berpikir.",
    ),
    "timnas": (
        "olahraga",
        "bayu",
        "Timnas sepak bola dan mimpi Piala Dunia",
        ["sepak bola", "timnas"],
        "Kemenangan atas tim tamu membuat suporter bermimpi tampil di Piala Dunia. Pelatih "
        "meminta pemain tetap rendah hati.",
    ),
    "bulu-tangkis": (
        "olahraga",
        "made",
        "Klub bulu tangkis kampung yang melahirkan juara",
        ["bulu tangkis", "klub"],
        "Gedung olahraga sederhana di Kudus menjadi tempat latihan anak-anak sejak subuh. "
        "Beberapa di antaranya kini bermain di pelatnas.",
    ),
    "lari-pagi": (
        "olahraga",
        "andi",
        "Komunitas lari pagi di car free day",
        ["lari", "komunitas"],
        "Setiap Minggu ratusan pelari berkumpul di jalan protokol. Komunitas ini membantu "
        "pemula berlatih tanpa cedera.",
    ),
    "english-parking": (
        "english",
        "made",
        "Why the new parking policy is failing",
        ["parking", "policy"],
        "The city raised parking fees without asking residents. The policy was meant to "
        "reduce traffic, but drivers now park in the narrow streets of the neighbourhood.",
    ),
    "english-floods": (
        "english",
        "ratna",
        "Living with floods on the northern coast",
        ["floods", "coast"],
        "Families in the northern districts raise their floors every few years. The sea is "
        "rising while the land is sinking, and the floods come with every high tide.",
    ),
    "english-teachers": (
        "english",
        "andi",
        "The teachers who keep village schools open",
        ["teachers", "schools"],
        "Contract teachers earn less than a market porter, yet they keep village schools "
        "running. Many of them teach in two or three schools every week.",
    ),
    "english-cyber": (
        "english",
        "bayu",
        "Cyber diplomacy in Southeast Asia",
        ["cyber", "diplomacy"],
        "Governments in the region are learning that cyber attacks cross borders in seconds. "
        "Diplomats now negotiate rules for data and hacking.",
    ),
    "english-coffee": (
        "english",
        "made",
        "A small coffee shop against the chains",
        ["coffee"],
        "The owner roasts beans bought from farmers in Aceh. Regular customers come for the "
        "taste and the conversation rather than the discounts.",
    ),
}

# query: {article key: grade}
JUDGEMENTS = {
    # Words as written
    "parkir": {"parkir-bandung": 2, "parkir-liar": 2},
    "banjir": {"banjir-semarang": 2, "banjir-sungai": 2},
    "pupuk": {"pupuk-subsidi": 2, "pupuk-organik": 2},
    "rendang": {"rendang": 2},
    "puskesmas": {"puskesmas": 2},
    "stunting": {"stunting": 2},
    "gamelan": {"diplomasi-budaya": 2},
    "pinjaman online": {"pinjol": 2},
    "harga cabai": {"harga-cabai": 2},
    "guru honorer": {"guru-honorer": 2, "english-teachers": 1},
    "sampah plastik": {"berkebijakan": 2, "sampah-bank": 2},
    "kereta": {"krl": 2},
    "angkot": {"angkot": 2},
    "kompos": {"pupuk-organik": 2},
    "batik": {"umkm-digital": 2},
    "demam berdarah": {"demam-berdarah": 2},
    "sinyal internet": {"sinyal-desa": 2},
    "sepak bola": {"timnas": 2},
    "bulu tangkis": {"bulu-tangkis": 2},
    "kopi": {"kopi": 2, "english-coffee": 1},
    # Inflected and derived forms
    "kebijakan": {"parkir-bandung": 2, "berkebijakan": 2, "kebijakan-pangan": 2},
    "berkebijakan": {"berkebijakan": 2, "parkir-bandung": 1, "kebijakan-pangan": 1},
    "kebijakannya": {"parkir-bandung": 2, "kebijakan-pangan": 1, "berkebijakan": 1},
    "diplomasi": {"diplomasi-siber": 2, "diplomasi-budaya": 2, "berdiplomasi-pasar": 1},
    "berdiplomasi": {"berdiplomasi-pasar": 2, "diplomasi-siber": 2, "diplomasi-budaya": 1},
    "kebanjiran": {"banjir-sungai": 2, "banjir-semarang": 1},
    "pendidikan": {"kurikulum": 2, "mendidik-anak": 1},
    "mendidik": {"mendidik-anak": 2, "kurikulum": 1},
    "petani": {"kebijakan-pangan": 2, "pupuk-subsidi": 2, "kopi": 1},
    "bersubsidi": {"pupuk-subsidi": 2},
    "pedagang": {"berdiplomasi-pasar": 2, "harga-cabai": 2},
    "penumpang": {"krl": 2, "angkot": 2},
    "pemudik": {"jalan-rusak": 2},
    "mengajar": {"guru-honorer": 2},
    "berlatih": {"lari-pagi": 2, "bulu-tangkis": 1},
    # Phrases and several words
    '"diplomasi siber"': {"diplomasi-siber": 2},
    "diplomasi siber": {"diplomasi-siber": 2, "english-cyber": 1},
    "kebijakan parkir": {"parkir-bandung": 2, "parkir-liar": 1},
    "banjir rob semarang": {"banjir-semarang": 2},
    "impor beras": {"kebijakan-pangan": 2},
    "data pribadi": {"data-bocor": 2, "pinjol": 1},
    "keamanan data": {"data-bocor": 2, "diplomasi-siber": 2},
    "kecerdasan buatan sekolah": {"kecerdasan-buatan": 2},
    "ojek daring": {"angkot": 2},
    "bank sampah": {"sampah-bank": 2},
    # Names and places
    "bandung": {"parkir-bandung": 2},
    "lamongan": {"soto": 2, "pupuk-subsidi": 2},
    "pekalongan": {"umkm-digital": 2},
    "kalimantan": {"sinyal-desa": 2},
    "gayo": {"kopi": 2},
    # Typos (corrected when nothing matches)
    "kebijkan parkir": {"parkir-bandung": 2, "parkir-liar": 1},
    "diplomsi": {"diplomasi-siber": 2, "diplomasi-budaya": 2, "berdiplomasi-pasar": 1},
    "rendng": {"rendang": 2},
    "puskesmass": {"puskesmas": 2},
    "stuntng": {"stunting": 2},
    "kurikulm": {"kurikulum": 2},
    # English
    "parking policy": {"english-parking": 2, "parkir-bandung": 1},
    "floods": {"english-floods": 2},
    "flooding coast": {"english-floods": 2},
    "teachers": {"english-teachers": 2},
    "cyber diplomacy": {"english-cyber": 2, "diplomasi-siber": 1},
    "coffee farmers": {"english-coffee": 2},
    "teaching schools": {"english-teachers": 2},
}


def dcg(grades: list[int]) -> float:
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def measure(rankings: dict[str, list[str]]) -> dict:
    """nDCG@10 and success@3 of ``rankings`` (query: article keys, best first)."""
    ndcg, success = [], []
    for query, judged in JUDGEMENTS.items():
        ranked = rankings.get(query, [])[:10]
        ideal = dcg(sorted(judged.values(), reverse=True)[:10])
        ndcg.append(dcg([judged.get(key, 0) for key in ranked]) / ideal)
        success.append(any(judged.get(key, 0) == 2 for key in ranked[:3]))
    return {
        "queries": len(JUDGEMENTS),
        "ndcg@10": sum(ndcg) / len(ndcg),
        "success@3": sum(success) / len(success),
        "failures": [q for q, ok in zip(JUDGEMENTS, success, strict=True) if not ok],
    }


def top_overlap(first: dict[str, list[str]], second: dict[str, list[str]], depth=3) -> float:
    """The mean share of the first ``depth`` results two rankings have in common."""
    shares = []
    for query in JUDGEMENTS:
        a, b = first.get(query, [])[:depth], second.get(query, [])[:depth]
        if a or b:
            shares.append(len(set(a) & set(b)) / max(len(a), len(b)))
    return sum(shares) / len(shares)
