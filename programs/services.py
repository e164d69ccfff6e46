"""State changes of the programmes: enrolment, waitlist, attendance, completion, certificates.

Every function runs in a transaction and raises ``ValidationError`` with a translated
message when the rule is broken; nothing is saved in that case.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from technopark.accounts import require_confirmed_email
from technopark.workflow import Workflow

from . import messages
from .models import (
    Attendance,
    Certificate,
    CourseFeedback,
    Enrolment,
    EnrolmentStatusChange,
    Intake,
    IntakeStatusChange,
    MasterclassAttendance,
    MasterclassStudent,
    Session,
)

Status = Enrolment.Status
IntakeStatus = Intake.Status

# The enrolment's state machine: from status -> the statuses it may move to. Written only here;
# every change goes through ``enrolment_transition`` and is logged in EnrolmentStatusChange.
ENROLMENT_WORKFLOW = Workflow(
    statuses=Status,
    transitions={
        Status.APPLIED: frozenset({Status.ENROLLED, Status.REJECTED, Status.DROPPED}),
        # A freed seat is offered to the first waitlisted person (held for them until the offer's
        # deadline); a coordinator may still enrol or reject a waitlisted person directly.
        Status.WAITLISTED: frozenset(
            {Status.OFFERED, Status.APPLIED, Status.ENROLLED, Status.REJECTED, Status.DROPPED}
        ),
        # Accepted: enrolled (or an application, if the intake needs approval); declined or lapsed: dropped.
        Status.OFFERED: frozenset({Status.ENROLLED, Status.APPLIED, Status.REJECTED, Status.DROPPED}),
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


OFFER_HOURS = 48  # settings.PROGRAMS_OFFER_HOURS overrides it


def offer_hours() -> int:
    """How long a freed seat is held for the person offered it (``PROGRAMS_OFFER_HOURS``)."""
    return int(getattr(settings, "PROGRAMS_OFFER_HOURS", OFFER_HOURS))


def check_completion(enrolment: Enrolment, *, actor=None, reason: str = "", exception: bool = False) -> None:
    """The guard on the move to ``completed`` (part of the state machine: ``enrolment_transition``
    calls it for every such move). A course is completed only

    - after its intake has ended (its end date has come), or before that by a recorded
      exception: a person with ``programs.complete_early`` who gives a reason, which is kept in
      the enrolment's history. An intake moved to "finished" before its end date has not ended
      for this rule: the certificate would carry an end date still to come (shorten the intake's
      dates instead, or record the exception);
    - with at least the course's minimum attendance of the sessions held.
    """
    intake = enrolment.intake
    if intake.end_date > timezone.localdate():
        if not exception:
            raise ValidationError(
                _("The course runs until %(end)s: it can be completed only after the intake ends.")
                % {"end": intake.end_date.strftime("%d.%m.%Y")},
                code="not_ended",
            )
        if actor is None or not actor.has_perm("programs.complete_early"):
            raise ValidationError(
                _("Only a coordinator may complete a course before its intake ends."), code="no_exception_permission"
            )
        if not (reason or "").strip():
            raise ValidationError(
                _("Give the reason for completing the course before the intake ends."), code="exception_reason"
            )
    required = intake.course.min_attendance_percent
    if required:
        percent = attendance_percent(enrolment)
        if percent < required:
            raise ValidationError(
                _("Attendance is %(percent)s%%, the course requires at least %(required)s%%.")
                % {"percent": percent, "required": required},
                code="attendance",
            )


def enrolment_transition(
    enrolment: Enrolment, to_status: str, actor=None, reason: str = "", *, exception: bool = False
) -> Enrolment:
    """Move an enrolment to ``to_status`` if the table allows it (and, for ``completed``, the
    completion rules of ``check_completion`` hold), and log who, when, from, to and why. Raises a
    translated ``ValidationError`` for a refused move (nothing changes). Seat rules (capacity,
    the waitlist, offers) are the callers': enrol, withdraw, approve …"""
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().select_related("intake__course").get(pk=enrolment.pk)
        if to_status == Status.COMPLETED:
            ENROLMENT_WORKFLOW.check(locked.status, to_status)
            check_completion(locked, actor=actor, reason=reason, exception=exception)
            if exception and locked.intake.end_date > timezone.localdate():
                reason = _("Completed before the intake ended (exception): %(reason)s") % {"reason": reason.strip()}
        locked.decided_at = timezone.now() if to_status in DECIDED else None
        if to_status != Status.OFFERED:
            locked.offer_expires_at = enrolment.offer_expires_at = None
        elif enrolment.offer_expires_at:
            locked.offer_expires_at = enrolment.offer_expires_at
        ENROLMENT_WORKFLOW.move(
            locked, to_status, actor=actor, reason=str(reason), update_fields=["decided_at", "offer_expires_at"]
        )
    enrolment.status, enrolment.decided_at = locked.status, locked.decided_at
    enrolment.offer_expires_at = locked.offer_expires_at
    return enrolment


