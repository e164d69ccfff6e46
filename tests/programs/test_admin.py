import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse

from programs.models import Certificate, Enrolment, Intake
from programs.resources import EnrolmentResource
from technopark.roles import EDITOR, FABLAB_MANAGER, INCUBATOR_MANAGER, PROGRAMME_COORDINATOR, REVIEWER
from tests.factories import UserFactory

from .factories import (
    CertificateFactory,
    CourseFactory,
    DirectionFactory,
    EnrolmentFactory,
    IntakeFactory,
    MasterclassAttendanceFactory,
    PartnerSchoolFactory,
)

pytestmark = pytest.mark.django_db
S = Enrolment.Status
MODELS = [
    "direction",
    "course",
    "intake",
    "enrolment",
    "certificate",
    "partnerschool",
    "masterclass",
    "session",
    "attendance",
    "masterclassattendance",
]


def test_role_permissions_of_the_app():
    coordinator = set(
        Group.objects.get(name=PROGRAMME_COORDINATOR)
        .permissions.filter(content_type__app_label="programs")
        .values_list("codename", flat=True)
    )
    expected = {f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")}
    history = {"view_intakestatuschange", "view_enrolmentstatuschange"}  # read only: the services write it
    journey = {f"{action}_sessionmaterial" for action in ("add", "change", "delete", "view")} | {
        "view_masterclassstudent",
        "complete_early",
        "view_feedback_results",
    }
    assert coordinator == expected | history | journey | {"mark_attendance", "issue_certificate", "revoke_certificate"}
    for role in (INCUBATOR_MANAGER, REVIEWER, FABLAB_MANAGER, EDITOR):
        assert not Group.objects.get(name=role).permissions.filter(content_type__app_label="programs").exists()
    history_models = {
        f"{action}_{model}"
        for model in ("intakestatuschange", "enrolmentstatuschange")
        for action in ("add", "change", "delete", "view")
    }
    journey_models = {
        f"{action}_{model}"
        for model in ("sessionmaterial", "coursefeedback", "masterclassstudent")
        for action in ("add", "change", "delete", "view")
    }
    # + mark_attendance, issue/revoke_certificate, complete_early, view_feedback_results
    assert (
        Permission.objects.filter(content_type__app_label="programs").count()
        == len(expected | history_models | journey_models) + 5
    )


@pytest.mark.parametrize(
    "model", ["direction", "course", "intake", "enrolment", "certificate", "partnerschool", "masterclass"]
)
def test_admin_changelists_ladder(client, coordinator, other_staff, model):
    url = reverse(f"admin:programs_{model}_changelist")
    assert client.get(url).status_code == 302
    client.force_login(other_staff)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [1, 4])
def test_intake_changelist_annotates_seats_without_n_plus_one(client, coordinator, django_assert_num_queries, count):
    for _ in range(count):
        intake = IntakeFactory(capacity=10)
        EnrolmentFactory.create_batch(3, intake=intake)
        EnrolmentFactory(intake=intake, status=S.WAITLISTED)
    client.force_login(coordinator)
    client.get(reverse("admin:programs_intake_changelist"))  # warm the session
    with django_assert_num_queries(12):
        response = client.get(reverse("admin:programs_intake_changelist"))
    rows = list(response.context["cl"].result_list)
    assert [(r.seats_taken, r.waitlist_count, r.seats_left) for r in rows] == [(3, 1, 7)] * count


@pytest.mark.parametrize("count", [1, 4])
def test_enrolment_changelist_query_count(client, coordinator, django_assert_num_queries, count):
    EnrolmentFactory.create_batch(count)
    client.force_login(coordinator)
    client.get(reverse("admin:programs_enrolment_changelist"))
    # (+1: the personal-data access record, security.audit, on the request's connection)
    with django_assert_num_queries(15):
        response = client.get(reverse("admin:programs_enrolment_changelist"))
    assert response.context["cl"].result_count == count


def test_enrolment_filter_by_district(client, coordinator, districts):
    asaka = EnrolmentFactory(user=UserFactory(district=districts[3]))
    EnrolmentFactory(user=UserFactory(district=districts[0]))
    client.force_login(coordinator)
    response = client.get(
        reverse("admin:programs_enrolment_changelist"), {"user__district__id__exact": districts[3].pk}
    )
    assert [e.pk for e in response.context["cl"].result_list] == [asaka.pk]


def _action(client, model, action, objects, **extra):
    return client.post(
        reverse(f"admin:programs_{model}_changelist"),
        {"action": action, "_selected_action": [o.pk for o in objects], **extra},
        follow=True,
    )


def test_bulk_actions_go_through_the_services(client, coordinator):
    # an intake that has ended, so that "complete" passes the end-date rule
    intake = IntakeFactory(
        capacity=2, requires_approval=True, status=Intake.Status.ENROLLING, start_date=datetime.date(2025, 1, 6)
    )
    a, b = EnrolmentFactory.create_batch(2, intake=intake, status=S.APPLIED)
    waiting = EnrolmentFactory(intake=intake, status=S.WAITLISTED)
    client.force_login(coordinator)
    _action(client, "enrolment", "enrol_selected", [a])
    _action(client, "enrolment", "reject_selected", [b])
    assert dict(Enrolment.objects.values_list("pk", "status")) == {
        a.pk: "enrolled",
        b.pk: "rejected",
        waiting.pk: "offered",  # the freed seat is offered (held), not given silently
    }
    response = _action(client, "enrolment", "issue_certificates", [a])
    assert Certificate.objects.count() == 0
    assert "Sertifikat faqat tamomlangan kurs uchun beriladi." in response.content.decode()
    _action(client, "enrolment", "complete_selected", [a])
    assert Enrolment.objects.get(pk=a.pk).status == S.COMPLETED
    _action(client, "enrolment", "issue_certificates", [a])
    assert Certificate.objects.get().enrolment_id == a.pk


