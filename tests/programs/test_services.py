import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone, translation

from programs import services
from programs.models import Attendance, Certificate, Enrolment, Intake
from tests.factories import UserFactory

from .factories import (
    AttendanceFactory,
    CertificateFactory,
    CourseFactory,
    EnrolmentFactory,
    IntakeFactory,
    SessionFactory,
)

S = Enrolment.Status
pytestmark = pytest.mark.django_db


def en(error) -> list[str]:
    """The error's messages in English (they are lazy: rendered in the active language)."""
    with translation.override("en"):
        return [str(message) for message in error.value.messages]


def test_enrol_takes_a_seat_when_no_approval_is_needed(intake, user):
    enrolment = services.enrolment_create(user=user, intake=intake)
    enrolment.refresh_from_db()
    assert enrolment.status == S.ENROLLED
    assert enrolment.decided_at is not None
    assert list(Enrolment.objects.values_list("user_id", "intake_id", "status")) == [(user.pk, intake.pk, "enrolled")]


def test_enrol_is_an_application_when_the_intake_needs_approval(user):
    intake = IntakeFactory(requires_approval=True)
    enrolment = services.enrolment_create(user=user, intake=intake)
    assert enrolment.status == S.APPLIED
    assert enrolment.decided_at is None


def test_full_intake_puts_people_on_the_waitlist_in_order(intake):
    EnrolmentFactory.create_batch(5, intake=intake)
    first, second = UserFactory(), UserFactory()
    a = services.enrolment_create(user=first, intake=intake)
    b = services.enrolment_create(user=second, intake=intake)
    assert (a.status, b.status) == (S.WAITLISTED, S.WAITLISTED)
    assert services.waitlist_position(a) == 1
    assert services.waitlist_position(b) == 2
    assert intake.enrolments.filter(status=S.ENROLLED).count() == 5


def test_applied_people_hold_seats(user):
    intake = IntakeFactory(capacity=1, requires_approval=True)
    EnrolmentFactory(intake=intake, status=S.APPLIED)
    assert services.enrolment_create(user=user, intake=intake).status == S.WAITLISTED


@pytest.mark.parametrize(
    ("birth_date", "expected"),
    [
        (datetime.date(2016, 1, 1), "This course is for ages 14 to 18; on the start date you will be 10."),
        (datetime.date(1990, 1, 1), "This course is for ages 14 to 18; on the start date you will be 36."),
    ],
)
def test_age_outside_the_range_is_refused_and_nothing_saved(birth_date, expected):
    intake = IntakeFactory(course=CourseFactory(min_age=14, max_age=18), start_date=datetime.date(2026, 12, 10))
    person = UserFactory(birth_date=birth_date)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.enrolment_create(user=person, intake=intake)
    assert en(error) == [expected]
    assert Enrolment.objects.count() == 0


def test_age_is_taken_on_the_start_date():
    # 13 today, 14 on the start date: allowed.
    intake = IntakeFactory(course=CourseFactory(min_age=14, max_age=18), start_date=datetime.date(2026, 12, 10))
    person = UserFactory(birth_date=datetime.date(2012, 12, 5))
    assert services.enrolment_create(user=person, intake=intake).status == S.ENROLLED


def test_age_message_is_translated():
    intake = IntakeFactory(course=CourseFactory(min_age=14, max_age=18), start_date=datetime.date(2026, 12, 10))
    person = UserFactory(birth_date=datetime.date(2016, 1, 1))
    with translation.override("ru"), pytest.raises(ValidationError) as error:
        services.enrolment_create(user=person, intake=intake)
    assert error.value.messages == ["Этот курс для возраста от 14 до 18 лет; на дату начала вам будет 10."]


