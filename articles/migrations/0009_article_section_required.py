"""Every article has its section now (0008): the column becomes required and indexed.

Apart from 0008 because PostgreSQL refuses to ALTER a table whose rows the same
transaction updated under deferred foreign-key checks."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_article_section"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="section",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="articles.topic",
                verbose_name="section",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["section", "status", "-published_at", "-id"],
                name="articles_article_section",
            ),
        ),
    ]
