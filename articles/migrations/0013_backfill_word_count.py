"""Count the words of the articles written before word_count existed."""

from django.db import migrations

from articles.sanitizer import html_to_text

BATCH = 500


def count_words(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    batch = []
    for article in Article.objects.only("pk", "body_html").iterator(chunk_size=BATCH):
        article.word_count = len(html_to_text(article.body_html).split())
        batch.append(article)
        if len(batch) == BATCH:
            Article.objects.bulk_update(batch, ["word_count"])
            batch = []
    Article.objects.bulk_update(batch, ["word_count"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_writers_tools"),
    ]

    operations = [
        migrations.RunPython(count_words, migrations.RunPython.noop),
    ]
