"""What programs does when a person asks for deletion (technopark.privacy runs it)."""

from django.utils import timezone

from .models import Enrolment, Intake
from .services import enrolment_withdraw


def erase(user) -> None:
    """Leave every course that has not finished (the seat goes to the next person); completed
    courses, attendance and certificates stay in the records, without the person's name."""
    open_statuses = [s for s in Enrolment.ACTIVE_STATUSES if s != Enrolment.Status.COMPLETED]
    enrolments = Enrolment.objects.filter(user=user, status__in=open_statuses).exclude(
        intake__status=Intake.Status.FINISHED
    )
    for enrolment in enrolments.select_related("intake"):
        enrolment_withdraw(enrolment=enrolment, actor=user, reason=f"account deleted on {timezone.localdate()}")
