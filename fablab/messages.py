"""What the FabLab tells people: booking requested / confirmed (with the .ics) / rejected /
cancelled by staff, and the reminders of tomorrow's booking and of an expiring safety clearance.

Called by ``fablab.services`` inside the transaction of the change (a rolled-back change sends
nothing) and by ``fablab.reminders``. Each message is rendered in the recipient's language from
``fablab/templates/fablab/messages/<name>.txt``.
"""

from django.utils import translation

from notifications.services import language_of, notify

from . import ics
from .models import Booking, Clearance

TOPIC = "fablab"
MY_BOOKINGS = ("fablab:my_bookings", {})


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


def booking_cancelled(booking: Booking) -> None:
    """Cancelled by the staff (or by a maintenance window); the note says why."""
    _tell_booking(booking, "booking_cancelled", link=booking.equipment)


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
