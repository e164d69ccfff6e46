from django.db import migrations

from technopark.roles import FABLAB_MANAGER, grant, revoke

# The FabLab manager sees and lifts self-booking suspensions.
PERMISSIONS = {FABLAB_MANAGER: [f"{action}_bookingsuspension" for action in ("add", "change", "delete", "view")]}


def forwards(apps, schema_editor):
    grant(apps, "fablab", PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, "fablab", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("fablab", "0008_check_in_and_no_shows"), ("technopark", "0002_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
