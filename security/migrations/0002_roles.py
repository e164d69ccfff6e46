from django.db import migrations

from technopark.roles import PEOPLE_ADMINISTRATOR, grant, revoke

# The people administrator reads the personal-data access log and resets a staff member's
# two-step sign-in (deletes the authenticator and recovery codes, so the person sets up anew).
# Nobody gets add or change on the log: the model has no such permissions.
PERMISSIONS = {PEOPLE_ADMINISTRATOR: ["view_accessrecord"]}
OTP = {
    "otp_totp": {PEOPLE_ADMINISTRATOR: ["view_totpdevice", "delete_totpdevice"]},
    "otp_static": {PEOPLE_ADMINISTRATOR: ["view_staticdevice", "delete_staticdevice"]},
}


def forwards(apps, schema_editor):
    grant(apps, "security", PERMISSIONS)
    for app_label, permissions in OTP.items():
        grant(apps, app_label, permissions)


def backwards(apps, schema_editor):
    revoke(apps, "security", PERMISSIONS)
    for app_label, permissions in OTP.items():
        revoke(apps, app_label, permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0001_access_log"),
        ("technopark", "0002_roles"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
