"""Topic tallies: the published articles of each topic, kept by triggers
(articles.tallies, README "Cold pages"), counted once here."""

import django.db.models.deletion
from django.db import migrations, models

from articles import tallies


def install(apps, schema_editor):
    tallies.install(schema_editor)


def uninstall(apps, schema_editor):
    tallies.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_body_images"),
    ]

    operations = [
        migrations.CreateModel(
            name="TopicTally",
            fields=[
                (
                    "topic",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="tally",
                        serialize=False,
                        to="articles.topic",
                        verbose_name="topic",
                    ),
                ),
                (
                    "published",
                    models.BigIntegerField(default=0, verbose_name="published articles"),
                ),
            ],
            options={
                "verbose_name": "topic tally",
                "verbose_name_plural": "topic tallies",
            },
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
