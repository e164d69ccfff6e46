from django.db import migrations

from technopark.roles import FABLAB_MANAGER, grant, revoke

MODELS = [
    "equipmentcategory",
    "fundingproject",
    "equipment",
    "clearance",
    "maintenancewindow",
    "booking",
    "timeblock",
    "engineeringsolution",
    "solutionphoto",
]

# The FabLab manager runs the lab: every fablab permission, plus confirming bookings.
# No other role gets anything of fablab.
PERMISSIONS = {
    FABLAB_MANAGER: [f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")]
    + ["confirm_booking"],
}


def forwards(apps, schema_editor):
    grant(apps, "fablab", PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, "fablab", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("fablab", "0002_startup"),
        ("technopark", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
