"""State changes of the programmes: enrolment, waitlist, attendance, completion, certificates.

Every function runs in a transaction and raises ``ValidationError`` with a translated
message when the rule is broken; nothing is saved in that case.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from technopark.accounts import require_confirmed_email
from technopark.workflow import Workflow

from . import messages
from .models import Attendance, Certificate, Enrolment, EnrolmentStatusChange, Intake, IntakeStatusChange, Session

Status = Enrolment.Status
IntakeStatus = Intake.Status

# The enrolment's state machine: from status -> the statuses it may move to. Written only here;
# every change goes through ``enrolment_transition`` and is logged in EnrolmentStatusChange.
ENROLMENT_WORKFLOW = Workflow(
    statuses=Status,
    transitions={
        Status.APPLIED: frozenset({Status.ENROLLED, Status.REJECTED, Status.DROPPED}),
        Status.WAITLISTED: frozenset({Status.APPLIED, Status.ENROLLED, Status.REJECTED, Status.DROPPED}),
        Status.ENROLLED: frozenset({Status.COMPLETED, Status.DROPPED}),
        Status.COMPLETED: frozenset(),
        Status.DROPPED: frozenset(),
        Status.REJECTED: frozenset(),
    },
    initial=frozenset({Status.APPLIED, Status.WAITLISTED, Status.ENROLLED}),
    history=EnrolmentStatusChange,
    subject="enrolment",
    refusal=_("An enrolment cannot go from “%(from)s” to “%(to)s”."),
)

# The intake's state machine (changed in the admin through actions, logged in IntakeStatusChange).
INTAKE_WORKFLOW = Workflow(
    statuses=IntakeStatus,
    transitions={
        IntakeStatus.PLANNED: frozenset({IntakeStatus.ENROLLING, IntakeStatus.RUNNING}),
        IntakeStatus.ENROLLING: frozenset({IntakeStatus.PLANNED, IntakeStatus.RUNNING}),
        IntakeStatus.RUNNING: frozenset({IntakeStatus.FINISHED}),
        IntakeStatus.FINISHED: frozenset(),
    },
    initial=frozenset({IntakeStatus.PLANNED}),
    history=IntakeStatusChange,
    subject="intake",
    refusal=_("An intake cannot go from “%(from)s” to “%(to)s”."),
)

# Which statuses a person may leave by withdrawing.
WITHDRAWABLE = tuple(s for s in ENROLMENT_WORKFLOW.transitions if Status.DROPPED in ENROLMENT_WORKFLOW.transitions[s])
# A decision (or the end of the course) is dated; a seat given subject to approval is not yet.
DECIDED = (Status.ENROLLED, Status.COMPLETED, Status.DROPPED, Status.REJECTED)


def _seats_taken(intake: Intake) -> int:
    return intake.enrolments.filter(status__in=Enrolment.SEAT_STATUSES).count()


def _lock_intake(intake: Intake) -> Intake:
    """Lock the intake row until the end of the transaction: seat counting is serialised."""
    return Intake.objects.select_for_update().select_related("course").get(pk=intake.pk)


def enrolment_transition(enrolment: Enrolment, to_status: str, actor=None, reason: str = "") -> Enrolment:
    """Move an enrolment to ``to_status`` if the table allows it, and log who, when, from, to and
    why. Raises a translated ``ValidationError`` for a disallowed move (nothing changes). Seat
    rules (capacity, the waitlist, attendance) are the callers': enrol, withdraw, approve …"""
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        locked.decided_at = timezone.now() if to_status in DECIDED else None
        ENROLMENT_WORKFLOW.move(locked, to_status, actor=actor, reason=reason, update_fields=["decided_at"])
    enrolment.status, enrolment.decided_at = locked.status, locked.decided_at
    return enrolment


def intake_transition(intake: Intake, to_status: str, actor=None, reason: str = "") -> list[Enrolment]:
    """Move an intake to ``to_status`` if the table allows it and log the move. An intake that
    opens or starts gives its free seats to the waitlist; returns the promoted enrolments."""
    with transaction.atomic():
        locked = _lock_intake(intake)
        INTAKE_WORKFLOW.move(locked, to_status, actor=actor, reason=reason)
        promoted = _promote_waitlist(locked, actor=actor)
    intake.status = locked.status
    return promoted


