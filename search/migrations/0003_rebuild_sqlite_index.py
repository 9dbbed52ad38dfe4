"""On SQLite, the FTS5 index and its triggers again after articles 0015, which
rebuilt articles_article (its status constraint gained "withheld"), as 0002
does after articles 0014 (README, "Search"). Nothing on PostgreSQL."""

import importlib

from django.db import migrations

rebuild = importlib.import_module("search.migrations.0002_rebuild_sqlite_index")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_rebuild_sqlite_index"),
        ("articles", "0015_withheld_status"),
    ]

    operations = [
        migrations.RunPython(rebuild.rebuild_sqlite_index, migrations.RunPython.noop)
    ]
