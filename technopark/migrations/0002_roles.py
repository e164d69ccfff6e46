from django.db import migrations

from technopark.roles import (
    EDITOR,
    FABLAB_MANAGER,
    INCUBATOR_MANAGER,
    PROGRAMME_COORDINATOR,
    REVIEWER,
    grant,
    revoke,
)

PERMISSIONS = {
    EDITOR: ["add_newsarticle", "change_newsarticle", "delete_newsarticle", "view_newsarticle"],
    PROGRAMME_COORDINATOR: ["view_user", "view_district"],
    INCUBATOR_MANAGER: ["view_user", "view_district"],
    FABLAB_MANAGER: ["view_user", "view_district"],
    REVIEWER: [],
}


def forwards(apps, schema_editor):
    grant(apps, "technopark", PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, "technopark", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("technopark", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
