"""Posts held before held posts joined the queue get their case (README, "Trust and spam")."""

from django.db import migrations
from django.db.models import Q


def open_cases(apps, schema_editor):
    Case = apps.get_model("moderation", "Case")
    HeldItem = apps.get_model("trust", "HeldItem")
    for hold in HeldItem.objects.filter(status="pending").order_by("created_at").iterator():
        target = (
            {"article_id": hold.article_id} if hold.article_id else {"comment_id": hold.comment_id}
        )
        case = Case.objects.filter(**target).first()
        if case is None:
            Case.objects.create(
                target_type=hold.kind,
                owner_id=hold.author_id,
                status="held",
                first_reported_at=hold.created_at,
                **target,
            )
        elif case.status == "closed":
            case.status = "held"
            case.first_reported_at = hold.created_at
            case.save(update_fields=["status", "first_reported_at"])


def close_cases(apps, schema_editor):
    Case = apps.get_model("moderation", "Case")
    Case.objects.filter(Q(status="held")).update(status="closed")


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0005_held_cases"),
        ("trust", "0003_signup_address"),
    ]

    operations = [migrations.RunPython(open_cases, close_cases)]
