from django.db import migrations

from technopark.roles import FABLAB_MANAGER, grant, revoke

# The FabLab manager schedules safety trainings, marks any of them and handles fault reports.
PERMISSIONS = {
    FABLAB_MANAGER: [
        f"{action}_{model}"
        for model in ("trainingsession", "trainingsignup", "faultreport")
        for action in ("add", "change", "delete", "view")
    ]
    + ["mark_training"]
}


def forwards(apps, schema_editor):
    grant(apps, "fablab", PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, "fablab", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("fablab", "0011_safety_trainings_and_fault_reports"), ("technopark", "0002_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
