from django.db import migrations

from technopark.roles import PROGRAMME_COORDINATOR, grant, revoke

# Coordinators read the status history (it is written only by the services, never by hand).
PERMISSIONS = {
    PROGRAMME_COORDINATOR: ["view_intakestatuschange", "view_enrolmentstatuschange"],
}


def forwards(apps, schema_editor):
    grant(apps, "programs", PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, "programs", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0003_status_history"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
