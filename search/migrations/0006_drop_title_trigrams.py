"""On SQLite, the full-text index without the titles' trigram table: "did you mean"
asks the index's own terms since PostgreSQL's and SQLite's corrections were made
the same (search.engine.suggest_correction), and nothing reads it. Built from
search.sqlite_index, the index as it is now. Nothing on PostgreSQL."""

import importlib

from django.db import migrations

from search import sqlite_index

rebuild_with_titles = importlib.import_module("search.migrations.0002_rebuild_sqlite_index")


def rebuild(apps, schema_editor):
    sqlite_index.rebuild(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_after_title_index")]

    operations = [migrations.RunPython(rebuild, rebuild_with_titles.rebuild_sqlite_index)]