@pytest.mark.parametrize("status", [S.APPLIED, S.WAITLISTED, S.ENROLLED, S.COMPLETED])
def test_duplicate_enrolment_is_refused(intake, user, status):
    EnrolmentFactory(intake=intake, user=user, status=status)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.enrolment_create(user=user, intake=intake)
    assert en(error) == ["You are already enrolled or waitlisted in this intake."]
    assert Enrolment.objects.filter(user=user).count() == 1


def test_a_person_who_withdrew_may_enrol_again(intake, user):
    EnrolmentFactory(intake=intake, user=user, status=S.DROPPED)
    assert services.enrolment_create(user=user, intake=intake).status == S.ENROLLED
    assert list(Enrolment.objects.filter(user=user).order_by("id").values_list("status", flat=True)) == [
        "dropped",
        "enrolled",
    ]


def test_database_refuses_two_active_enrolments(intake, user):
    EnrolmentFactory(intake=intake, user=user, status=S.WAITLISTED)
    with pytest.raises(IntegrityError):
        EnrolmentFactory(intake=intake, user=user, status=S.ENROLLED)


@pytest.mark.parametrize("status", [Intake.Status.PLANNED, Intake.Status.RUNNING, Intake.Status.FINISHED])
def test_closed_intake_is_refused(user, status):
    intake = IntakeFactory(status=status)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.enrolment_create(user=user, intake=intake)
    assert en(error) == ["Enrolment in this intake is closed."]
    assert Enrolment.objects.count() == 0


def test_withdraw_offers_the_seat_to_the_first_waitlisted_and_tells_them_in_their_language(intake, tasks):
    seated = EnrolmentFactory.create_batch(5, intake=intake)
    now = timezone.now()
    first = EnrolmentFactory(
        intake=intake, status=S.WAITLISTED, created_at=now, user=UserFactory(preferred_language="ru")
    )
    second = EnrolmentFactory(intake=intake, status=S.WAITLISTED, created_at=now + datetime.timedelta(minutes=1))
    services.enrolment_withdraw(enrolment=seated[0])
    tasks()
    seated[0].refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert seated[0].status == S.DROPPED
    # not enrolled silently: the seat is held for them until the deadline (48 hours)
    assert first.status == S.OFFERED
    assert first.offer_expires_at - timezone.now() > datetime.timedelta(hours=47, minutes=59)
    assert first.offer_expires_at - timezone.now() <= datetime.timedelta(hours=48)
    assert second.status == S.WAITLISTED
    assert services.waitlist_position(second) == 1
    # the seat is held: the intake stays full for newcomers
    assert Intake.objects.with_seats().get(pk=intake.pk).seats_left == 0
    # the person who left gets a receipt, the first in the queue the offer
    assert sorted(m.to[0] for m in mail.outbox) == sorted([seated[0].user.email, first.user.email])
    [offer] = [m for m in mail.outbox if m.to == [first.user.email]]
    assert offer.subject == f"Вам предложено место: {intake.course.title_ru}"
    assert "Примите или откажитесь" in offer.body


def test_withdraw_from_the_waitlist_promotes_nobody(intake, tasks):
    EnrolmentFactory.create_batch(5, intake=intake)
    waiting = EnrolmentFactory(intake=intake, status=S.WAITLISTED)
    services.enrolment_withdraw(enrolment=waiting)
    tasks()
    assert intake.enrolments.filter(status=S.ENROLLED).count() == 5
    assert Enrolment.objects.get(pk=waiting.pk).status == S.DROPPED
    assert [m.to for m in mail.outbox] == [[waiting.user.email]]  # only the leaver's own receipt


def test_promotion_into_an_approval_intake_is_an_application(tasks):
    intake = IntakeFactory(capacity=1, requires_approval=True)
    seated = EnrolmentFactory(intake=intake, status=S.APPLIED)
    waiting = EnrolmentFactory(intake=intake, status=S.WAITLISTED)
    services.enrolment_withdraw(enrolment=seated)
    assert Enrolment.objects.get(pk=waiting.pk).status == S.OFFERED
    services.offer_accept(enrolment=waiting, user=waiting.user)
    tasks()
    assert Enrolment.objects.get(pk=waiting.pk).status == S.APPLIED
    # the leaver's receipt; the offer and then the application's receipt
    assert sorted(m.to[0] for m in mail.outbox) == sorted([seated.user.email, waiting.user.email, waiting.user.email])


