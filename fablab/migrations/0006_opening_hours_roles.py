from django.db import migrations

from technopark.roles import FABLAB_MANAGER, grant, revoke

# The FabLab manager keeps the opening hours and the holidays.
PERMISSIONS = {
    FABLAB_MANAGER: [
        f"{action}_{model}"
        for model in ("weeklyhours", "openingexception")
        for action in ("add", "change", "delete", "view")
    ],
}


def forwards(apps, schema_editor):
    grant(apps, "fablab", PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, "fablab", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("fablab", "0005_opening_hours_guard"), ("technopark", "0002_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