def intake_transition(intake: Intake, to_status: str, actor=None, reason: str = "") -> list[Enrolment]:
    """Move an intake to ``to_status`` if the table allows it and log the move. An intake that
    opens or starts offers its free seats to the waitlist; returns the enrolments offered a seat."""
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
    """Offer the intake's free seats to the first waitlisted people (intake row already locked).
    Each offer holds its seat (``offered`` is a seat status) until it is accepted, declined or
    lapses (``offer_hours()`` later); the person is told through the messages."""
    if intake.status not in (Intake.Status.ENROLLING, Intake.Status.RUNNING):
        return []
    free = intake.capacity - _seats_taken(intake)
    offered = []
    if free <= 0:
        return offered
    expires = timezone.now() + datetime.timedelta(hours=offer_hours())
    for enrolment in intake.enrolments.waitlist().select_related("user", "intake__course")[:free]:
        enrolment.offer_expires_at = expires
        enrolment_transition(enrolment, Status.OFFERED, actor, reason=_("A seat was freed."))
        messages.seat_offered(enrolment)
        offered.append(enrolment)
    return offered


def offer_accept(*, enrolment: Enrolment, user) -> Enrolment:
    """The person takes the seat held for them: enrolled (or an application when the intake needs
    approval). Refused after the deadline, or when the offer is no longer open."""
    with transaction.atomic():
        enrolment, intake = _locked_enrolment(enrolment)
        if enrolment.user_id != user.pk:
            raise ValidationError(_("This offer is not yours."), code="not_yours")
        if enrolment.status != Status.OFFERED:
            raise ValidationError(_("This offer is no longer open."), code="not_open")
        if enrolment.offer_expires_at <= timezone.now():
            raise ValidationError(_("The offer has lapsed: its deadline has passed."), code="lapsed")
        to_status = Status.APPLIED if intake.requires_approval else Status.ENROLLED
        enrolment_transition(enrolment, to_status, user, reason=_("The offered seat was accepted."))
        messages.enrolled(enrolment)
    return enrolment


def offer_decline(*, enrolment: Enrolment, user) -> Enrolment:
    """The person does not want the seat: it is offered to the next on the waitlist."""
    with transaction.atomic():
        enrolment, intake = _locked_enrolment(enrolment)
        if enrolment.user_id != user.pk:
            raise ValidationError(_("This offer is not yours."), code="not_yours")
        if enrolment.status != Status.OFFERED:
            raise ValidationError(_("This offer is no longer open."), code="not_open")
        enrolment_transition(enrolment, Status.DROPPED, user, reason=_("The offered seat was declined."))
        _promote_waitlist(intake)
    return enrolment


def offers_lapse(now: datetime.datetime | None = None) -> int:
    """Offers past their deadline lapse (the person leaves the waitlist and is told) and each seat
    is offered to the next person. Run by the scheduler; returns how many lapsed."""
    now = now or timezone.now()
    lapsed = 0
    due = list(
        Enrolment.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
        .order_by("offer_expires_at", "pk")
        .values_list("pk", flat=True)
    )
    for pk in due:
        with transaction.atomic():
            enrolment, intake = _locked_enrolment(Enrolment.objects.select_related("intake").get(pk=pk))
            # Accepted or declined meanwhile: nothing to do.
            if enrolment.status != Status.OFFERED or enrolment.offer_expires_at > now:
                continue
            enrolment_transition(enrolment, Status.DROPPED, None, reason=_("The offer lapsed: not accepted in time."))
            messages.offer_lapsed(enrolment)
            _promote_waitlist(intake)
            lapsed += 1
    return lapsed


def intake_fill_from_waitlist(*, intake: Intake, actor=None) -> list[Enrolment]:
    """Offer the seats an intake has free (e.g. after its capacity was raised) to the first
    people on its waitlist, who are told through the messages. Returns the enrolments offered."""
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
        if enrolment.status in (Status.WAITLISTED, Status.OFFERED):
            if enrolment.status == Status.WAITLISTED and _seats_taken(intake) >= intake.capacity:
                raise ValidationError(_("The intake is full: no seat for a waitlisted person."), code="full")
        elif enrolment.status != Status.APPLIED:
            raise ValidationError(_("Only applications and waitlisted people can be enrolled."), code="status")
        enrolment_transition(enrolment, Status.ENROLLED, actor, reason)
        messages.approved(enrolment)
    return enrolment


