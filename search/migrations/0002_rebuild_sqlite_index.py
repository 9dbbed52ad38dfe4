"""On SQLite, the FTS5 index and its triggers again after articles 0014, which
rebuilt articles_article (and so dropped the triggers) on a database where
search 0001 had already run (README, "Search"). Nothing on PostgreSQL."""

import importlib

from django.db import migrations

index = importlib.import_module("search.migrations.0001_index")


def rebuild_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in [*index.SQLITE_DROP, *index.SQLITE_CREATE]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index"), ("articles", "0014_held_status")]

    operations = [migrations.RunPython(rebuild_sqlite_index, migrations.RunPython.noop)]
