"""What the FabLab tells people: booking requested / confirmed (with the .ics) / rejected /
cancelled by staff, and the reminders of tomorrow's booking and of an expiring safety clearance.

Called by ``fablab.services`` inside the transaction of the change (a rolled-back change sends
nothing) and by ``fablab.reminders``. Each message is rendered in the recipient's language from
``fablab/templates/fablab/messages/<name>.txt``.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone, translation

from notifications.services import language_of, notify

from . import ics
from .models import Booking, BookingSuspension, Clearance, TrainingSignup

TOPIC = "fablab"
MY_BOOKINGS = ("fablab:my_bookings", {})


class _LinkWithQuery:
    """A link with a query string, resolved in the recipient's language by ``notify``."""

    def __init__(self, viewname: str, kwargs: dict, query: dict):
        self.viewname, self.kwargs, self.query = viewname, kwargs, query

    def get_absolute_url(self) -> str:
        return f"{reverse(self.viewname, kwargs=self.kwargs)}?{urlencode(self.query)}"


def _tell_booking(booking: Booking, kind: str, attachments=(), dedupe_key: str = "", link=MY_BOOKINGS):
    return notify(
        booking.user,
        topic=TOPIC,
        kind=f"fablab.{kind}",
        template=f"fablab/messages/{kind}",
        context={"person": booking.user, "booking": booking, "machine": booking.equipment},
        link=link,
        attachments=attachments,
        dedupe_key=dedupe_key,
    )


def booking_requested(booking: Booking) -> None:
    _tell_booking(booking, "booking_requested")


def booking_confirmed(booking: Booking) -> None:
    with translation.override(language_of(booking.user)):
        calendar = ics.bookings_calendar([booking])
    attachment = {"filename": f"fablab-booking-{booking.pk}.ics", "content": calendar, "mimetype": "text/calendar"}
    _tell_booking(booking, "booking_confirmed", attachments=[attachment])


def booking_rejected(booking: Booking) -> None:
    _tell_booking(booking, "booking_rejected", link=booking.equipment)


def booking_cancelled(booking: Booking, next_slot=None) -> None:
    """Cancelled by the staff (or by a maintenance window, then with ``next_slot``, the next free
    (start, end) of the same length, and a link to the booking form filled with it); the note says why."""
    if next_slot is None:
        _tell_booking(booking, "booking_cancelled", link=booking.equipment)
        return
    start, end = next_slot
    local = timezone.localtime(start)
    hours_long = round((end - start).total_seconds() / 3600)
    query = {"day": local.date().isoformat(), "hour": local.hour, "hours": hours_long}
    notify(
        booking.user,
        topic=TOPIC,
        kind="fablab.booking_cancelled",
        template="fablab/messages/booking_cancelled",
        context={
            "person": booking.user,
            "booking": booking,
            "machine": booking.equipment,
            "next_start": start,
            "next_end": end,
        },
        link=_LinkWithQuery("fablab:booking_create", {"slug": booking.equipment.slug}, query),
    )


def booking_suspended(suspension: BookingSuspension, *, missed: int) -> None:
    """Self-booking is suspended after repeated no-shows: until when, and how to get it lifted."""
    notify(
        suspension.user,
        topic=TOPIC,
        kind="fablab.booking_suspended",
        template="fablab/messages/booking_suspended",
        context={"person": suspension.user, "suspension": suspension, "missed": missed},
        link=MY_BOOKINGS,
        dedupe_key=f"fablab:booking-suspended:{suspension.pk}",
    )


def _tell_training(signup: TrainingSignup, kind: str, extra=None, link=None):
    session = signup.session
    notify(
        signup.user,
        topic=TOPIC,
        kind=f"fablab.{kind}",
        template=f"fablab/messages/{kind}",
        context={
            "person": signup.user,
            "signup": signup,
            "session": session,
            "category": session.category,
            **(extra or {}),
        },
        link=link or _LinkWithQuery("fablab:index", {}, {"category": session.category.slug}),
    )


def training_signed_up(signup: TrainingSignup) -> None:
    _tell_training(signup, "training_signed_up")


def training_waitlisted(signup: TrainingSignup, position: int | None) -> None:
    _tell_training(signup, "training_waitlisted", {"position": position})


def training_moved_up(signup: TrainingSignup) -> None:
    _tell_training(signup, "training_moved_up")


def training_passed(signup: TrainingSignup) -> None:
    """Passed: the clearance for the category is granted, until its expiry date."""
    _tell_training(signup, "training_passed", {"clearance": signup.clearance})


def training_cancelled(signup: TrainingSignup) -> None:
    _tell_training(signup, "training_cancelled")


def booking_tomorrow(booking: Booking) -> bool:
    """The reminder the day before; once per booking. True if it was queued."""
    return _tell_booking(booking, "booking_tomorrow", dedupe_key=f"fablab:booking-tomorrow:{booking.pk}") is not None


def clearance_expiring(clearance: Clearance) -> bool:
    """The reminder 14 days before a safety clearance expires; once per clearance and expiry date
    (a renewed clearance that later nears its new date is reminded again). True if it was queued."""
    return (
        notify(
            clearance.user,
            topic=TOPIC,
            kind="fablab.clearance_expiring",
            template="fablab/messages/clearance_expiring",
            context={"person": clearance.user, "clearance": clearance, "category": clearance.category},
            link=("fablab:index", {}),
            dedupe_key=f"fablab:clearance-expiring:{clearance.pk}:{clearance.expires_on.isoformat()}",
        )
        is not None
    )
