"""Fill search_document for existing articles; on PostgreSQL, index it for full-text search."""

from django.db import migrations

from articles.sanitizer import html_to_text

BATCH = 1000
INDEX_NAME = "articles_article_search"


def fill_documents(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    last = 0
    while True:
        batch = list(
            Article.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "title", "excerpt", "body_html")[:BATCH]
        )
        if not batch:
            break
        for article in batch:
            article.search_document = " ".join(
                part
                for part in (article.title, article.excerpt, html_to_text(article.body_html))
                if part
            )
        Article.objects.bulk_update(batch, ["search_document"])
        last = batch[-1].pk


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'indonesian'")
        config = "indonesian" if cursor.fetchone() else "simple"
    # The same expression articles.search.document_vector() produces.
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON articles_article USING gin "
        f"(to_tsvector('{config}'::regconfig, COALESCE(search_document, '')))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_search_document")]

    operations = [
        migrations.RunPython(fill_documents, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
