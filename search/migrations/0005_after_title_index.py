"""Nothing to rebuild: articles 0017 and 0018 add the topic tallies (a table and
triggers) and drop the titles' trigram index (PostgreSQL's "did you mean" no
longer reads titles), and leave articles_article (and so the SQLite index's
triggers) as it was. This keeps the last search migration after
the last articles migration (README, "Search")."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0004_after_body_images"), ("articles", "0018_drop_title_trigram_index")]

    operations = []