@pytest.mark.parametrize("status", [S.COMPLETED, S.DROPPED, S.REJECTED])
def test_finished_enrolments_cannot_be_withdrawn(intake, status):
    enrolment = EnrolmentFactory(intake=intake, status=status)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.enrolment_withdraw(enrolment=enrolment)
    assert en(error) == ["This enrolment can no longer be withdrawn."]
    assert Enrolment.objects.get(pk=enrolment.pk).status == status


def test_approve_and_reject():
    intake = IntakeFactory(capacity=2, requires_approval=True)
    a = EnrolmentFactory(intake=intake, status=S.APPLIED)
    b = EnrolmentFactory(intake=intake, status=S.APPLIED)
    waiting = EnrolmentFactory(intake=intake, status=S.WAITLISTED)
    services.enrolment_approve(enrolment=a)
    services.enrolment_reject(enrolment=b)
    statuses = dict(Enrolment.objects.values_list("pk", "status"))
    # the freed seat is offered (held) to the waitlisted person, not given silently
    assert statuses == {a.pk: "enrolled", b.pk: "rejected", waiting.pk: "offered"}


def test_a_waitlisted_person_cannot_be_enrolled_over_capacity(intake):
    EnrolmentFactory.create_batch(5, intake=intake)
    waiting = EnrolmentFactory(intake=intake, status=S.WAITLISTED)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.enrolment_approve(enrolment=waiting)
    assert en(error) == ["The intake is full: no seat for a waitlisted person."]


def _running_enrolment(min_attendance=75, sessions=4, present=3):
    # an intake that ends today: completion is allowed (the end-date rule has its own tests)
    intake = IntakeFactory(
        status=Intake.Status.RUNNING,
        course=CourseFactory(min_attendance_percent=min_attendance),
        start_date=datetime.date.today() - datetime.timedelta(weeks=10),
    )
    enrolment = EnrolmentFactory(intake=intake)
    for n in range(sessions):
        session = SessionFactory(intake=intake)
        AttendanceFactory(session=session, enrolment=enrolment, present=n < present)
    return enrolment


def test_complete_with_enough_attendance():
    enrolment = _running_enrolment(min_attendance=75, sessions=4, present=3)
    assert services.attendance_percent(enrolment) == 75
    services.enrolment_complete(enrolment=enrolment)
    assert Enrolment.objects.get(pk=enrolment.pk).status == S.COMPLETED


def test_complete_is_refused_below_the_minimum_attendance():
    enrolment = _running_enrolment(min_attendance=75, sessions=4, present=2)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.enrolment_complete(enrolment=enrolment)
    assert en(error) == ["Attendance is 50%, the course requires at least 75%."]
    assert Enrolment.objects.get(pk=enrolment.pk).status == S.ENROLLED


def test_attendance_share_counts_each_session_once_whatever_the_class_size():
    """Other students' rows of the same sessions must not inflate the number of sessions held."""
    enrolment = _running_enrolment(min_attendance=75, sessions=4, present=3)
    classmates = EnrolmentFactory.create_batch(5, intake=enrolment.intake)
    for session in enrolment.intake.sessions.all():
        services.attendance_mark(
            session=session,
            present_ids=[enrolment.pk, *(c.pk for c in classmates)]
            if Attendance.objects.get(session=session, enrolment=enrolment).present
            else [c.pk for c in classmates],
        )
    assert Attendance.objects.filter(session__intake=enrolment.intake).count() == 4 * 6
    assert services.attendance_percent(enrolment) == 75
    assert services.attendance_percent(classmates[0]) == 100
    services.enrolment_complete(enrolment=enrolment)
    assert Enrolment.objects.get(pk=enrolment.pk).status == S.COMPLETED


