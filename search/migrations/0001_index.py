"""Fill the articles' search fields; on SQLite, the FTS5 tables and the triggers
that keep them in step with articles_article (README, "Search").

On PostgreSQL the vector and its GIN index are the article's own (articles
0011); the expression index of articles 0006 is dropped.

On SQLite, an articles migration that rebuilds the table (most AlterFields and
AddFields with a default) drops these triggers with the old table: it must
come before this one, or be followed by a migration that creates them again
(the search tests fail on SQLite when they are missing).
"""

from django.db import migrations

from articles.sanitizer import html_to_text
from core import analysis

BATCH = 500

SEARCH_FIELDS = [
    "search_document",
    "search_language",
    "search_title_terms",
    "search_keyword_terms",
    "search_body_terms",
    "search_vector",
]

# The FTS5 table's columns are named after articles_article's, so snippet()
# reads the original text (search_document) from the article row; what is
# indexed are the terms the triggers insert, one per token of that text.
SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE search_index USING fts5(
        search_title_terms, search_keyword_terms, search_document,
        content='articles_article', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    # "Did you mean": titles cut into trigrams.
    """CREATE VIRTUAL TABLE search_titles USING fts5(
        title, content='articles_article', content_rowid='id', tokenize='trigram')""",
    "CREATE VIRTUAL TABLE search_vocabulary USING fts5vocab(search_index, 'row')",
    """CREATE TRIGGER search_article_insert AFTER INSERT ON articles_article
    WHEN new.status = 'published' BEGIN
        INSERT INTO search_index (rowid, search_title_terms, search_keyword_terms, search_document)
        VALUES (new.id, new.search_title_terms, new.search_keyword_terms, new.search_body_terms);
        INSERT INTO search_titles (rowid, title) VALUES (new.id, new.title);
    END""",
    # Only a change of what is indexed touches the index (not a view count).
    """CREATE TRIGGER search_article_update AFTER UPDATE ON articles_article
    WHEN (old.status = 'published' OR new.status = 'published') AND (
        old.status IS NOT new.status OR old.title IS NOT new.title
        OR old.search_title_terms IS NOT new.search_title_terms
        OR old.search_keyword_terms IS NOT new.search_keyword_terms
        OR old.search_body_terms IS NOT new.search_body_terms) BEGIN
        INSERT INTO search_index
            (search_index, rowid, search_title_terms, search_keyword_terms, search_document)
        SELECT 'delete', old.id, old.search_title_terms, old.search_keyword_terms,
            old.search_body_terms WHERE old.status = 'published';
        INSERT INTO search_titles (search_titles, rowid, title)
        SELECT 'delete', old.id, old.title WHERE old.status = 'published';
        INSERT INTO search_index (rowid, search_title_terms, search_keyword_terms, search_document)
        SELECT new.id, new.search_title_terms, new.search_keyword_terms, new.search_body_terms
        WHERE new.status = 'published';
        INSERT INTO search_titles (rowid, title)
        SELECT new.id, new.title WHERE new.status = 'published';
    END""",
    """CREATE TRIGGER search_article_delete AFTER DELETE ON articles_article
    WHEN old.status = 'published' BEGIN
        INSERT INTO search_index
            (search_index, rowid, search_title_terms, search_keyword_terms, search_document)
        VALUES ('delete', old.id, old.search_title_terms, old.search_keyword_terms,
            old.search_body_terms);
        INSERT INTO search_titles (search_titles, rowid, title) VALUES ('delete', old.id, old.title);
    END""",
    """INSERT INTO search_index (rowid, search_title_terms, search_keyword_terms, search_document)
    SELECT id, search_title_terms, search_keyword_terms, search_body_terms
    FROM articles_article WHERE status = 'published'""",
    """INSERT INTO search_titles (rowid, title)
    SELECT id, title FROM articles_article WHERE status = 'published'""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_article_insert",
    "DROP TRIGGER IF EXISTS search_article_update",
    "DROP TRIGGER IF EXISTS search_article_delete",
    "DROP TABLE IF EXISTS search_vocabulary",
    "DROP TABLE IF EXISTS search_titles",
    "DROP TABLE IF EXISTS search_index",
]


def fill_fields(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    last = 0
    while True:
        batch = list(
            Article.objects.filter(pk__gt=last)
            .order_by("pk")
            .select_related("topic")
            .only("pk", "title", "excerpt", "body_html", "topic__name")[:BATCH]
        )
        if not batch:
            break
        tags: dict[int, list[str]] = {}
        for pk, name in TaggedArticle.objects.filter(
            content_object__in=[article.pk for article in batch]
        ).values_list("content_object_id", "tag__name"):
            tags.setdefault(pk, []).append(name)
        for article in batch:
            text = " ".join(
                part for part in (article.excerpt, html_to_text(article.body_html)) if part
            )
            fields = analysis.body_fields(text)
            keywords = " ".join([*sorted(tags.get(article.pk, [])), article.topic.name])
            fields |= analysis.heading_fields(
                article.title, keywords, fields["search_language"], fields["search_body_terms"]
            )
            for field, value in fields.items():
                setattr(article, field, value)
        Article.objects.bulk_update(batch, SEARCH_FIELDS)
        last = batch[-1].pk


def create_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS articles_article_search")


def drop_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    # After every articles migration that rebuilds the table on SQLite (README, "Search").
    dependencies = [("articles", "0013_backfill_word_count")]

    operations = [
        migrations.RunPython(fill_fields, migrations.RunPython.noop),
        migrations.RunPython(create_sqlite_index, drop_sqlite_index),
    ]
