"""What the FabLab does when a person asks for deletion (technopark.privacy runs it)."""

from django.utils import timezone

from .models import Booking
from .services import booking_cancel


def erase(user) -> None:
    """Cancel the person's future bookings (the machine is free again); past bookings stay for the
    hours-used figures, without the person's name."""
    future = Booking.objects.filter(
        user=user, start__gt=timezone.now(), status__in=[Booking.Status.REQUESTED, Booking.Status.CONFIRMED]
    )
    for booking in future:
        booking_cancel(booking=booking, by=user, note="account deleted")
