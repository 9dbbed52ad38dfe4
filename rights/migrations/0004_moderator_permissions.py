"""Moderators handle legal orders (enter them, carry them out, watch the clock),
appeals (decided by a moderator other than the one who decided) and correction
requests, and read the right of reply. The personal-data access log stays with
superusers (rights.admin)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_GROUP = "Moderator"
CODENAMES = [
    "view_governmentorder",
    "add_governmentorder",
    "change_governmentorder",
    "view_ordertarget",
    "view_appeal",
    "change_appeal",
    "view_correctionrequest",
    "change_correctionrequest",
    "view_rightofreply",
]


def let_moderators_handle_rights(apps, schema_editor):
    db = schema_editor.connection.alias
    app_config = apps.get_app_config("rights")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, using=db, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.using(db).filter(
        content_type__app_label="rights", codename__in=CODENAMES
    )
    for group in Group.objects.using(db).filter(name=MODERATOR_GROUP):
        group.permissions.add(*permissions)


def take_them_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="rights", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name=MODERATOR_GROUP):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_moderator_group"),
        ("rights", "0003_withheld_takedowns"),
    ]

    operations = [migrations.RunPython(let_moderators_handle_rights, take_them_back)]
