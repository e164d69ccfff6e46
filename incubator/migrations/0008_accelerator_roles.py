from django.db import migrations

from technopark.roles import INCUBATOR_MANAGER, grant, revoke

MODELS = ["decisiontemplate", "mentor", "officehourslot", "officehourbooking", "milestone", "monthlyreport"]
PERMISSIONS = {
    INCUBATOR_MANAGER: [f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")],
}


def forwards(apps, schema_editor):
    grant(apps, "incubator", PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, "incubator", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("incubator", "0007_accelerator_phases_templates_mentors_figures"),
        ("technopark", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
