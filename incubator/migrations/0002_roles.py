from django.db import migrations

from technopark.roles import INCUBATOR_MANAGER, REVIEWER, grant, revoke

MODELS = [
    "season",
    "scorecriterion",
    "application",
    "teammember",
    "reviewassignment",
    "conflictofinterest",
    "review",
    "reviewscore",
    "statuschange",
    "participant",
    "startup",
    "investor",
    "exchangerate",
    "investorday",
    "investment",
    "competition",
    "submission",
]
ALL = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")]

PERMISSIONS = {
    INCUBATOR_MANAGER: [*ALL, "decide_application", "review_application"],
    # Reviewers see only what is assigned or pooled to them, through the review pages.
    REVIEWER: ["review_application"],
}


def forwards(apps, schema_editor):
    grant(apps, "incubator", PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, "incubator", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("incubator", "0001_initial"),
        ("technopark", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
