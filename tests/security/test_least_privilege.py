"""Least privilege on personal data: the user admin opens only to superusers and the people
administrator; the other roles see the people of their own work through their own models, and
every staff view or export of personal data is recorded in an append-only log."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from incubator.models import StatusChange
from security.models import AccessRecord
from technopark.roles import (
    EDITOR,
    FABLAB_MANAGER,
    INCUBATOR_MANAGER,
    PEOPLE_ADMINISTRATOR,
    PROGRAMME_COORDINATOR,
    REVIEWER,
)
from tests.conftest import make_staff
from tests.fablab.factories import BookingFactory
from tests.factories import UserFactory
from tests.incubator.factories import ApplicationFactory
from tests.programs.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

USERS = "/admin/technopark/user/"


def records(user, **filters):
    return list(AccessRecord.objects.filter(actor_id=user.pk, **filters).values_list("action", "what", "object_id"))


@pytest.mark.parametrize("role", [PROGRAMME_COORDINATOR, INCUBATOR_MANAGER, FABLAB_MANAGER, REVIEWER, EDITOR])
def test_other_roles_do_not_open_the_people(client, role):
    person = UserFactory(phone="+998901112233")
    client.force_login(make_staff(role))
    assert client.get(USERS).status_code == 403
    assert client.get(f"{USERS}{person.pk}/change/").status_code == 403
    index = client.get("/admin/").content.decode()
    assert "/admin/technopark/user/" not in index


def test_the_people_administrator_opens_and_edits_people(client):
    person = UserFactory(full_name="Dilnoza Karimova", phone="+998901112233")
    admin = make_staff(PEOPLE_ADMINISTRATOR)
    client.force_login(admin)
    page = client.get(USERS, {"q": "Dilnoza"})
    assert page.status_code == 200
    assert "+998901112233" in page.content.decode()
    assert client.get(f"{USERS}{person.pk}/change/").status_code == 200
    assert ("view", "technopark.user", "") in records(admin)
    assert ("view", "technopark.user", str(person.pk)) in records(admin)


def test_the_people_administrator_makes_no_superuser_and_edits_no_superuser(client):
    person = UserFactory()
    boss = UserFactory(is_staff=True, is_superuser=True)
    admin = make_staff(PEOPLE_ADMINISTRATOR)
    client.force_login(admin)
    assert client.get(f"{USERS}{boss.pk}/change/").status_code == 200  # read only
    data = {
        "email": person.email,
        "full_name": "New Name",
        "phone": "",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "preferred_language": person.preferred_language,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    response = client.post(f"{USERS}{person.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.full_name == "New Name"
    assert person.is_staff and not person.is_superuser
    assert client.post(f"{USERS}{boss.pk}/change/", {**data, "email": boss.email}).status_code == 403
    assert client.post(f"{USERS}{person.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_person_is_found_for_a_clearance_only_by_the_exact_address(client):
    person = UserFactory(email="aziza.n@example.uz")
    UserFactory(email="another@example.uz")
    manager = make_staff(FABLAB_MANAGER)
    client.force_login(manager)
    url = reverse("admin:autocomplete")
    params = {"app_label": "fablab", "model_name": "clearance", "field_name": "user"}
    found = client.get(url, {**params, "term": "Aziza.N@example.uz"}).json()["results"]
    assert [r["id"] for r in found] == [str(person.pk)]
    assert client.get(url, {**params, "term": "example.uz"}).json()["results"] == []
    assert client.get(url, {**params, "term": ""}).json()["results"] == []
    # ...and not for a model the manager may not fill in
    editor = make_staff(EDITOR)
    client.force_login(editor)
    assert client.get(url, {**params, "term": "aziza.n@example.uz"}).status_code == 403


def test_roles_see_the_people_of_their_own_work_only(client):
    enrolment = EnrolmentFactory(user=UserFactory(full_name="Student Sardor"))
    booking = BookingFactory(user=UserFactory(full_name="Booker Bahodir"))
    application = ApplicationFactory(applicant=UserFactory(full_name="Applicant Anvar"))
    pages = {
        "/admin/programs/enrolment/": "Student Sardor",
        "/admin/fablab/booking/": "Booker Bahodir",
        "/admin/incubator/application/": "Applicant Anvar",
    }
    allowed = {
        PROGRAMME_COORDINATOR: "/admin/programs/enrolment/",
        FABLAB_MANAGER: "/admin/fablab/booking/",
        INCUBATOR_MANAGER: "/admin/incubator/application/",
    }
    for role, own in allowed.items():
        client.force_login(make_staff(role))
        for page, name in pages.items():
            response = client.get(page)
            if page == own:
                assert response.status_code == 200 and name in response.content.decode(), (role, page)
            else:
                assert response.status_code == 403, (role, page)
    assert enrolment.pk and booking.pk and application.pk


def test_views_and_exports_of_personal_data_are_recorded(client):
    enrolment = EnrolmentFactory()
    coordinator = make_staff(PROGRAMME_COORDINATOR)
    client.force_login(coordinator)
    assert client.get("/admin/programs/enrolment/").status_code == 200
    assert client.get(f"/admin/programs/enrolment/{enrolment.pk}/change/").status_code == 200
    from programs.resources import EnrolmentResource

    fields = {f"enrolmentresource_{name}": "on" for name in EnrolmentResource().get_export_order()}
    export = client.post(
        reverse("admin:programs_enrolment_export"),
        {"format": "0", "resource": "0", "_selected_action": [enrolment.pk], **fields},
    )
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    intake = enrolment.intake
    assert client.get(reverse("programs:intake_attendance", args=[intake.pk])).status_code == 200
    got = records(coordinator)
    assert ("view", "programs.enrolment", "") in got
    assert ("view", "programs.enrolment", str(enrolment.pk)) in got
    assert ("export", "programs.enrolment", "") in got
    assert ("view", "programs:intake_attendance", str(intake.pk)) in got
    record = AccessRecord.objects.filter(actor_id=coordinator.pk).first()
    assert record.actor_email == coordinator.email and record.path.startswith("/")


def test_pages_without_personal_data_and_people_who_are_not_staff_leave_no_record(client):
    editor = make_staff(EDITOR)
    client.force_login(editor)
    assert client.get("/admin/technopark/newsarticle/").status_code == 200
    assert records(editor) == []
    young = UserFactory()
    client.force_login(young)
    assert client.get(reverse("dashboard")).status_code == 200
    assert records(young) == []


def test_a_refused_request_leaves_no_record(client):
    reviewer = make_staff(REVIEWER)
    client.force_login(reviewer)
    assert client.get("/admin/programs/enrolment/").status_code == 403
    assert records(reviewer) == []


def test_the_log_refuses_update_and_delete_in_the_database():
    AccessRecord.objects.create(actor_id=1, actor_email="a@example.uz", action="view", what="x", path="/")
    for statement in (
        lambda: AccessRecord.objects.update(actor_email="someone.else@example.uz"),
        lambda: AccessRecord.objects.all().delete(),
        lambda: connection.cursor().execute("UPDATE security_accessrecord SET what = 'nothing'"),
        lambda: connection.cursor().execute("DELETE FROM security_accessrecord"),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            statement()
    assert AccessRecord.objects.filter(actor_email="a@example.uz", what="x").count() == 1


def test_the_log_is_read_only_in_the_admin_for_everyone(client):
    record = AccessRecord.objects.create(actor_id=1, actor_email="a@example.uz", action="view", what="x", path="/")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    base = "/admin/security/accessrecord/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{record.pk}/change/", {"what": "y"}).status_code == 403
    assert client.post(f"{base}{record.pk}/delete/", {"post": "yes"}).status_code == 403
    people_admin = make_staff(PEOPLE_ADMINISTRATOR)
    client.force_login(people_admin)
    assert client.get(base).status_code == 200
    client.force_login(make_staff(INCUBATOR_MANAGER))
    assert client.get(base).status_code == 403


def test_status_history_is_read_only_for_everyone_superusers_included(client):
    application = ApplicationFactory()
    change = StatusChange.objects.create(application=application, from_status="draft", to_status="submitted")
    for user in (UserFactory(is_staff=True, is_superuser=True), make_staff(INCUBATOR_MANAGER)):
        client.force_login(user)
        base = "/admin/incubator/statuschange/"
        assert client.get(base).status_code == 200
        assert client.get(f"{base}add/").status_code == 403
        assert client.post(f"{base}{change.pk}/change/", {"to_status": "accepted"}).status_code == 403
        assert client.post(f"{base}{change.pk}/delete/", {"post": "yes"}).status_code == 403
        assert client.post(base, {"action": "delete_selected", "_selected_action": [change.pk], "post": "yes"})
    assert StatusChange.objects.filter(pk=change.pk, to_status="submitted").exists()
