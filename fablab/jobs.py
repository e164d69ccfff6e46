"""Periodic work of the FabLab, run by the scheduler (registered in ``FablabConfig.ready``): the
reminders of tomorrow's bookings and of expiring safety clearances, and completing past bookings
(which ``manage.py fablab_complete_bookings`` also does by hand)."""

import datetime

from django.db import transaction
from django.utils import timezone

from . import messages, services
from .models import Booking, Clearance

CLEARANCE_REMINDER_DAYS = 14


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def booking_tomorrow(now: datetime.datetime | None = None) -> int:
    """Remind the person of every booking that starts tomorrow and is still confirmed (once each).

    Run every hour of the day, so a booking confirmed in the afternoon for tomorrow is reminded
    too; a requested, rejected or cancelled booking gets nothing. Returns how many were queued.
    """
    now = now or timezone.now()
    start, end = _day_bounds(timezone.localtime(now).date() + datetime.timedelta(days=1))
    bookings = (
        Booking.objects.filter(status=Booking.Status.CONFIRMED, start__gte=start, start__lt=end, user__is_active=True)
        .select_related("user", "equipment")
        .order_by("start", "pk")
    )
    sent = 0
    for booking in bookings:
        with transaction.atomic():
            sent += messages.booking_tomorrow(booking)
    return sent


def clearance_expiring(today: datetime.date | None = None) -> int:
    """Remind the holder of every active safety clearance that expires within 14 days (once per
    clearance and expiry date). A renewed clearance has a later date and is not reminded; a
    revoked one is not either. Returns how many were queued."""
    today = today or timezone.localdate()
    clearances = (
        Clearance.objects.filter(
            revoked_at__isnull=True,
            user__is_active=True,
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=CLEARANCE_REMINDER_DAYS),
        )
        .select_related("user", "category")
        .order_by("expires_on", "pk")
    )
    sent = 0
    for clearance in clearances:
        with transaction.atomic():
            sent += messages.clearance_expiring(clearance)
    return sent


def complete_past_bookings() -> int:
    """Mark confirmed bookings whose time is over as completed (the same service as the command)."""
    return services.booking_complete_past()


def mark_no_shows() -> int:
    """Every 5 minutes: confirmed bookings not checked in after the grace time become no-shows."""
    return services.mark_no_shows()
