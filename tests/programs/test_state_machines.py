"""The enrolment and intake state machines: every move of the table, a refused move, the history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from programs import services
from programs.models import Enrolment, EnrolmentStatusChange, Intake, IntakeStatusChange
from tests.factories import UserFactory

from .factories import EnrolmentFactory, IntakeFactory

S = Enrolment.Status
I = Intake.Status  # noqa: E741
pytestmark = pytest.mark.django_db

ENROLMENT_ALLOWED = {
    (S.APPLIED, S.ENROLLED),
    (S.APPLIED, S.REJECTED),
    (S.APPLIED, S.DROPPED),
    (S.WAITLISTED, S.APPLIED),
    (S.WAITLISTED, S.ENROLLED),
    (S.WAITLISTED, S.REJECTED),
    (S.WAITLISTED, S.DROPPED),
    (S.WAITLISTED, S.OFFERED),
    (S.OFFERED, S.ENROLLED),
    (S.OFFERED, S.APPLIED),
    (S.OFFERED, S.REJECTED),
    (S.OFFERED, S.DROPPED),
    (S.ENROLLED, S.COMPLETED),
    (S.ENROLLED, S.DROPPED),
}
INTAKE_ALLOWED = {
    (I.PLANNED, I.ENROLLING),
    (I.PLANNED, I.RUNNING),
    (I.ENROLLING, I.PLANNED),
    (I.ENROLLING, I.RUNNING),
    (I.RUNNING, I.FINISHED),
}


def test_every_status_is_in_the_tables():
    assert services.ENROLMENT_WORKFLOW.missing() == set()
    assert services.INTAKE_WORKFLOW.missing() == set()


def test_the_tables_are_what_the_readme_states():
    enrolment = {(a, b) for a, targets in services.ENROLMENT_WORKFLOW.transitions.items() for b in targets}
    intake = {(a, b) for a, targets in services.INTAKE_WORKFLOW.transitions.items() for b in targets}
    assert (enrolment, intake) == (ENROLMENT_ALLOWED, INTAKE_ALLOWED)


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ENROLMENT_ALLOWED))
def test_every_allowed_enrolment_move_is_saved_and_logged(from_status, to_status, coordinator):
    # an intake that has ended, so that the completion rule lets enrolled -> completed through
    enrolment = EnrolmentFactory(status=from_status, intake__start_date=datetime.date(2025, 1, 6))
    if to_status == S.OFFERED:
        enrolment.offer_expires_at = timezone.now() + datetime.timedelta(hours=48)
    services.enrolment_transition(enrolment, to_status, coordinator, reason="  checked by phone ")
    enrolment.refresh_from_db()
    assert enrolment.status == to_status
    assert (enrolment.decided_at is None) == (to_status in (S.APPLIED, S.WAITLISTED, S.OFFERED))
    assert (enrolment.offer_expires_at is None) == (to_status != S.OFFERED)
    assert list(enrolment.history.values_list("from_status", "to_status", "actor", "reason")) == [
        (from_status, to_status, coordinator.pk, "checked by phone")
    ]


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    sorted((a, b) for a in S.values for b in S.values if (a, b) not in ENROLMENT_ALLOWED),
)
def test_every_other_enrolment_move_is_refused_in_words_and_nothing_changes(from_status, to_status, coordinator):
    enrolment = EnrolmentFactory(status=from_status)
    with pytest.raises(ValidationError) as error:
        services.enrolment_transition(enrolment, to_status, coordinator)
    assert error.value.code == "bad_transition"
    with translation.override("en"):
        assert error.value.messages == [
            f"An enrolment cannot go from “{S(from_status).label}” to “{S(to_status).label}”."
        ]
    enrolment.refresh_from_db()
    assert enrolment.status == from_status
    assert EnrolmentStatusChange.objects.count() == 0


def test_a_refused_move_reads_in_uzbek_and_russian(coordinator):
    enrolment = EnrolmentFactory(status=S.COMPLETED)
    with pytest.raises(ValidationError) as error:
        services.enrolment_transition(enrolment, S.ENROLLED, coordinator)
    with translation.override("uz"):
        uz = error.value.messages[0]
    with translation.override("ru"):
        ru = error.value.messages[0]
    assert uz == "Yozilish «Tamomlagan» holatidan «Qabul qilingan» holatiga oʻta olmaydi."
    assert ru == "Запись не может перейти из статуса «Курс пройден» в статус «Зачисление подтверждено»."


@pytest.mark.parametrize(("from_status", "to_status"), sorted(INTAKE_ALLOWED))
def test_every_allowed_intake_move_is_saved_and_logged(from_status, to_status, coordinator):
    intake = IntakeFactory(status=from_status)
    services.intake_transition(intake, to_status, coordinator, reason="teacher ready")
    intake.refresh_from_db()
    assert intake.status == to_status
    assert list(intake.history.values_list("from_status", "to_status", "actor", "reason")) == [
        (from_status, to_status, coordinator.pk, "teacher ready")
    ]


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    sorted((a, b) for a in I.values for b in I.values if (a, b) not in INTAKE_ALLOWED),
)
def test_every_other_intake_move_is_refused(from_status, to_status, coordinator):
    intake = IntakeFactory(status=from_status)
    with pytest.raises(ValidationError) as error:
        services.intake_transition(intake, to_status, coordinator)
    with translation.override("en"):
        assert error.value.messages == [f"An intake cannot go from “{I(from_status).label}” to “{I(to_status).label}”."]
    intake.refresh_from_db()
    assert intake.status == from_status
    assert IntakeStatusChange.objects.count() == 0


def test_an_intake_that_opens_gives_its_free_seats_to_the_waitlist(coordinator):
    intake = IntakeFactory(status=I.PLANNED, capacity=2)
    waiting = EnrolmentFactory.create_batch(3, intake=intake, status=S.WAITLISTED)
    offered = services.intake_transition(intake, I.ENROLLING, coordinator)
    assert sorted(e.pk for e in offered) == sorted(e.pk for e in waiting[:2])
    assert sorted(Enrolment.objects.filter(intake=intake).values_list("status", flat=True)) == [
        "offered",
        "offered",
        "waitlisted",
    ]
    assert EnrolmentStatusChange.objects.filter(from_status=S.WAITLISTED, to_status=S.OFFERED).count() == 2


def test_an_enrolment_keeps_its_whole_story(user, coordinator):
    """Created on the waitlist, offered a freed seat, accepted, completed (by a recorded
    exception before the end): four rows, in order."""
    intake = IntakeFactory(capacity=1)
    seated = EnrolmentFactory(intake=intake)
    enrolment = services.enrolment_create(user=user, intake=intake)
    services.enrolment_withdraw(enrolment=seated, actor=seated.user)
    services.offer_accept(enrolment=enrolment, user=user)
    services.enrolment_complete(enrolment=enrolment, actor=coordinator, reason="moved abroad", exception=True)
    rows = list(enrolment.history.order_by("at", "id").values_list("from_status", "to_status", "actor"))
    assert rows == [
        ("", S.WAITLISTED, user.pk),
        (S.WAITLISTED, S.OFFERED, seated.user.pk),
        (S.OFFERED, S.ENROLLED, user.pk),
        (S.ENROLLED, S.COMPLETED, coordinator.pk),
    ]
    assert list(seated.history.values_list("from_status", "to_status", "actor")) == [
        (S.ENROLLED, S.DROPPED, seated.user.pk)
    ]


def test_withdrawing_on_the_page_logs_the_person(client, user):
    enrolment = EnrolmentFactory(user=user)
    client.force_login(user)
    client.post(reverse("programs:withdraw", args=[enrolment.pk]))
    assert list(enrolment.history.values_list("from_status", "to_status", "actor")) == [
        (S.ENROLLED, S.DROPPED, user.pk)
    ]


def test_the_admin_shows_status_read_only_and_moves_it_with_actions(client, coordinator):
    intake = IntakeFactory(status=I.ENROLLING)
    change_url = "/en" + reverse("admin:programs_intake_change", args=[intake.pk])
    changelist_url = "/en" + reverse("admin:programs_intake_changelist")
    client.force_login(coordinator)
    page = client.get(change_url).content.decode()
    assert 'name="status"' not in page
    response = client.post(
        changelist_url,
        {"action": "move_to_running", "_selected_action": [intake.pk]},
        follow=True,
    )
    assert "1 intakes changed." in response.content.decode()
    intake.refresh_from_db()
    assert intake.status == I.RUNNING
    assert list(intake.history.values_list("from_status", "to_status", "actor")) == [
        (I.ENROLLING, I.RUNNING, coordinator.pk)
    ]
    response = client.post(
        changelist_url,
        {"action": "move_to_enrolling", "_selected_action": [intake.pk]},
        follow=True,
    )
    assert "An intake cannot go from “Running” to “Open for enrolment”." in response.content.decode()
    page = client.get(change_url).content.decode()
    assert "Intake status changes" in page


def test_the_enrolment_admin_drops_with_an_action_and_the_next_person_gets_the_seat(client, coordinator):
    intake = IntakeFactory(capacity=1)
    seated = EnrolmentFactory(intake=intake)
    waiting = EnrolmentFactory(intake=intake, status=S.WAITLISTED, user=UserFactory())
    client.force_login(coordinator)
    client.post(
        "/en" + reverse("admin:programs_enrolment_changelist"),
        {"action": "drop_selected", "_selected_action": [seated.pk]},
    )
    assert dict(Enrolment.objects.values_list("pk", "status")) == {seated.pk: S.DROPPED, waiting.pk: S.OFFERED}
    assert list(EnrolmentStatusChange.objects.values_list("enrolment", "to_status", "actor")) == [
        (seated.pk, S.DROPPED, coordinator.pk),
        (waiting.pk, S.OFFERED, coordinator.pk),
    ]
