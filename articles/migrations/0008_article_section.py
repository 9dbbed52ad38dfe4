"""Articles store their section (the top-level topic), so a section's page reads one
index range in order instead of joining topics and sorting (bench/README.md)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_sections(apps, schema_editor):
    Topic = apps.get_model("articles", "Topic")
    Article = apps.get_model("articles", "Article")
    for topic in Topic.objects.all():
        Article.objects.filter(topic_id=topic.pk).update(section_id=topic.parent_id or topic.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_editorial_decisions"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="section",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="articles.topic",
                verbose_name="section",
            ),
        ),
        migrations.RunPython(fill_sections, migrations.RunPython.noop, elidable=True),
    ]
