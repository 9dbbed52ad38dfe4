"""The starting set of topics, Kompasiana-like: broad rubrics with a few children."""

from django.db import migrations

TOPICS = [
    ("Politik", "politik", "Kabar dan opini seputar politik dalam negeri.", [
        ("Kebijakan", "kebijakan", "Telaah atas kebijakan publik dan dampaknya."),
        ("Hukum", "hukum", "Penegakan hukum, peradilan dan hak warga."),
        ("Pemerintahan", "pemerintahan", "Kinerja pemerintah pusat dan daerah."),
    ]),
    ("Ekonomi", "ekonomi", "Ekonomi rakyat, keuangan dan dunia usaha.", [
        ("Keuangan", "keuangan", "Mengelola uang, investasi dan perbankan."),
        ("UMKM", "umkm", "Cerita dan kiat usaha mikro, kecil dan menengah."),
        ("Karier", "karier", "Dunia kerja dan pengembangan diri."),
    ]),
    ("Humaniora", "humaniora", "Pendidikan, budaya, bahasa dan sejarah.", [
        ("Pendidikan", "pendidikan", "Sekolah, kampus dan cara kita belajar."),
        ("Sosial Budaya", "sosial-budaya", "Tradisi dan kehidupan bermasyarakat."),
        ("Bahasa", "bahasa", "Bahasa Indonesia dan bahasa daerah."),
        ("Sejarah", "sejarah", "Jejak masa lalu Nusantara."),
    ]),
    ("Gaya Hidup", "gaya-hidup", "Keseharian, keluarga dan kuliner.", [
        ("Kuliner", "kuliner", "Masakan Nusantara dan tempat makan."),
        ("Parenting", "parenting", "Mengasuh dan mendidik anak."),
    ]),
    ("Kesehatan", "kesehatan", "Hidup sehat dan layanan kesehatan.", []),
    ("Teknologi", "teknologi", "Gawai, internet dan dunia digital.", []),
    ("Olahraga", "olahraga", "Sepak bola, bulu tangkis dan olahraga lainnya.", []),
    ("Wisata", "wisata", "Jalan-jalan di Nusantara dan mancanegara.", []),
    ("Lingkungan", "lingkungan", "Alam, iklim dan lingkungan hidup.", []),
    ("Fiksiana", "fiksiana", "Cerpen, puisi dan cerita bersambung.", [
        ("Cerpen", "cerpen", "Cerita pendek karya warga."),
        ("Puisi", "puisi", "Puisi dan sajak."),
    ]),
]  # fmt: skip


def create_topics(apps, schema_editor):
    Topic = apps.get_model("articles", "Topic")
    for position, (name, slug, description, children) in enumerate(TOPICS):
        parent, _ = Topic.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "position": position},
        )
        for child_position, (child_name, child_slug, child_description) in enumerate(children):
            Topic.objects.get_or_create(
                slug=child_slug,
                defaults={
                    "name": child_name,
                    "description": child_description,
                    "parent": parent,
                    "position": child_position,
                },
            )


def delete_topics(apps, schema_editor):
    Topic = apps.get_model("articles", "Topic")
    slugs = [slug for _, slug, _, _ in TOPICS]
    child_slugs = [child[1] for *_, children in TOPICS for child in children]
    Topic.objects.filter(slug__in=child_slugs, articles__isnull=True).delete()
    Topic.objects.filter(slug__in=slugs, articles__isnull=True, children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_topics, delete_topics)]
