"""Nothing to rebuild: articles 0016 adds the body photos' table and leaves
articles_article (and so the SQLite index's triggers) as it was. This keeps the
last search migration after the last articles migration (README, "Search")."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0003_rebuild_sqlite_index"), ("articles", "0016_body_images")]

    operations = []
