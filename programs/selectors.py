"""Reads that span relations. ``dashboard_context`` fills this app's part of "My technopark"."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import Course, Direction, Enrolment, Intake, Masterclass, PartnerSchool, Session


def public_courses():
    """The courses the public sees (list, course pages, site search, sitemap): the active ones."""
    return Course.objects.active()


def public_directions():
    """Every direction has a public page."""
    return Direction.objects.all()


def course_list(*, direction: str = "", language: str = "", age: int | None = None, open_now: bool = False):
    """The public programme list, filtered; each course carries ``open_intakes`` and its direction."""
    courses = (
        public_courses()
        .select_related("direction")
        .annotate(open_intakes=Count("intakes", filter=Q(intakes__status=Intake.Status.ENROLLING)))
        .order_by("direction__order", "direction__id", "title")
    )
    if direction:
        courses = courses.filter(direction__slug=direction)
    if language:
        courses = courses.filter(language=language)
    if age is not None:
        courses = courses.for_age(age)
    if open_now:
        courses = courses.filter(open_intakes__gt=0)
    return courses


def directions_with_counts():
    return Direction.objects.annotate(course_count=Count("courses", filter=Q(courses__is_active=True)))


def course_intakes(course: Course):
    """Intakes shown on a course page (not finished), with seats left and waitlist length."""
    return (
        course.intakes.exclude(status=Intake.Status.FINISHED)
        .with_seats()
        .select_related("course")
        .order_by("start_date", "id")
    )


def _waitlisted_ahead_count():
    """Subquery: how many waitlisted people are ahead of the outer enrolment."""
    return (
        Enrolment.objects.waitlisted_ahead(
            intake_id=OuterRef("intake_id"), created_at=OuterRef("created_at"), pk=OuterRef("id")
        )
        .order_by()
        .values("intake_id")
        .annotate(n=Count("id"))
        .values("n")
    )


def user_enrolments_by_intake(user, intakes) -> dict[int, Enrolment]:
    if not user.is_authenticated:
        return {}
    waiting_ahead = _waitlisted_ahead_count()
    rows = (
        Enrolment.objects.active()
        .filter(user=user, intake__in=intakes)
        .annotate(ahead=Coalesce(Subquery(waiting_ahead, output_field=IntegerField()), Value(0)))
    )
    return {row.intake_id: row for row in rows}


def masterclasses():
    return Masterclass.objects.select_related("direction", "host_school").with_students()


def partner_schools():
    return (
        PartnerSchool.objects.select_related("district")
        .annotate(
            students=Coalesce(Sum("masterclass_attendances__headcount"), 0),
            masterclass_count=Count("masterclass_attendances"),
        )
        .order_by("kind", "district__order", "name")
    )


def future_totals() -> dict:
    past = Masterclass.objects.past()
    totals = {
        "masterclass_count": past.count(),
        "students": PartnerSchool.objects.aggregate(n=Coalesce(Sum("masterclass_attendances__headcount"), 0))["n"],
    }
    by_kind = PartnerSchool.objects.aggregate(
        vocational=Count("id", filter=Q(kind=PartnerSchool.Kind.VOCATIONAL)),
        general=Count("id", filter=Q(kind=PartnerSchool.Kind.GENERAL)),
    )
    totals.update(by_kind)
    return totals


def dashboard_context(user) -> dict:
    """The user's own enrolments with schedule, attendance so far, waitlist position and certificate."""
    present = (
        Session.objects.filter(attendance__enrolment=OuterRef("pk"), attendance__present=True)
        .order_by()
        .values("attendance__enrolment")
        .annotate(n=Count("id"))
        .values("n")
    )
    held = Session.objects.filter(intake=OuterRef("intake_id")).order_by().values("intake").annotate(n=Count("id"))
    ahead = _waitlisted_ahead_count()
    enrolments = (
        Enrolment.objects.filter(user=user)
        .select_related("intake__course__direction", "certificate")
        .annotate(
            sessions_present=Coalesce(Subquery(present, output_field=IntegerField()), Value(0)),
            sessions_held=Coalesce(Subquery(held.values("n"), output_field=IntegerField()), Value(0)),
            waitlist_ahead=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)),
        )
        .order_by("-intake__start_date", "-id")[:50]
    )
    return {"programs_enrolments": list(enrolments)}
