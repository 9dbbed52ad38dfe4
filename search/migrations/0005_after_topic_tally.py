"""Nothing to rebuild: articles 0017 adds the topic tallies' table and triggers and
leaves articles_article (and so the SQLite index's triggers) as it was. This keeps
the last search migration after the last articles migration (README, "Search")."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0004_after_body_images"), ("articles", "0017_topic_tally")]

    operations = []
