from django.db import migrations

from technopark.roles import (
    FABLAB_MANAGER,
    INCUBATOR_MANAGER,
    PEOPLE_ADMINISTRATOR,
    PROGRAMME_COORDINATOR,
    grant,
    revoke,
)

# Least privilege on personal data: only the people administrator (and superusers) open the
# user accounts in the admin. Coordinators and managers lose "view user" (granted by 0002_roles):
# they see the people of their own work through their own models (enrolments, applications,
# bookings), not the whole register of young people.
PERMISSIONS = {
    PEOPLE_ADMINISTRATOR: ["add_user", "change_user", "view_user", "view_district"],
}
WITHDRAWN = {
    PROGRAMME_COORDINATOR: ["view_user"],
    INCUBATOR_MANAGER: ["view_user"],
    FABLAB_MANAGER: ["view_user"],
}


def forwards(apps, schema_editor):
    grant(apps, "technopark", PERMISSIONS)
    revoke(apps, "technopark", WITHDRAWN)


def backwards(apps, schema_editor):
    revoke(apps, "technopark", PERMISSIONS)
    grant(apps, "technopark", WITHDRAWN)


class Migration(migrations.Migration):
    dependencies = [
        ("technopark", "0006_user_guardian_and_anonymisation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