def enrolment_create(*, user, intake: Intake) -> Enrolment:
    """Enrol ``user`` in ``intake``: a seat if one is left (``enrolled``, or ``applied`` when the
    intake needs approval), otherwise the waitlist."""
    require_confirmed_email(user)
    with transaction.atomic():
        intake = _lock_intake(intake)
        course = intake.course
        if intake.status != Intake.Status.ENROLLING or not course.is_active:
            raise ValidationError(_("Enrolment in this intake is closed."), code="closed")
        age = user.age_on(intake.start_date)
        if age is None:
            raise ValidationError(
                _("Add your birth date to your profile: the course has an age range."), code="no_birth_date"
            )
        if not course.min_age <= age <= course.max_age:
            raise ValidationError(
                _("This course is for ages %(min)s to %(max)s; on the start date you will be %(age)s.")
                % {"min": course.min_age, "max": course.max_age, "age": age},
                code="age",
            )
        if intake.enrolments.active().filter(user=user).exists():
            raise ValidationError(_("You are already enrolled or waitlisted in this intake."), code="duplicate")
        if _seats_taken(intake) < intake.capacity:
            status = Status.APPLIED if intake.requires_approval else Status.ENROLLED
        else:
            status = Status.WAITLISTED
        now = timezone.now()
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    user=user,
                    intake=intake,
                    status=status,
                    created_at=now,
                    decided_at=now if status == Status.ENROLLED else None,
                )
                ENROLMENT_WORKFLOW.record(enrolment, "", status, actor=user)
        except IntegrityError as exc:  # the partial unique constraint: a double click
            raise ValidationError(
                _("You are already enrolled or waitlisted in this intake."), code="duplicate"
            ) from exc
        if status == Status.WAITLISTED:
            messages.waitlisted(enrolment, waitlist_position(enrolment))
        else:
            messages.enrolled(enrolment)
    return enrolment


def waitlist_position(enrolment: Enrolment) -> int | None:
    if enrolment.status != Status.WAITLISTED:
        return None
    ahead = Enrolment.objects.waitlisted_ahead(
        intake_id=enrolment.intake_id, created_at=enrolment.created_at, pk=enrolment.pk
    ).count()
    return ahead + 1


def _promote_waitlist(intake: Intake, actor=None) -> list[Enrolment]:
    """Give freed seats to the first waitlisted people (intake row already locked)."""
    if intake.status not in (Intake.Status.ENROLLING, Intake.Status.RUNNING):
        return []
    free = intake.capacity - _seats_taken(intake)
    promoted = []
    if free <= 0:
        return promoted
    to_status = Status.APPLIED if intake.requires_approval else Status.ENROLLED
    for enrolment in intake.enrolments.waitlist()[:free]:
        enrolment_transition(enrolment, to_status, actor, reason=_("A seat was freed."))
        messages.promoted(enrolment)
        promoted.append(enrolment)
    return promoted


def intake_fill_from_waitlist(*, intake: Intake, actor=None) -> list[Enrolment]:
    """Give the seats an intake has free (e.g. after its capacity was raised) to the first
    people on its waitlist, who are told by e-mail. Returns the promoted enrolments."""
    with transaction.atomic():
        return _promote_waitlist(_lock_intake(intake), actor=actor)


def _locked_enrolment(enrolment: Enrolment) -> tuple[Enrolment, Intake]:
    intake = _lock_intake(enrolment.intake)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    return enrolment, intake


def enrolment_withdraw(*, enrolment: Enrolment, actor=None, reason: str = "") -> Enrolment:
    """The person leaves the intake (or a coordinator drops them); a freed seat goes to the first
    person on the waitlist."""
    with transaction.atomic():
        enrolment, intake = _locked_enrolment(enrolment)
        if enrolment.status not in WITHDRAWABLE:
            raise ValidationError(_("This enrolment can no longer be withdrawn."), code="not_withdrawable")
        enrolment_transition(enrolment, Status.DROPPED, actor, reason)
        messages.withdrawn(enrolment, actor=actor, reason=reason)
        _promote_waitlist(intake, actor=actor)
    return enrolment


def enrolment_approve(*, enrolment: Enrolment, actor=None, reason: str = "") -> Enrolment:
    """A coordinator accepts an application (or a waitlisted person when a seat is free)."""
    with transaction.atomic():
        enrolment, intake = _locked_enrolment(enrolment)
        if enrolment.status == Status.WAITLISTED:
            if _seats_taken(intake) >= intake.capacity:
                raise ValidationError(_("The intake is full: no seat for a waitlisted person."), code="full")
        elif enrolment.status != Status.APPLIED:
            raise ValidationError(_("Only applications and waitlisted people can be enrolled."), code="status")
        enrolment_transition(enrolment, Status.ENROLLED, actor, reason)
        messages.approved(enrolment)
    return enrolment