def enrolment_reject(*, enrolment: Enrolment, actor=None, reason: str = "") -> Enrolment:
    with transaction.atomic():
        enrolment, intake = _locked_enrolment(enrolment)
        if enrolment.status not in (Status.APPLIED, Status.WAITLISTED, Status.OFFERED):
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


def enrolment_complete(*, enrolment: Enrolment, actor=None, reason: str = "", exception: bool = False) -> Enrolment:
    """Mark an enrolled person as having completed the course. The rules (the intake has ended or
    a coordinator records a reasoned exception; the minimum attendance) are checked by the state
    machine (``check_completion``)."""
    with transaction.atomic():
        enrolment, intake = _locked_enrolment(enrolment)
        if enrolment.status != Status.ENROLLED:
            raise ValidationError(_("Only enrolled students can complete a course."), code="status")
        enrolment_transition(enrolment, Status.COMPLETED, actor, reason, exception=exception)
    return enrolment


def certificate_issue(*, enrolment: Enrolment) -> Certificate:
    """Issue the certificate of a completed enrolment (once)."""
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status != Status.COMPLETED:
            raise ValidationError(_("A certificate is issued only for a completed course."), code="not_completed")
        if Certificate.objects.filter(enrolment=enrolment).exists():
            raise ValidationError(_("This enrolment already has a certificate."), code="exists")
        intake = enrolment.intake
        certificate = Certificate.objects.create(
            enrolment=enrolment, course_start=intake.start_date, course_end=intake.end_date
        )
        certificate = Certificate.objects.select_related("enrolment__user", "enrolment__intake__course__direction").get(
            pk=certificate.pk
        )
        messages.certificate_issued_later(certificate)  # the worker renders the PDF and sends it
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
            Enrolment.objects.filter(intake_id=session.intake_id, status__in=Enrolment.STUDENT_STATUSES).values_list(
                "id", flat=True
            )
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


# --- Course feedback ------------------------------------------------------------------------


def feedback_open(enrolment: Enrolment) -> bool:
    """Students of an intake that has ended may answer the survey (once)."""
    intake = enrolment.intake
    ended = intake.status == IntakeStatus.FINISHED or intake.end_date <= timezone.localdate()
    return enrolment.status in Enrolment.STUDENT_STATUSES and ended


def feedback_submit(*, enrolment: Enrolment, user, content: int, instructor: int, pace: int, comment: str = ""):
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().select_related("intake").get(pk=enrolment.pk)
        if enrolment.user_id != user.pk:
            raise ValidationError(_("This survey is not yours."), code="not_yours")
        if not feedback_open(enrolment):
            raise ValidationError(_("The survey opens when the course ends."), code="not_open")
        for value in (content, instructor, pace):
            if not 1 <= int(value) <= 5:
                raise ValidationError(_("Ratings are from 1 to 5."), code="rating")
        if CourseFeedback.objects.filter(enrolment=enrolment).exists():
            raise ValidationError(_("You have already answered this survey. Thank you!"), code="duplicate")
        try:
            with transaction.atomic():
                return CourseFeedback.objects.create(
                    enrolment=enrolment,
                    content=content,
                    instructor=instructor,
                    pace=pace,
                    comment=(comment or "").strip(),
                )
        except IntegrityError as exc:
            raise ValidationError(_("You have already answered this survey. Thank you!"), code="duplicate") from exc


# --- The path: masterclass students who register with their school's code -------------------


def normalise_masterclass_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:12]


def masterclass_register(*, user, code: str) -> MasterclassStudent:
    """Link ``user`` to the masterclass (and school) whose code they typed."""
    normalised = normalise_masterclass_code(code)
    attendance = (
        MasterclassAttendance.objects.select_related("masterclass", "school").filter(code=normalised).first()
        if normalised
        else None
    )
    if attendance is None:
        raise ValidationError(_("No masterclass has this code. Check it with your school."), code="unknown")
    with transaction.atomic():
        link, created = MasterclassStudent.objects.get_or_create(user=user, attendance=attendance)
    if not created:
        raise ValidationError(_("Your account is already linked to this masterclass."), code="duplicate")
    return link