def test_complete_without_requirement_needs_no_sessions():
    enrolment = EnrolmentFactory(
        intake=IntakeFactory(status=Intake.Status.RUNNING, start_date=datetime.date(2025, 1, 6))
    )
    services.enrolment_complete(enrolment=enrolment)
    assert Enrolment.objects.get(pk=enrolment.pk).status == S.COMPLETED


def test_certificate_only_for_a_completed_enrolment():
    enrolment = EnrolmentFactory(status=S.ENROLLED)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.certificate_issue(enrolment=enrolment)
    assert en(error) == ["A certificate is issued only for a completed course."]
    assert Certificate.objects.count() == 0


def test_certificate_issue_once():
    enrolment = EnrolmentFactory(status=S.COMPLETED)
    certificate = services.certificate_issue(enrolment=enrolment)
    assert certificate.code.startswith("AYT-") and len(certificate.code) == 14
    assert certificate.is_valid
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.certificate_issue(enrolment=enrolment)
    assert en(error) == ["This enrolment already has a certificate."]
    assert Certificate.objects.count() == 1


def test_certificate_revoke_needs_a_reason_and_happens_once():
    certificate = CertificateFactory()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.certificate_revoke(certificate=certificate, reason="  ")
    assert en(error) == ["Say why the certificate is revoked."]
    services.certificate_revoke(certificate=certificate, reason="Issued by mistake")
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revoke_reason == "Issued by mistake"
    assert not certificate.is_valid
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=certificate, reason="again")


def test_attendance_mark_records_every_student_and_can_be_corrected():
    intake = IntakeFactory(status=Intake.Status.RUNNING)
    a, b, c = EnrolmentFactory.create_batch(3, intake=intake)
    EnrolmentFactory(intake=intake, status=S.DROPPED)
    session = SessionFactory(intake=intake)
    assert services.attendance_mark(session=session, present_ids=[a.pk, c.pk]) == 2
    assert dict(Attendance.objects.values_list("enrolment_id", "present")) == {a.pk: True, b.pk: False, c.pk: True}
    services.attendance_mark(session=session, present_ids=[b.pk])
    assert dict(Attendance.objects.values_list("enrolment_id", "present")) == {a.pk: False, b.pk: True, c.pk: False}


def test_attendance_mark_refuses_strangers():
    session = SessionFactory()
    stranger = EnrolmentFactory()
    with pytest.raises(ValidationError):
        services.attendance_mark(session=session, present_ids=[stranger.pk])
    assert Attendance.objects.count() == 0


def test_session_create_rules():
    intake = IntakeFactory(
        status=Intake.Status.RUNNING, start_date=datetime.date(2026, 10, 1), end_date=datetime.date(2026, 12, 20)
    )
    session = services.session_create(intake=intake, date=datetime.date(2026, 11, 2), topic="Flexbox")
    assert (session.intake_id, session.date, session.topic) == (intake.pk, datetime.date(2026, 11, 2), "Flexbox")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.session_create(intake=intake, date=datetime.date(2026, 11, 2))
    assert en(error) == ["There is already a session on this date."]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.session_create(intake=intake, date=datetime.date(2027, 1, 2))
    assert en(error) == ["The session date must be within the intake's dates."]


def test_current_means_enrolled_in_a_running_intake():
    running = IntakeFactory(status=Intake.Status.RUNNING)
    EnrolmentFactory.create_batch(2, intake=running)
    EnrolmentFactory(intake=running, status=S.DROPPED)
    EnrolmentFactory(intake=IntakeFactory(status=Intake.Status.ENROLLING))
    EnrolmentFactory(intake=IntakeFactory(status=Intake.Status.FINISHED), status=S.COMPLETED)
    assert Enrolment.objects.current().count() == 2
