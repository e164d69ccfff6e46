"""The personal-data access log covers every admin model and staff page that shows people: a model
in the admin that points at a person (a foreign key to the user), directly or through an inline,
is named in PERSONAL_DATA_MODELS unless it is listed below with the reason it shows nobody's
personal data; the staff pages that list people are named in PERSONAL_DATA_PAGES and leave a record."""

import datetime

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from fablab.models import FaultReport, TrainingSignup
from security.models import AccessRecord
from technopark.roles import FABLAB_MANAGER
from tests.conftest import make_staff
from tests.fablab.factories import EquipmentFactory, TrainingSessionFactory
from tests.factories import UserFactory

# admin model -> why its person fields show no young person's data
NOT_PERSONAL = {
    "incubator.statuschange": "the actor is a member of staff",
    "incubator.reviewassignment": "reviewers and the manager who assigned them: staff",
    "incubator.conflictofinterest": "reviewers: staff",
    "incubator.monthlyreport": "a startup's business figures; the sender is named, nothing else",
    "programs.intake": "the instructor is a member of staff",
    "fablab.maintenancewindow": "created by a member of staff",
    "otp_totp.totpdevice": "staff's authenticators, superusers and the people administrator only",
    "otp_static.staticdevice": "staff's recovery codes, superusers and the people administrator only",
}


def _points_at_a_person(model) -> bool:
    user = get_user_model()
    if model is user:
        return True
    return any(
        getattr(field, "concrete", False) and field.is_relation and field.related_model is user
        for field in model._meta.get_fields()
    )


def test_every_admin_model_that_shows_people_is_audited():
    audited = {label.lower() for label in settings.PERSONAL_DATA_MODELS}
    missing = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label.startswith("axes.") or label in NOT_PERSONAL:
            continue  # axes: the sign-in attempts, for superusers only (see the permission matrix)
        shows_people = _points_at_a_person(model) or any(
            _points_at_a_person(inline.model)
            for inline in model_admin.inlines
            if inline.model._meta.label_lower not in NOT_PERSONAL
        )
        if shows_people and label not in audited:
            missing.append(label)
    assert missing == [], "name these in PERSONAL_DATA_MODELS, or say in NOT_PERSONAL why they show no one"
    assert sorted(set(NOT_PERSONAL) - {m._meta.label_lower for m in admin.site._registry}) == []


@pytest.mark.django_db
def test_the_fablab_staff_pages_that_name_people_leave_a_record(client):
    manager = make_staff(FABLAB_MANAGER)
    training = TrainingSessionFactory(
        start=timezone.now() - datetime.timedelta(hours=3), end=timezone.now() - datetime.timedelta(hours=1)
    )
    TrainingSignup.objects.create(session=training, user=UserFactory(full_name="Sardor Aliyev"), status="signed_up")
    FaultReport.objects.create(equipment=EquipmentFactory(), reported_by=UserFactory(full_name="Malika Y"), text="x")
    client.force_login(manager)
    roster = client.get(reverse("fablab:staff_training", args=[training.pk]))
    assert "Sardor Aliyev" in roster.content.decode()
    faults = client.get(reverse("fablab:staff_faults"))
    assert "Malika Y" in faults.content.decode()
    assert client.get(f"/admin/fablab/trainingsession/{training.pk}/change/").status_code == 200
    recorded = set(AccessRecord.objects.filter(actor_id=manager.pk).values_list("action", "what", "object_id"))
    assert recorded == {
        ("view", "fablab:staff_training", str(training.pk)),
        ("view", "fablab:staff_faults", ""),
        ("view", "fablab.trainingsession", str(training.pk)),
    }
