"""State changes of the FabLab. Views, admin actions and the seed call these.

Every function runs in a transaction and raises ``ValidationError`` with a translated message
on bad input. The exclusion constraints on ``Booking`` and ``TimeBlock`` are the guarantee; the
checks here are the courtesy that explains the refusal in words.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from technopark.accounts import require_confirmed_email
from technopark.uploads import validate_image_upload
from technopark.workflow import Workflow

from . import hours, messages, selectors
from .models import (
    Booking,
    BookingStatusChange,
    BookingSuspension,
    Clearance,
    Equipment,
    EquipmentCategory,
    FaultReport,
    MaintenanceWindow,
    TimeBlock,
    TrainingSession,
    TrainingSignup,
)

logger = logging.getLogger(__name__)

OVERLAP_MESSAGE = gettext_noop(
    "This time overlaps another booking or maintenance of this machine. Choose another time."
)


MAINTENANCE_NOTE = gettext_noop("The machine is under maintenance at that time.")
STAFF_CANCEL_NOTE = gettext_noop("Cancelled by the FabLab staff.")

BookingStatus = Booking.Status
# The booking's state machine: from status -> the statuses it may move to. Written only here;
# every change goes through ``booking_transition`` and is logged in BookingStatusChange.
BOOKING_WORKFLOW = Workflow(
    statuses=BookingStatus,
    transitions={
        BookingStatus.REQUESTED: frozenset({BookingStatus.CONFIRMED, BookingStatus.REJECTED, BookingStatus.CANCELLED}),
        BookingStatus.CONFIRMED: frozenset(
            {BookingStatus.COMPLETED, BookingStatus.REJECTED, BookingStatus.CANCELLED, BookingStatus.NO_SHOW}
        ),
        BookingStatus.REJECTED: frozenset(),
        BookingStatus.CANCELLED: frozenset(),
        BookingStatus.COMPLETED: frozenset(),
        BookingStatus.NO_SHOW: frozenset(),
    },
    initial=frozenset({BookingStatus.REQUESTED}),
    history=BookingStatusChange,
    subject="booking",
    refusal=gettext_lazy("A booking cannot go from “%(from)s” to “%(to)s”."),
)


def booking_transition(booking: Booking, to_status: str, actor=None, reason: str = "", *, update_fields=()) -> Booking:
    """Move a booking to ``to_status`` if the table allows it, saving ``update_fields`` with it,
    and log who, when, from, to and why. A disallowed move raises a translated
    ``ValidationError`` and changes nothing. The time rules (opening hours, time blocks) are the
    callers': confirm, reject, cancel, complete, check-out, no-shows."""
    with transaction.atomic():
        # The table decides from the status in the database, whatever the caller's copy says.
        booking.status = Booking.objects.select_for_update().values_list("status", flat=True).get(pk=booking.pk)
        BOOKING_WORKFLOW.move(booking, to_status, actor=actor, reason=reason, update_fields=update_fields)
    return booking


