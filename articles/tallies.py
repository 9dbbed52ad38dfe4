"""The published articles of each topic, counted by triggers (README, "Cold pages").

Every write of ``articles_article`` that publishes, unpublishes, moves or
deletes a published article changes its topic's ``articles_topictally`` row in
the same statement, so the totals of the home and topic pages are a sum over a
few dozen rows instead of a COUNT over every article. A view count (an UPDATE
of ``view_count`` alone) does not fire them.

On SQLite a migration that rebuilds ``articles_article`` (most field changes)
drops these triggers with the old table: such a migration must call
``install`` again (tests/articles/test_tallies.py fails when they are missing).
"""

SQLITE = [
    """CREATE TRIGGER articles_tally_insert AFTER INSERT ON articles_article
    WHEN new.status = 'published' BEGIN
        INSERT INTO articles_topictally (topic_id, published) VALUES (new.topic_id, 1)
        ON CONFLICT (topic_id) DO UPDATE SET published = published + 1;
    END""",
    """CREATE TRIGGER articles_tally_update AFTER UPDATE OF status, topic_id ON articles_article
    WHEN (old.status = 'published' OR new.status = 'published')
        AND (old.status IS NOT new.status OR old.topic_id IS NOT new.topic_id) BEGIN
        UPDATE articles_topictally SET published = published - 1
        WHERE topic_id = old.topic_id AND old.status = 'published';
        INSERT INTO articles_topictally (topic_id, published)
        SELECT new.topic_id, 1 WHERE new.status = 'published'
        ON CONFLICT (topic_id) DO UPDATE SET published = published + 1;
    END""",
    """CREATE TRIGGER articles_tally_delete AFTER DELETE ON articles_article
    WHEN old.status = 'published' BEGIN
        UPDATE articles_topictally SET published = published - 1 WHERE topic_id = old.topic_id;
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS articles_tally_insert",
    "DROP TRIGGER IF EXISTS articles_tally_update",
    "DROP TRIGGER IF EXISTS articles_tally_delete",
]

POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION articles_tally_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status
            AND OLD.topic_id IS NOT DISTINCT FROM NEW.topic_id THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'published' THEN
            UPDATE articles_topictally SET published = published - 1
            WHERE topic_id = OLD.topic_id;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = 'published' THEN
            INSERT INTO articles_topictally (topic_id, published) VALUES (NEW.topic_id, 1)
            ON CONFLICT (topic_id)
            DO UPDATE SET published = articles_topictally.published + 1;
        END IF;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS articles_tally ON articles_article",
    """CREATE TRIGGER articles_tally
    AFTER INSERT OR DELETE OR UPDATE OF status, topic_id ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_tally_change()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS articles_tally ON articles_article",
    "DROP FUNCTION IF EXISTS articles_tally_change()",
]

# What the triggers keep, counted afresh (a migration's first fill, or a check).
RECOUNT = [
    "DELETE FROM articles_topictally",
    """INSERT INTO articles_topictally (topic_id, published)
    SELECT topic_id, COUNT(*) FROM articles_article WHERE status = 'published'
    GROUP BY topic_id""",
]


def install(schema_editor) -> None:
    """Create the triggers (again) and count every topic afresh."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = SQLITE_DROP + SQLITE
    elif vendor == "postgresql":
        statements = POSTGRESQL
    else:
        raise NotImplementedError(f"topic tallies have no triggers for {vendor}")
    for statement in statements + RECOUNT:
        schema_editor.execute(statement)


def uninstall(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for statement in SQLITE_DROP if vendor == "sqlite" else POSTGRESQL_DROP:
        schema_editor.execute(statement)
