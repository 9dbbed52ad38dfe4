from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_GROUP = "Moderator"


def let_moderators_review(apps, schema_editor):
    """Moderators work the held queue (view and decide) and see trust changes;
    the group itself comes from moderation's migration 0002."""
    db = schema_editor.connection.alias
    app_config = apps.get_app_config("trust")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, using=db, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.using(db).filter(
        content_type__app_label="trust",
        codename__in=["view_helditem", "change_helditem", "view_trustchange"],
    )
    for group in Group.objects.using(db).filter(name=MODERATOR_GROUP):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_moderator_group"),
        ("trust", "0001_initial"),
    ]

    operations = [migrations.RunPython(let_moderators_review, migrations.RunPython.noop)]
