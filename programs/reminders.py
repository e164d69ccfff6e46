"""Periodic reminders of the programmes, run by the scheduler (registered in ``ProgramsConfig.ready``)."""

import datetime

from django.db import transaction
from django.utils import timezone

from . import messages
from .models import Enrolment, Intake

INTAKE_REMINDER_DAYS = 2


def intake_starting(today: datetime.date | None = None) -> int:
    """Tell every student still enrolled in an intake that starts within two days (once each).

    The window is "after today, at most two days ahead" rather than "exactly in two days", so a day
    the scheduler did not run is caught up the next day; the dedupe key keeps it to one message.
    People who withdrew, were rejected or are still waiting are not enrolled and get nothing.
    Returns how many reminders were queued.
    """
    today = today or timezone.localdate()
    enrolments = (
        Enrolment.objects.filter(
            status=Enrolment.Status.ENROLLED,
            user__is_active=True,
            intake__status__in=(Intake.Status.ENROLLING, Intake.Status.PLANNED, Intake.Status.RUNNING),
            intake__start_date__gt=today,
            intake__start_date__lte=today + datetime.timedelta(days=INTAKE_REMINDER_DAYS),
        )
        .select_related("user", "intake__course")
        .order_by("intake__start_date", "pk")
    )
    sent = 0
    for enrolment in enrolments:
        with transaction.atomic():
            sent += messages.intake_starting(enrolment)
    return sent
