"""The path, measured: masterclass students → registered → enrolled → completed a course →
used FabLab → applied to InnoX → InnoX participant → startup.

Counted from the records as of a date (end of that day): the students the partner schools
report at masterclasses held by then; then the people who registered with their school's
masterclass code (``programs.MasterclassStudent``) and, of them, those whose records show each
later step by then (the enrolment history, FabLab bookings confirmed or completed and already
begun, submitted InnoX applications, season participants, startup founders). Each step counts
people of the registered cohort who reached it, whatever they did before.

``path_figures`` runs 2 queries and ``path_by_school`` 3, whatever the amount of data.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fablab.models import Booking
from incubator.models import Application, Participant, Startup
from programs.models import Enrolment, EnrolmentStatusChange, MasterclassAttendance, MasterclassStudent, PartnerSchool

STAGES = [
    ("students", _("Masterclass students")),
    ("registered", _("Registered with the school's code")),
    ("enrolled", _("Enrolled in a course")),
    ("completed", _("Completed a course")),
    ("fablab", _("Used the FabLab")),
    ("applied", _("Applied to InnoX")),
    ("participant", _("InnoX participant")),
    ("startup", _("Founded a startup")),
]
PEOPLE_STAGES = [key for key, _label in STAGES if key not in ("students", "registered")]


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def _conditions(user_ref, day: datetime.date) -> dict:
    """For each step after registering: an Exists over the records of the user ``user_ref``."""
    end = _end_of(day)
    return {
        "enrolled": Exists(
            EnrolmentStatusChange.objects.filter(
                enrolment__user=user_ref, to_status=Enrolment.Status.ENROLLED, at__lt=end
            )
        ),
        "completed": Exists(
            EnrolmentStatusChange.objects.filter(
                enrolment__user=user_ref, to_status=Enrolment.Status.COMPLETED, at__lt=end
            )
        ),
        "fablab": Exists(
            Booking.objects.filter(
                user=user_ref,
                status__in=(Booking.Status.CONFIRMED, Booking.Status.COMPLETED),
                start__lt=min(end, timezone.now()),
            )
        ),
        "applied": Exists(
            Application.objects.filter(applicant=user_ref, submitted_at__isnull=False, submitted_at__lt=end)
        ),
        "participant": Exists(Participant.objects.filter(user=user_ref, season__programme_start__lte=day)),
        "startup": Exists(Startup.objects.filter(founders__user=user_ref, created_at__lt=end)),
    }


def _registered(day: datetime.date):
    return MasterclassStudent.objects.filter(registered_at__lt=_end_of(day), attendance__masterclass__date__lte=day)


def path_figures(as_of: datetime.date | None = None) -> dict:
    """``{"as_of": date, "stages": [{"key", "label", "count", "share"}]}``; 2 queries."""
    day = as_of or timezone.localdate()
    students = MasterclassAttendance.objects.filter(masterclass__date__lte=day).aggregate(
        n=Coalesce(Sum("headcount"), 0)
    )["n"]
    cohort = get_user_model().objects.filter(Exists(_registered(day).filter(user=OuterRef("pk"))))
    conditions = _conditions(OuterRef("pk"), day)
    counts = cohort.aggregate(
        registered=Count("pk"), **{key: Count("pk", filter=Q(conditions[key])) for key in PEOPLE_STAGES}
    )
    counts["students"] = students
    return {"as_of": day, "stages": _stages(counts)}


def _stages(counts: dict) -> list[dict]:
    base = counts["students"] or 0
    return [
        {
            "key": key,
            "label": label,
            "count": counts[key],
            "share": round(100 * counts[key] / base, 1) if base else None,
        }
        for key, label in STAGES
    ]


def path_by_school(as_of: datetime.date | None = None) -> dict:
    """The path per partner school and per district (staff dashboard); 3 queries."""
    day = as_of or timezone.localdate()
    headcounts = dict(
        MasterclassAttendance.objects.filter(masterclass__date__lte=day)
        .values_list("school")
        .annotate(n=Sum("headcount"))
        .values_list("school", "n")
    )
    conditions = _conditions(OuterRef("user"), day)
    rows = {
        row["attendance__school"]: row
        for row in _registered(day)
        .values("attendance__school")
        .annotate(
            registered=Count("user", distinct=True),
            **{key: Count("user", distinct=True, filter=Q(conditions[key])) for key in PEOPLE_STAGES},
        )
        .order_by()
    }
    schools = PartnerSchool.objects.filter(pk__in=set(headcounts) | set(rows)).select_related("district")
    by_school, by_district = [], {}
    for school in schools.order_by("district__order", "district__id", "name"):
        counts = {"students": headcounts.get(school.pk, 0)}
        row = rows.get(school.pk, {})
        counts.update({key: row.get(key, 0) for key in ["registered", *PEOPLE_STAGES]})
        by_school.append({"school": school, "district": school.district, "counts": counts})
        total = by_district.setdefault(
            school.district_id, {"district": school.district, "counts": dict.fromkeys(counts, 0)}
        )
        for key, value in counts.items():
            total["counts"][key] += value
    return {
        "as_of": day,
        "stages": STAGES,
        "schools": by_school,
        "districts": list(by_district.values()),
    }