def _in_language_of(user, message: str) -> str:
    """A fixed note stored on the booking and mailed to its person: in that person's language."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        return _(message)


def _overlap_error() -> ValidationError:
    return ValidationError(_(OVERLAP_MESSAGE), code="overlap")


# The name the database's opening-hours trigger gives its refusal (migration 0005).
HOURS_GUARD = "fablab_booking_within_opening_hours"


def _refusal(exc: IntegrityError, start, end) -> ValidationError:
    """The database refused a booking: the opening-hours trigger (the hours changed meanwhile)
    or an exclusion constraint (someone else took the time)."""
    if getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None) == HOURS_GUARD:
        return ValidationError(
            hours.hours_error(start, end) or _("This time is outside the opening hours."), code="hours"
        )
    return _overlap_error()


# --- Rules ---------------------------------------------------------------------------------


def booking_rule_errors(
    *, equipment: Equipment, user, start: datetime.datetime, end: datetime.datetime, by_staff: bool = False
) -> list:
    """Every rule a new booking must satisfy, as a list of translated messages (empty = fine).
    ``by_staff``: the FabLab staff book for the person, so neither the lead time nor a suspension
    of self-booking applies (the opening hours, clearance, machine and overlap rules do)."""
    errors = []
    if end <= start:
        errors.append(
            ValidationError(_("The end must be after the start."), code="reversed" if end < start else "empty")
        )
        return errors
    now = timezone.now()
    if start < now:
        errors.append(ValidationError(_("You cannot book time in the past."), code="past"))
    elif not by_staff and start < now + datetime.timedelta(hours=settings.FABLAB_MIN_LEAD_HOURS):
        errors.append(
            ValidationError(
                _("Book at least %(hours)s hours ahead.") % {"hours": settings.FABLAB_MIN_LEAD_HOURS}, code="lead"
            )
        )
    if end - start > datetime.timedelta(hours=settings.FABLAB_MAX_BOOKING_HOURS):
        errors.append(
            ValidationError(
                _("A booking can last at most %(hours)s hours.") % {"hours": settings.FABLAB_MAX_BOOKING_HOURS},
                code="too_long",
            )
        )
    local_end = timezone.localtime(end)
    outside = hours.hours_error(start, end)
    if outside:
        errors.append(ValidationError(outside, code="hours"))
    suspension = (
        None if by_staff else BookingSuspension.objects.active(now).filter(user=user).order_by("-ends_at").first()
    )
    if suspension is not None:
        errors.append(
            ValidationError(
                _(
                    "Your self-booking is suspended until %(day)s after repeated missed bookings. "
                    "Ask the FabLab staff to book for you or to lift it."
                )
                % {"day": timezone.localtime(suspension.ends_at).strftime("%d.%m.%Y")},
                code="suspended",
            )
        )
    if equipment.status == Equipment.Status.MAINTENANCE:
        errors.append(ValidationError(_("This machine is under maintenance and cannot be booked."), code="maintenance"))
    elif equipment.status == Equipment.Status.RETIRED:
        errors.append(ValidationError(_("This machine is retired and cannot be booked."), code="retired"))
    if (
        equipment.requires_clearance
        and not Clearance.objects.valid(on=local_end.date())
        .filter(user=user, category_id=equipment.category_id)
        .exists()
    ):
        errors.append(
            ValidationError(
                _(
                    "This machine needs a valid safety clearance for “%(category)s” on the day of the booking. "
                    "Ask the FabLab staff about the safety training."
                )
                % {"category": equipment.category.name},
                code="clearance",
            )
        )
    if not errors and TimeBlock.objects.filter(equipment=equipment, start__lt=end, end__gt=start).exists():
        errors.append(_overlap_error())
    return errors


# --- Bookings ------------------------------------------------------------------------------


def booking_request(
    *,
    equipment: Equipment,
    user,
    start: datetime.datetime,
    end: datetime.datetime,
    purpose: str,
    startup=None,
) -> Booking:
    """A young person asks for a machine; the booking waits for a FabLab manager."""
    require_confirmed_email(user)
    purpose = (purpose or "").strip()
    errors = booking_rule_errors(equipment=equipment, user=user, start=start, end=end)
    if not purpose:
        errors.append(ValidationError(_("Say what you are going to make."), code="purpose"))
    if startup is not None and not _user_in_startup(user, startup):
        errors.append(ValidationError(_("You can only book for a startup you are a founder of."), code="startup"))
    if errors:
        raise ValidationError(errors)
    booking = Booking(equipment=equipment, user=user, start=start, end=end, purpose=purpose, startup=startup)
    try:
        # Its own savepoint: a race lost to the exclusion constraint rolls back only this part.
        with transaction.atomic():
            booking.save()
            BOOKING_WORKFLOW.record(booking, "", booking.status, actor=user)
            TimeBlock.objects.create(
                equipment=equipment, start=start, end=end, kind=TimeBlock.Kind.BOOKING, booking=booking
            )
            messages.booking_requested(booking)
    except IntegrityError as exc:
        raise _refusal(exc, start, end) from exc
    return booking


def booking_for_person(
    *,
    equipment: Equipment,
    user,
    start: datetime.datetime,
    end: datetime.datetime,
    purpose: str,
    by,
) -> Booking:
    """A FabLab manager books a machine for a person (at the desk, on the phone, or while the
    person's self-booking is suspended after no-shows): the rules of a request except the lead
    time and the suspension, and confirmed at once; the person gets the confirmation (with the
    .ics), not a "requested" message. The history records the manager as the actor."""
    if by is None or not by.has_perm("fablab.confirm_booking"):
        raise ValidationError(_("Only a FabLab manager can book for another person."), code="permission")
    purpose = (purpose or "").strip()
    errors = booking_rule_errors(equipment=equipment, user=user, start=start, end=end, by_staff=True)
    if not purpose:
        errors.append(ValidationError(_("Say what the person is going to make."), code="purpose"))
    if errors:
        raise ValidationError(errors)
    booking = Booking(equipment=equipment, user=user, start=start, end=end, purpose=purpose)
    with transaction.atomic():
        try:
            with transaction.atomic():
                booking.save()
                BOOKING_WORKFLOW.record(booking, "", booking.status, actor=by, reason=_("Booked by the FabLab staff."))
                TimeBlock.objects.create(
                    equipment=equipment, start=start, end=end, kind=TimeBlock.Kind.BOOKING, booking=booking
                )
        except IntegrityError as exc:
            raise _refusal(exc, start, end) from exc
        return booking_confirm(booking=booking, by=by)


def _user_in_startup(user, startup) -> bool:
    return startup.founders.filter(user=user).exists()


def _lock(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("equipment", "user").get(pk=booking.pk)


@transaction.atomic
def booking_confirm(*, booking: Booking, by) -> Booking:
    booking = _lock(booking)
    if booking.status != Booking.Status.REQUESTED:
        raise ValidationError(_("Only a requested booking can be confirmed."), code="status")
    if booking.end <= timezone.now():
        raise ValidationError(_("This booking's time has passed; it cannot be confirmed."), code="past")
    outside = hours.hours_error(booking.start, booking.end)
    if outside:  # the hours changed after the request: reject it (or change the hours back)
        raise ValidationError(
            _("This booking is outside the opening hours now: %(reason)s") % {"reason": outside}, code="hours"
        )
    booking.decided_by = by
    booking.decided_at = timezone.now()
    booking_transition(booking, Booking.Status.CONFIRMED, by, update_fields=["decided_by", "decided_at"])
    messages.booking_confirmed(booking)
    return booking


@transaction.atomic
def booking_reject(*, booking: Booking, by, note: str = "") -> Booking:
    booking = _lock(booking)
    if booking.status not in Booking.ACTIVE_STATUSES:
        raise ValidationError(_("Only a requested or confirmed booking can be rejected."), code="status")
    booking.decided_by = by
    booking.decided_at = timezone.now()
    booking.decision_note = note[:255]
    booking_transition(
        booking, Booking.Status.REJECTED, by, note, update_fields=["decided_by", "decided_at", "decision_note"]
    )
    TimeBlock.objects.filter(booking=booking).delete()
    messages.booking_rejected(booking)
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, by, note: str = "", notify: bool = False) -> Booking:
    """The person cancels before the start (staff may cancel any active booking)."""
    booking = _lock(booking)
    if booking.status not in Booking.ACTIVE_STATUSES:
        raise ValidationError(_("This booking is no longer active."), code="status")
    is_staff_action = by is None or by.pk != booking.user_id
    if not is_staff_action and booking.start <= timezone.now():
        raise ValidationError(_("A booking can only be cancelled before it starts."), code="started")
    booking.decision_note = note[:255]
    if is_staff_action:
        booking.decided_by = by
        booking.decided_at = timezone.now()
    booking_transition(
        booking, Booking.Status.CANCELLED, by, note, update_fields=["decision_note", "decided_by", "decided_at"]
    )
    TimeBlock.objects.filter(booking=booking).delete()
    if notify:
        messages.booking_cancelled(booking)
    return booking


def booking_cancel_by_staff(*, booking: Booking, by) -> Booking:
    """Staff cancel an active booking (even one that has started); the person gets an e-mail."""
    return booking_cancel(booking=booking, by=by, note=_in_language_of(booking.user, STAFF_CANCEL_NOTE), notify=True)


@transaction.atomic
def booking_complete(*, booking: Booking, by=None) -> Booking:
    """A confirmed booking whose time has come is marked completed (its time stays blocked)."""
    booking = _lock(booking)
    if booking.status != Booking.Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed booking can be completed."), code="status")
    if booking.start > timezone.now():
        raise ValidationError(_("A booking cannot be completed before it starts."), code="future")
    booking_transition(booking, Booking.Status.COMPLETED, by)
    return booking


def booking_complete_past(*, now: datetime.datetime | None = None, by=None) -> int:
    """Mark every confirmed booking whose time is over as completed; returns how many.

    Run daily by ``manage.py fablab_complete_bookings`` (and from the admin action per booking).
    Each booking goes through ``booking_complete`` in its own transaction, so one failure stops
    nothing else.
    """
    now = now or timezone.now()
    done = 0
    for booking in Booking.objects.filter(status=Booking.Status.CONFIRMED, end__lte=now).order_by("start"):
        try:
            booking_complete(booking=booking, by=by)
        except ValidationError:  # changed by someone else meanwhile
            continue
        done += 1
    return done


# --- Check-in and no-shows ---------------------------------------------------------------

CHECK_IN_EARLY = datetime.timedelta(minutes=30)


@transaction.atomic
def booking_check_in(*, booking: Booking, by, now: datetime.datetime | None = None) -> Booking:
    """Staff record that the person came: from 30 minutes before the start until the end."""
    now = now or timezone.now()
    booking = _lock(booking)
    if booking.status != Booking.Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed booking can be checked in."), code="status")
    if booking.checked_in_at is not None:
        raise ValidationError(_("This booking is already checked in."), code="checked_in")
    if not booking.start - CHECK_IN_EARLY <= now < booking.end:
        raise ValidationError(
            _("Check-in is open from 30 minutes before the start until the end of the booking."), code="time"
        )
    booking.checked_in_at = now
    booking.checked_in_by = by
    booking.save(update_fields=["checked_in_at", "checked_in_by"])
    return booking


@transaction.atomic
def booking_check_out(*, booking: Booking, by, now: datetime.datetime | None = None) -> Booking:
    """The person leaves: the booking is completed; hours used run from check-in to check-out."""
    now = now or timezone.now()
    booking = _lock(booking)
    if booking.checked_in_at is None or booking.checked_out_at is not None:
        raise ValidationError(_("Only a checked-in booking can be checked out."), code="status")
    booking.checked_out_at = max(now, booking.checked_in_at)
    fields = ["checked_out_at"]
    booking.save(update_fields=fields)
    if booking.status == Booking.Status.CONFIRMED and now >= booking.start:
        booking_transition(booking, Booking.Status.COMPLETED, by)
    return booking


def mark_no_shows(now: datetime.datetime | None = None) -> int:
    """Every confirmed booking not checked in ``FABLAB_NO_SHOW_GRACE_MINUTES`` after its start
    becomes a no-show and its time block is deleted (the rest of the slot is free again);
    ``FABLAB_NO_SHOW_LIMIT`` no-shows within ``FABLAB_NO_SHOW_WINDOW_DAYS`` suspend the person's
    self-booking for ``FABLAB_SUSPENSION_DAYS``. For the scheduler (every few minutes); returns how
    many bookings it marked. Each booking in its own transaction."""
    now = now or timezone.now()
    due = now - datetime.timedelta(minutes=settings.FABLAB_NO_SHOW_GRACE_MINUTES)
    marked = 0
    for pk in Booking.objects.filter(
        status=Booking.Status.CONFIRMED, checked_in_at__isnull=True, start__lte=due
    ).values_list("pk", flat=True):
        with transaction.atomic():
            booking = Booking.objects.select_for_update().select_related("user").get(pk=pk)
            if booking.status != Booking.Status.CONFIRMED or booking.checked_in_at is not None:
                continue  # checked in or changed meanwhile
            booking_transition(booking, Booking.Status.NO_SHOW, reason=_("Not checked in after the start."))
            TimeBlock.objects.filter(booking=booking).delete()
            _suspend_after_no_shows(booking.user, now)
            marked += 1
    return marked


def _suspend_after_no_shows(user, now: datetime.datetime) -> BookingSuspension | None:
    since = now - datetime.timedelta(days=settings.FABLAB_NO_SHOW_WINDOW_DAYS)
    missed = Booking.objects.filter(user=user, status=Booking.Status.NO_SHOW, start__gte=since).count()
    if missed < settings.FABLAB_NO_SHOW_LIMIT or BookingSuspension.objects.active(now).filter(user=user).exists():
        return None
    suspension = BookingSuspension.objects.create(
        user=user,
        starts_at=now,
        ends_at=now + datetime.timedelta(days=settings.FABLAB_SUSPENSION_DAYS),
        reason=_in_language_of(user, NO_SHOW_REASON) % {"count": missed, "days": settings.FABLAB_NO_SHOW_WINDOW_DAYS},
    )
    messages.booking_suspended(suspension, missed=missed)
    return suspension


NO_SHOW_REASON = gettext_noop("%(count)s missed bookings in %(days)s days.")


@transaction.atomic
def suspension_lift(*, suspension: BookingSuspension, by) -> BookingSuspension:
    suspension = BookingSuspension.objects.select_for_update().get(pk=suspension.pk)
    if suspension.lifted_at is not None:
        raise ValidationError(_("This suspension is already lifted."), code="lifted")
    suspension.lifted_at = timezone.now()
    suspension.lifted_by = by
    suspension.save(update_fields=["lifted_at", "lifted_by"])
    return suspension


# --- Clearances ----------------------------------------------------------------------------


@transaction.atomic
def clearance_grant(*, user, category: EquipmentCategory, expires_on: datetime.date, by) -> Clearance:
    """Record a completed safety training; an active clearance of the category is extended."""
    if expires_on < timezone.localdate():
        raise ValidationError(_("The expiry date cannot be in the past."), code="expired")
    clearance = (
        Clearance.objects.select_for_update().filter(user=user, category=category, revoked_at__isnull=True).first()
    )
    if clearance:
        clearance.expires_on = expires_on
        clearance.granted_by = by
        clearance.granted_at = timezone.now()
        clearance.save(update_fields=["expires_on", "granted_by", "granted_at"])
        return clearance
    return Clearance.objects.create(user=user, category=category, expires_on=expires_on, granted_by=by)


@transaction.atomic
def clearance_revoke(*, clearance: Clearance, by) -> Clearance:
    clearance = Clearance.objects.select_for_update().get(pk=clearance.pk)
    if clearance.revoked_at is not None:
        raise ValidationError(_("This clearance is already revoked."), code="revoked")
    clearance.revoked_at = timezone.now()
    clearance.save(update_fields=["revoked_at"])
    return clearance


# --- Maintenance ---------------------------------------------------------------------------


def _span(start: datetime.datetime, end: datetime.datetime) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        return f"{start:%d.%m.%Y %H:%M}–{end:%H:%M}"
    return f"{start:%d.%m.%Y %H:%M}–{end:%d.%m.%Y %H:%M}"


def _claim_for_maintenance(
    *,
    window: MaintenanceWindow,
    start: datetime.datetime,
    end: datetime.datetime,
    by,
    cancel_conflicting: bool,
) -> list[Booking]:
    """Check that ``window`` may take [start, end) of its machine; cancel active bookings in it if
    asked. Raises ``ValidationError`` naming each clash. Returns the bookings it cancelled."""
    if end <= start:
        raise ValidationError(_("The end must be after the start."), code="reversed")
    equipment = window.equipment
    conflicting = list(
        Booking.objects.active()
        .overlapping(start, end)
        .filter(equipment=equipment)
        .select_related("user", "equipment")
        .order_by("start")
        .select_for_update(of=("self",))
    )
    if conflicting and not cancel_conflicting:
        raise ValidationError(
            _(
                "%(count)s active booking(s) overlap this window (%(times)s); cancel them first, tick "
                "“Cancel overlapping bookings”, or choose another time."
            )
            % {"count": len(conflicting), "times": "; ".join(_span(b.start, b.end) for b in conflicting)},
            code="conflict",
        )
    # What the time-block constraint would refuse: other maintenance of the machine, and completed
    # bookings (their time was used). Active bookings were dealt with just above.
    blockers = (
        TimeBlock.objects.filter(equipment=equipment, start__lt=end, end__gt=start)
        .exclude(booking__status__in=Booking.ACTIVE_STATUSES)
        .select_related("booking")
        .order_by("start")
    )
    if window.pk:
        blockers = blockers.exclude(maintenance=window)
    clashes = [
        (_("maintenance") if block.kind == TimeBlock.Kind.MAINTENANCE else _("a completed booking"))
        + " "
        + _span(block.start, block.end)
        for block in blockers
    ]
    if clashes:
        raise ValidationError(
            _("This window overlaps time already taken on this machine: %(clashes)s. Choose another time.")
            % {"clashes": "; ".join(clashes)},
            code="overlap",
        )
    for booking in conflicting:
        # Told by _tell_cancelled_for_maintenance once the window holds its time (next free slot).
        booking_cancel(booking=booking, by=by, note=_in_language_of(booking.user, MAINTENANCE_NOTE), notify=False)
    return conflicting


def _tell_cancelled_for_maintenance(cancelled: list[Booking]) -> None:
    """Each person whose booking a maintenance window cancelled is told, with the next free time of
    the same length on that machine (from the booking's own start on) and a link to book it."""
    for booking in cancelled:
        offer = selectors.next_free_slot(booking.equipment, booking.end - booking.start, booking.start)
        messages.booking_cancelled(booking, next_slot=offer)


def _race_lost_error() -> ValidationError:
    return ValidationError(
        _("This window overlaps other maintenance or a completed booking of this machine."), code="overlap"
    )


@transaction.atomic
def maintenance_schedule(
    *,
    equipment: Equipment,
    start: datetime.datetime,
    end: datetime.datetime,
    reason: str,
    by=None,
    cancel_conflicting: bool = False,
) -> MaintenanceWindow:
    """Block a machine's time for maintenance.

    Active bookings in the window are refused with a message unless ``cancel_conflicting``:
    then they are cancelled and their people told by e-mail.
    """
    window = MaintenanceWindow(equipment=equipment, start=start, end=end, reason=reason, created_by=by)
    cancelled = _claim_for_maintenance(
        window=window, start=start, end=end, by=by, cancel_conflicting=cancel_conflicting
    )
    try:
        with transaction.atomic():
            window.save()
            TimeBlock.objects.create(
                equipment=equipment, start=start, end=end, kind=TimeBlock.Kind.MAINTENANCE, maintenance=window
            )
    except IntegrityError as exc:
        raise _race_lost_error() from exc
    _tell_cancelled_for_maintenance(cancelled)
    window.cancelled_bookings = cancelled
    return window


@transaction.atomic
def maintenance_reschedule(
    *,
    window: MaintenanceWindow,
    start: datetime.datetime,
    end: datetime.datetime,
    reason: str | None = None,
    by=None,
    cancel_conflicting: bool = False,
) -> MaintenanceWindow:
    """Move (or lengthen, shorten) a maintenance window: the window and its time block change
    together, under the same rules and the same constraint as a new window."""
    window = MaintenanceWindow.objects.select_for_update().select_related("equipment").get(pk=window.pk)
    cancelled = _claim_for_maintenance(
        window=window, start=start, end=end, by=by, cancel_conflicting=cancel_conflicting
    )
    window.start, window.end = start, end
    if reason is not None:
        window.reason = reason
    try:
        with transaction.atomic():
            window.save(update_fields=["start", "end", "reason"])
            updated = TimeBlock.objects.filter(maintenance=window).update(start=start, end=end)
            if not updated:  # a window that lost its block (written outside the services) gets it back
                TimeBlock.objects.create(
                    equipment=window.equipment,
                    start=start,
                    end=end,
                    kind=TimeBlock.Kind.MAINTENANCE,
                    maintenance=window,
                )
    except IntegrityError as exc:
        raise _race_lost_error() from exc
    _tell_cancelled_for_maintenance(cancelled)
    return window


# --- Safety trainings ------------------------------------------------------------------------

SignupStatus = TrainingSignup.Status


def _lock_session(session: TrainingSession) -> TrainingSession:
    """Lock the session row until the end of the transaction: seat counting is serialised."""
    return TrainingSession.objects.select_for_update().select_related("category").get(pk=session.pk)


def _seats_taken(session: TrainingSession) -> int:
    return session.signups.filter(status__in=TrainingSignup.SEAT_STATUSES).count()


def training_waitlist_position(signup: TrainingSignup) -> int | None:
    if signup.status != SignupStatus.WAITLISTED:
        return None
    ahead = (
        TrainingSignup.objects.waitlist()
        .filter(session_id=signup.session_id)
        .filter(Q(created_at__lt=signup.created_at) | Q(created_at=signup.created_at, pk__lt=signup.pk))
    )
    return ahead.count() + 1


def _duplicate_signup() -> ValidationError:
    return ValidationError(_("You are already signed up for this training."), code="duplicate")


def training_sign_up(*, session: TrainingSession, user) -> TrainingSignup:
    """Sign ``user`` up for a training session: a seat if one is left, otherwise the waitlist.
    The session row is locked while seats are counted, so people signing up at once never take
    more seats than the capacity; the partial unique constraint refuses a second sign-up."""
    require_confirmed_email(user)
    with transaction.atomic():
        session = _lock_session(session)
        if session.status != TrainingSession.Status.SCHEDULED or session.start <= timezone.now():
            raise ValidationError(_("Sign-up for this training is closed."), code="closed")
        if session.signups.filter(user=user, status__in=TrainingSignup.ACTIVE_STATUSES).exists():
            raise _duplicate_signup()
        status = SignupStatus.SIGNED_UP if _seats_taken(session) < session.capacity else SignupStatus.WAITLISTED
        try:
            with transaction.atomic():
                signup = TrainingSignup.objects.create(session=session, user=user, status=status)
        except IntegrityError as exc:  # the partial unique constraint: a double click
            raise _duplicate_signup() from exc
        if status == SignupStatus.WAITLISTED:
            messages.training_waitlisted(signup, training_waitlist_position(signup))
        else:
            messages.training_signed_up(signup)
    return signup


def _fill_from_waitlist(session: TrainingSession) -> list[TrainingSignup]:
    """Move the first waitlisted people up into the free seats (session row already locked)."""
    free = session.capacity - _seats_taken(session)
    moved = []
    if free <= 0:
        return moved
    for signup in session.signups.waitlist().select_related("user")[:free]:
        signup.status = SignupStatus.SIGNED_UP
        signup.save(update_fields=["status"])
        messages.training_moved_up(signup)
        moved.append(signup)
    return moved


def training_cancel_signup(*, signup: TrainingSignup, by) -> TrainingSignup:
    """The person leaves a session (a seat or the waitlist) before it starts; a freed seat goes to
    the first person on the waitlist, who is told."""
    with transaction.atomic():
        session = _lock_session(signup.session)
        signup = TrainingSignup.objects.select_for_update().get(pk=signup.pk)
        if signup.status not in (SignupStatus.SIGNED_UP, SignupStatus.WAITLISTED):
            raise ValidationError(_("This sign-up can no longer be cancelled."), code="status")
        if session.start <= timezone.now():
            raise ValidationError(_("A sign-up can only be cancelled before the training starts."), code="started")
        signup.status = SignupStatus.CANCELLED
        signup.save(update_fields=["status"])
        _fill_from_waitlist(session)
    return signup


def training_set_capacity(*, session: TrainingSession, capacity: int) -> list[TrainingSignup]:
    """Change a session's capacity; more seats go to the waitlist (returns who moved up)."""
    with transaction.atomic():
        session = _lock_session(session)
        if capacity < 1:
            raise ValidationError(_("A training needs at least one seat."), code="capacity")
        session.capacity = capacity
        session.save(update_fields=["capacity"])
        return _fill_from_waitlist(session)


def can_mark_training(user, session: TrainingSession) -> bool:
    return user.is_authenticated and (session.trainer_id == user.pk or user.has_perm("fablab.mark_training"))


def training_mark(*, signup: TrainingSignup, result: str, by) -> TrainingSignup:
    """The trainer records the result of a person who had a seat: passed, attended but not passed,
    or absent. Passing grants (or extends) the clearance for the session's category, valid for the
    category's ``clearance_valid_days`` from the training's day, and tells the person."""
    if result not in TrainingSignup.MARKED_STATUSES:
        raise ValidationError(_("Choose passed, not passed or absent."), code="result")
    with transaction.atomic():
        session = _lock_session(signup.session)
        signup = TrainingSignup.objects.select_for_update().select_related("user").get(pk=signup.pk)
        if not can_mark_training(by, session):
            raise ValidationError(_("Only the trainer of this session can mark it."), code="not_trainer")
        if session.status != TrainingSession.Status.SCHEDULED:
            raise ValidationError(_("This training was cancelled."), code="cancelled")
        if session.start > timezone.now():
            raise ValidationError(_("Results can be marked once the training has started."), code="future")
        if signup.status == SignupStatus.PASSED:
            raise ValidationError(
                _("This person has passed and holds the clearance; revoke it in the admin if needed."), code="passed"
            )
        if signup.status not in (SignupStatus.SIGNED_UP, SignupStatus.FAILED, SignupStatus.ABSENT):
            raise ValidationError(_("Only people with a seat on this training can be marked."), code="status")
        signup.status = result
        signup.marked_at = timezone.now()
        signup.marked_by = by
        fields = ["status", "marked_at", "marked_by"]
        if result == SignupStatus.PASSED:
            category = session.category
            expires_on = timezone.localtime(session.start).date() + datetime.timedelta(
                days=category.clearance_valid_days
            )
            current = Clearance.objects.valid().filter(user=signup.user, category=category).first()
            if current is not None and current.expires_on > expires_on:
                expires_on = current.expires_on  # passing again never shortens a clearance
            signup.clearance = clearance_grant(user=signup.user, category=category, expires_on=expires_on, by=by)
            fields.append("clearance")
        signup.save(update_fields=fields)
        if result == SignupStatus.PASSED:
            messages.training_passed(signup)
    return signup


def training_session_cancel(*, session: TrainingSession, by) -> int:
    """Staff call a session off: everyone signed up or waitlisted is told. Returns how many."""
    with transaction.atomic():
        session = _lock_session(session)
        if session.status == TrainingSession.Status.CANCELLED:
            raise ValidationError(_("This training is already cancelled."), code="cancelled")
        if session.signups.filter(status__in=TrainingSignup.MARKED_STATUSES).exists():
            raise ValidationError(_("Results are already marked; this training cannot be cancelled."), code="marked")
        session.status = TrainingSession.Status.CANCELLED
        session.save(update_fields=["status"])
        told = 0
        for signup in session.signups.filter(
            status__in=[SignupStatus.SIGNED_UP, SignupStatus.WAITLISTED]
        ).select_related("user"):
            signup.status = SignupStatus.CANCELLED
            signup.save(update_fields=["status"])
            messages.training_cancelled(signup)
            told += 1
    return told


# --- Fault reports -------------------------------------------------------------------------


def can_report_fault(user, equipment: Equipment) -> bool:
    """Anyone with a valid clearance for the machine's category (and the FabLab staff)."""
    if not user.is_authenticated:
        return False
    if user.has_perm("fablab.change_faultreport"):
        return True
    return Clearance.objects.valid().filter(user=user, category_id=equipment.category_id).exists()


@transaction.atomic
def fault_report_create(*, equipment: Equipment, user, text: str, photo=None) -> FaultReport:
    """A person with a clearance reports a fault; the photo (checked like every upload) is stored
    privately, for the staff."""
    if not can_report_fault(user, equipment):
        raise ValidationError(
            _("Only people with a valid safety clearance for “%(category)s” can report a fault on this machine.")
            % {"category": equipment.category.name},
            code="clearance",
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Say what is wrong with the machine."), code="text")
    if photo:
        validate_image_upload(photo)
    return FaultReport.objects.create(equipment=equipment, reported_by=user, text=text, photo=photo or "")


def _lock_report(report: FaultReport) -> FaultReport:
    report = FaultReport.objects.select_for_update().get(pk=report.pk)
    if report.status != FaultReport.Status.OPEN:
        raise ValidationError(_("This fault report has already been handled."), code="handled")
    return report


@transaction.atomic
def fault_to_maintenance(
    *, report: FaultReport, start: datetime.datetime, end: datetime.datetime, by, reason: str = ""
) -> MaintenanceWindow:
    """Turn an open fault report into a maintenance window in one step. Bookings in the window
    are cancelled and their people told, each offered the next free time (``maintenance_schedule``)."""
    report = _lock_report(report)
    equipment = Equipment.objects.get(pk=report.equipment_id)
    reason = (reason or "").strip() or _("Fault report: %(text)s") % {"text": report.text}
    window = maintenance_schedule(
        equipment=equipment, start=start, end=end, reason=reason[:255], by=by, cancel_conflicting=True
    )
    report.status = FaultReport.Status.MAINTENANCE
    report.maintenance = window
    report.handled_by = by
    report.handled_at = timezone.now()
    report.save(update_fields=["status", "maintenance", "handled_by", "handled_at"])
    return window


@transaction.atomic
def fault_dismiss(*, report: FaultReport, by) -> FaultReport:
    report = _lock_report(report)
    report.status = FaultReport.Status.DISMISSED
    report.handled_by = by
    report.handled_at = timezone.now()
    report.save(update_fields=["status", "handled_by", "handled_at"])
    return report
