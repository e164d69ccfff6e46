"""Office hours as iCalendar (.ics), attached to the booking and cancellation messages. Built the
way fablab/ics.py builds bookings (the icalendar package), in the recipient's language."""

from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import OfficeHourBooking


def office_hour_event(booking: OfficeHourBooking) -> Event:
    slot = booking.slot
    event = Event()
    event.add("uid", f"innox-office-hour-{booking.pk}@technopark.andijan.uz")
    event.add(
        "summary",
        _("InnoX office hour: %(mentor)s and %(startup)s")
        % {
            "mentor": slot.mentor,
            "startup": booking.startup.name,
        },
    )
    event.add("dtstart", slot.start)
    event.add("dtend", slot.end)
    event.add("dtstamp", booking.cancelled_at or booking.created_at)
    event.add("location", slot.place or _("Andijan Youth Technopark"))
    event.add("description", booking.topic)
    if booking.status == OfficeHourBooking.Status.CANCELLED:
        event.add("status", "CANCELLED")
        event.add("sequence", 1)
    return event


def office_hour_calendar(booking: OfficeHourBooking, language: str = "uz") -> bytes:
    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", "-//Andijan Youth Technopark//InnoX//EN")
        calendar.add("version", "2.0")
        calendar.add("method", "CANCEL" if booking.status == OfficeHourBooking.Status.CANCELLED else "PUBLISH")
        calendar.add_component(office_hour_event(booking))
        return calendar.to_ical()