def enrolment_reject(*, enrolment: Enrolment, actor=None, reason: str = "") -> Enrolment:
    with transaction.atomic():
        enrolment, intake = _locked_enrolment(enrolment)
        if enrolment.status not in (Status.APPLIED, Status.WAITLISTED):
            raise ValidationError(_("Only applications and waitlisted people can be rejected."), code="status")
        enrolment_transition(enrolment, Status.REJECTED, actor, reason)
        messages.rejected(enrolment, reason=reason)
        _promote_waitlist(intake, actor=actor)
    return enrolment


def attendance_percent(enrolment: Enrolment) -> int:
    """Share of the intake's sessions held so far that the person attended (0–100)."""
    counts = Session.objects.filter(intake_id=enrolment.intake_id).aggregate(
        # distinct: the join with attendance has a row per student and session
        held=Count("id", distinct=True),
        present=Count("attendance", filter=Q(attendance__enrolment=enrolment, attendance__present=True)),
    )
    if not counts["held"]:
        return 0
    return round(100 * counts["present"] / counts["held"])


def enrolment_complete(*, enrolment: Enrolment, actor=None, reason: str = "") -> Enrolment:
    """Mark an enrolled person as having completed the course (minimum attendance checked)."""
    with transaction.atomic():
        enrolment, intake = _locked_enrolment(enrolment)
        if enrolment.status != Status.ENROLLED:
            raise ValidationError(_("Only enrolled students can complete a course."), code="status")
        required = intake.course.min_attendance_percent
        if required:
            percent = attendance_percent(enrolment)
            if percent < required:
                raise ValidationError(
                    _("Attendance is %(percent)s%%, the course requires at least %(required)s%%.")
                    % {"percent": percent, "required": required},
                    code="attendance",
                )
        enrolment_transition(enrolment, Status.COMPLETED, actor, reason)
    return enrolment


def certificate_issue(*, enrolment: Enrolment) -> Certificate:
    """Issue the certificate of a completed enrolment (once)."""
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status != Status.COMPLETED:
            raise ValidationError(_("A certificate is issued only for a completed course."), code="not_completed")
        if Certificate.objects.filter(enrolment=enrolment).exists():
            raise ValidationError(_("This enrolment already has a certificate."), code="exists")
        certificate = Certificate.objects.create(enrolment=enrolment)
        messages.certificate_issued(certificate)
    return certificate


def certificate_revoke(*, certificate: Certificate, reason: str) -> Certificate:
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at:
            raise ValidationError(_("This certificate is already revoked."), code="revoked")
        if not reason.strip():
            raise ValidationError(_("Say why the certificate is revoked."), code="reason")
        certificate.revoked_at = timezone.now()
        certificate.revoke_reason = reason.strip()
        certificate.save(update_fields=["revoked_at", "revoke_reason"])
    return certificate


def session_create(*, intake: Intake, date: datetime.date, topic: str = "") -> Session:
    with transaction.atomic():
        if intake.status not in (IntakeStatus.RUNNING, IntakeStatus.FINISHED):
            raise ValidationError(_("Sessions are recorded for running intakes."), code="status")
        if not intake.start_date <= date <= intake.end_date:
            raise ValidationError(_("The session date must be within the intake's dates."), code="date")
        if Session.objects.filter(intake=intake, date=date).exists():
            raise ValidationError(_("There is already a session on this date."), code="duplicate")
        return Session.objects.create(intake=intake, date=date, topic=topic)


def attendance_mark(*, session: Session, present_ids: Iterable[int]) -> int:
    """Record present/absent for every enrolled student of the session's intake.
    Returns how many are present."""
    present_ids = {int(pk) for pk in present_ids}
    with transaction.atomic():
        enrolment_ids = set(
            Enrolment.objects.filter(
                intake_id=session.intake_id, status__in=(Status.ENROLLED, Status.COMPLETED)
            ).values_list("id", flat=True)
        )
        unknown = present_ids - enrolment_ids
        if unknown:
            raise ValidationError(_("Some of the marked people are not students of this intake."), code="unknown")
        Attendance.objects.bulk_create(
            [Attendance(session=session, enrolment_id=pk, present=pk in present_ids) for pk in enrolment_ids],
            update_conflicts=True,
            unique_fields=["session", "enrolment"],
            update_fields=["present"],
        )
    return len(present_ids)
