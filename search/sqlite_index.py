"""SQLite's full-text index of published articles, as it is now (README, "Search").

An FTS5 external-content table over ``articles_article`` (its columns are named
after the article's, so ``snippet()`` reads ``search_document`` from the article
row; what is indexed are the terms the triggers insert), its vocabulary (the
known terms "did you mean" asks), and the triggers that keep it in step when an
article is published, edited, hidden, unpublished or deleted, and only then.

A migration that rebuilds ``articles_article`` on SQLite drops the triggers with
the old table: it must be followed by a search migration that calls ``rebuild``
(tests/search/test_search.py keeps the last search migration after the last
articles migration).
"""

CREATE = [
    """CREATE VIRTUAL TABLE search_index USING fts5(
        search_title_terms, search_keyword_terms, search_document,
        content='articles_article', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    "CREATE VIRTUAL TABLE search_vocabulary USING fts5vocab(search_index, 'row')",
    """CREATE TRIGGER search_article_insert AFTER INSERT ON articles_article
    WHEN new.status = 'published' BEGIN
        INSERT INTO search_index (rowid, search_title_terms, search_keyword_terms, search_document)
        VALUES (new.id, new.search_title_terms, new.search_keyword_terms, new.search_body_terms);
    END""",
    # Only a change of what is indexed touches the index (not a view count).
    """CREATE TRIGGER search_article_update AFTER UPDATE ON articles_article
    WHEN (old.status = 'published' OR new.status = 'published') AND (
        old.status IS NOT new.status
        OR old.search_title_terms IS NOT new.search_title_terms
        OR old.search_keyword_terms IS NOT new.search_keyword_terms
        OR old.search_body_terms IS NOT new.search_body_terms) BEGIN
        INSERT INTO search_index
            (search_index, rowid, search_title_terms, search_keyword_terms, search_document)
        SELECT 'delete', old.id, old.search_title_terms, old.search_keyword_terms,
            old.search_body_terms WHERE old.status = 'published';
        INSERT INTO search_index (rowid, search_title_terms, search_keyword_terms, search_document)
        SELECT new.id, new.search_title_terms, new.search_keyword_terms, new.search_body_terms
        WHERE new.status = 'published';
    END""",
    """CREATE TRIGGER search_article_delete AFTER DELETE ON articles_article
    WHEN old.status = 'published' BEGIN
        INSERT INTO search_index
            (search_index, rowid, search_title_terms, search_keyword_terms, search_document)
        VALUES ('delete', old.id, old.search_title_terms, old.search_keyword_terms,
            old.search_body_terms);
    END""",
    """INSERT INTO search_index (rowid, search_title_terms, search_keyword_terms, search_document)
    SELECT id, search_title_terms, search_keyword_terms, search_body_terms
    FROM articles_article WHERE status = 'published'""",
]
# Everything any version created (search_titles, the titles' trigrams, was
# dropped by search 0006).
DROP = [
    "DROP TRIGGER IF EXISTS search_article_insert",
    "DROP TRIGGER IF EXISTS search_article_update",
    "DROP TRIGGER IF EXISTS search_article_delete",
    "DROP TABLE IF EXISTS search_vocabulary",
    "DROP TABLE IF EXISTS search_titles",
    "DROP TABLE IF EXISTS search_index",
]


def rebuild(schema_editor) -> None:
    """Drop whatever index is there and build this one, filled (SQLite only)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in [*DROP, *CREATE]:
        schema_editor.execute(statement)
