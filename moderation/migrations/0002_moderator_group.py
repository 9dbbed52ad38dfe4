"""The Moderator group with exactly what working the queue needs.

Moderators (staff users in this group) view cases, reports and the audit
records, change cases (which the admin allows only through the moderation
actions), and view the users, articles and comments a case is about. Nothing
else: no adding or deleting anything, no editing content or accounts by hand.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Moderator"

PERMISSIONS = [
    ("moderation", "view_case"),
    ("moderation", "change_case"),
    ("moderation", "view_report"),
    ("moderation", "view_moderationaction"),
    ("accounts", "view_user"),
    ("articles", "view_article"),
    ("comments", "view_comment"),
]


def create_moderator_group(apps, schema_editor):
    db = schema_editor.connection.alias
    # Permissions are normally created after the whole migrate run (post_migrate);
    # create them now so that a fresh database gets a complete group in one pass.
    for app_label in sorted({app_label for app_label, _ in PERMISSIONS}):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=db, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(db).get_or_create(name=GROUP_NAME)
    group.permissions.set(
        [
            Permission.objects.using(db).get(
                content_type__app_label=app_label, codename=codename
            )
            for app_label, codename in PERMISSIONS
        ]
    )


def delete_moderator_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_reports_cases_actions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0003_suspension"),
        ("articles", "0003_cover_renditions_and_deleted_status"),
        ("comments", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_moderator_group, delete_moderator_group)]
