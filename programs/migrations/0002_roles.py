from django.db import migrations

from technopark.roles import PROGRAMME_COORDINATOR, grant, revoke

MODELS = [
    "direction",
    "course",
    "intake",
    "enrolment",
    "session",
    "attendance",
    "certificate",
    "partnerschool",
    "masterclass",
    "masterclassattendance",
]
ALL = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")]

# Only programme coordinators run the programmes; other roles get nothing of this app.
PERMISSIONS = {
    PROGRAMME_COORDINATOR: [*ALL, "mark_attendance", "issue_certificate", "revoke_certificate"],
}


def forwards(apps, schema_editor):
    grant(apps, "programs", PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, "programs", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        ("technopark", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
