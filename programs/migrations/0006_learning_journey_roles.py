from django.db import migrations

from technopark.roles import PROGRAMME_COORDINATOR, grant, revoke

# Coordinators manage session materials, see the masterclass students who registered with a
# code and the course feedback (figures and comments, never names), and may record an exception
# that completes a course before its intake ends.
PERMISSIONS = {
    PROGRAMME_COORDINATOR: [
        "add_sessionmaterial",
        "change_sessionmaterial",
        "delete_sessionmaterial",
        "view_sessionmaterial",
        "view_masterclassstudent",
        "complete_early",
        "view_feedback_results",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, "programs", PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, "programs", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0005_learning_journey"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
