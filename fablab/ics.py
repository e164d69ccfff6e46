"""Bookings as iCalendar (.ics): the subscribable feed of a person's confirmed bookings and the
file attached to the confirmation message. Texts are in the active language."""

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Booking


def booking_event(booking: Booking) -> Event:
    event = Event()
    event.add("uid", f"fablab-booking-{booking.pk}@technopark.andijan.uz")
    event.add("summary", _("FabLab: %(machine)s") % {"machine": booking.equipment.name})
    event.add("dtstart", booking.start)
    event.add("dtend", booking.end)
    event.add("dtstamp", booking.decided_at or booking.created_at)
    event.add("location", _("Andijan Youth Technopark FabLab"))
    event.add("description", booking.purpose)
    return event


def bookings_calendar(bookings) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Andijan Youth Technopark//FabLab//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("FabLab bookings"))
    for booking in bookings:
        calendar.add_component(booking_event(booking))
    return calendar.to_ical()
