"""What the FabLab does when a person asks for deletion (technopark.privacy runs it)."""

from django.utils import timezone

from .models import Booking, FaultReport, TrainingSignup
from .services import booking_cancel, training_cancel_signup


def erase(user) -> None:
    """Cancel the person's future bookings (the machine is free again); past bookings stay for the
    hours-used figures, without the person's name."""
    future = Booking.objects.filter(
        user=user, start__gt=timezone.now(), status__in=[Booking.Status.REQUESTED, Booking.Status.CONFIRMED]
    )
    for booking in future:
        booking_cancel(booking=booking, by=user, note="account deleted")

    # Seats on trainings to come go to the waitlist; fault photos (personal pictures) are deleted.
    for signup in TrainingSignup.objects.filter(
        user=user,
        session__start__gt=timezone.now(),
        status__in=[TrainingSignup.Status.SIGNED_UP, TrainingSignup.Status.WAITLISTED],
    ):
        training_cancel_signup(signup=signup, by=user)
    for report in FaultReport.objects.filter(reported_by=user).exclude(photo=""):
        report.photo.delete(save=True)
