"""Periodic work of the programmes (registered in ``ProgramsConfig.ready``): waitlist offers that
lapse, and the course survey when an intake ends."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import messages, services
from .models import CourseFeedback, Enrolment, Intake

# The survey is sent to intakes that ended within this many days (a day the scheduler did not
# run is caught up; older intakes are not asked any more).
SURVEY_WINDOW_DAYS = 14


def lapse_offers() -> int:
    """Offers past their deadline lapse; each seat goes to the next person on the waitlist."""
    return services.offers_lapse()


def course_surveys(today: datetime.date | None = None) -> int:
    """Ask every student of an intake that has ended for their opinion (once each: dedupe key),
    skipping those who already answered. Returns how many surveys were queued."""
    today = today or timezone.localdate()
    ended = Q(intake__end_date__lte=today) | Q(intake__status=Intake.Status.FINISHED)
    enrolments = (
        Enrolment.objects.filter(
            ended,
            status__in=Enrolment.STUDENT_STATUSES,
            user__is_active=True,
            intake__end_date__gte=today - datetime.timedelta(days=SURVEY_WINDOW_DAYS),
        )
        .exclude(pk__in=CourseFeedback.objects.values("enrolment_id"))
        .select_related("user", "intake__course")
        .order_by("intake__end_date", "pk")
    )
    sent = 0
    for enrolment in enrolments:
        with transaction.atomic():
            sent += messages.feedback_request(enrolment)
    return sent