def test_revoke_action_asks_for_a_reason(client, coordinator):
    certificate = CertificateFactory()
    client.force_login(coordinator)
    response = _action(client, "certificate", "revoke_selected", [certificate])
    assert b'name="reason"' in response.content
    assert Certificate.objects.get().revoked_at is None
    _action(client, "certificate", "revoke_selected", [certificate], apply="1", reason="Duplicate")
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "Duplicate" and certificate.revoked_at is not None


def test_enrolment_export_csv_and_xlsx(client, coordinator, districts):
    asaka = next(d for d in districts if d.name_en == "Asaka district")
    person = UserFactory(full_name="Aziz Karimov", email="aziz@example.uz", district=asaka)
    course = CourseFactory(direction=DirectionFactory(name_uz="Robototexnika"), title_uz="Arduino")
    enrolment = EnrolmentFactory(user=person, intake=IntakeFactory(course=course), status=S.COMPLETED)
    certificate = CertificateFactory(enrolment=enrolment)
    dataset = EnrolmentResource().export(Enrolment.objects.all())
    rows = list(csv.DictReader(io.StringIO(dataset.csv)))
    assert len(rows) == 1
    row = rows[0]
    assert (row["full_name"], row["email"], row["district"], row["direction"], row["course"], row["status"]) == (
        "Aziz Karimov",
        "aziz@example.uz",
        "Asaka tumani",
        "Robototexnika",
        "Arduino",
        "completed",
    )
    assert row["certificate"] == certificate.code
    client.force_login(coordinator)
    fields = {f"enrolmentresource_{name}": "on" for name in EnrolmentResource().get_export_order()}
    response = client.post(reverse("admin:programs_enrolment_export"), {"format": "0", "resource": "0", **fields})
    assert response["Content-Type"].startswith("text/csv")
    assert "Aziz Karimov" in response.content.decode()
    response = client.post(reverse("admin:programs_enrolment_export"), {"format": "1", "resource": "0", **fields})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.content[:2] == b"PK"


def test_partner_school_and_masterclass_admin_show_students(client, coordinator):
    school = PartnerSchoolFactory()
    MasterclassAttendanceFactory(school=school, headcount=30)
    MasterclassAttendanceFactory(school=school, headcount=12)
    client.force_login(coordinator)
    response = client.get(reverse("admin:programs_partnerschool_changelist"))
    assert {s.pk: s.students for s in response.context["cl"].result_list}[school.pk] == 42
    response = client.get(reverse("admin:programs_masterclass_changelist"))
    assert sorted(m.students for m in response.context["cl"].result_list) == [12, 30]


def test_raising_an_intakes_capacity_in_the_admin_offers_seats_to_the_waitlist(client, coordinator, tasks):
    intake = IntakeFactory(capacity=2)
    EnrolmentFactory.create_batch(2, intake=intake)
    first = EnrolmentFactory(intake=intake, status=S.WAITLISTED, user=UserFactory(preferred_language="ru"))
    second = EnrolmentFactory(intake=intake, status=S.WAITLISTED)
    third = EnrolmentFactory(intake=intake, status=S.WAITLISTED)
    Enrolment.objects.filter(pk=first.pk).update(created_at=second.created_at - datetime.timedelta(hours=1))
    Enrolment.objects.filter(pk=third.pk).update(created_at=second.created_at + datetime.timedelta(hours=1))
    client.force_login(coordinator)
    url = reverse("admin:programs_intake_change", args=[intake.pk])
    data = {
        "course": intake.course_id,
        "instructor_name": intake.instructor_name,
        "instructor": "",
        "start_date": intake.start_date.isoformat(),
        "end_date": intake.end_date.isoformat(),
        "schedule_uz": intake.schedule,
        "schedule_ru": "",
        "schedule_en": intake.schedule_en,
        "capacity": 4,
        "status": intake.status,
        "sessions-TOTAL_FORMS": 0,
        "sessions-INITIAL_FORMS": 0,
        "sessions-MIN_NUM_FORMS": 0,
        "sessions-MAX_NUM_FORMS": 1000,
        "history-TOTAL_FORMS": 0,  # the status history inline (read only)
        "history-INITIAL_FORMS": 0,
        "history-MIN_NUM_FORMS": 0,
        "history-MAX_NUM_FORMS": 1000,
    }
    response = client.post("/en" + url, data, follow=True)
    assert response.status_code == 200
    assert "2 people on the waitlist were offered free seats, held until they answer." in response.content.decode()
    statuses = dict(Enrolment.objects.filter(intake=intake).values_list("pk", "status"))
    assert (statuses[first.pk], statuses[second.pk], statuses[third.pk]) == ("offered", "offered", "waitlisted")
    assert sorted(statuses.values()) == ["enrolled"] * 2 + ["offered"] * 2 + ["waitlisted"]
    assert Intake.objects.with_seats().get(pk=intake.pk).seats_left == 0
    tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.user.email, second.user.email])
    assert next(m for m in mail.outbox if m.to == [first.user.email]).subject.startswith("Вам предложено место:")
