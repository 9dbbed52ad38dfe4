"""Articles taken down by a legal order before they had a status of their own
were marked "deleted" (by rights.services.carry_out_order): they become
"withheld", and back on the way down. Erasures stay deleted."""

from django.db import migrations


def _taken_down(apps):
    OrderTarget = apps.get_model("rights", "OrderTarget")
    return OrderTarget.objects.filter(
        order__kind="takedown", order__status="done", article__isnull=False
    ).values_list("article_id", flat=True)


def to_withheld(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(pk__in=list(_taken_down(apps)), status="deleted").update(
        status="withheld"
    )


def to_deleted(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(pk__in=list(_taken_down(apps)), status="withheld").update(
        status="deleted"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("rights", "0002_order_account_suspension"),
        ("articles", "0015_withheld_status"),
    ]

    operations = [migrations.RunPython(to_withheld, to_deleted)]
