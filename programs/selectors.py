"""Reads that span relations. ``dashboard_context`` fills this app's part of "My technopark"."""

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import (
    Course,
    CourseFeedback,
    Direction,
    Enrolment,
    Intake,
    Masterclass,
    MasterclassStudent,
    PartnerSchool,
    Session,
    SessionMaterial,
)


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
    sessions = Session.objects.order_by("date", "id").prefetch_related(
        Prefetch("materials", queryset=SessionMaterial.objects.order_by("kind", "order", "id"))
    )
    enrolments = (
        Enrolment.objects.filter(user=user)
        .select_related("intake__course__direction", "certificate", "feedback")
        .prefetch_related(Prefetch("intake__sessions", queryset=sessions), "attendance")
        .annotate(
            sessions_present=Coalesce(Subquery(present, output_field=IntegerField()), Value(0)),
            sessions_held=Coalesce(Subquery(held.values("n"), output_field=IntegerField()), Value(0)),
            waitlist_ahead=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)),
        )
        .order_by("-intake__start_date", "-id")[:50]
    )
    enrolments = list(enrolments)
    today = timezone.localdate()
    for e in enrolments:
        e.is_student = e.status in Enrolment.STUDENT_STATUSES
        marks = {a.session_id: a.present for a in e.attendance.all()}
        e.session_rows = [(s, marks.get(s.pk)) for s in e.intake.sessions.all()] if e.is_student else []
        e.attendance_percent = round(100 * e.sessions_present / e.sessions_held) if e.sessions_held else None
        e.attendance_needed = e.intake.course.min_attendance_percent
        ended = e.intake.status == Intake.Status.FINISHED or e.intake.end_date <= today
        e.survey_due = e.is_student and ended and not hasattr(e, "feedback")
    return {"programs_enrolments": enrolments}


def materials_visible_to(user):
    """Session materials whose file ``user`` may open: the intake's students (enrolled or
    completed), its instructor, and staff who mark attendance or manage sessions."""
    if not user.is_authenticated or not user.is_active:
        return SessionMaterial.objects.none()
    if user.has_perm("programs.mark_attendance") or user.has_perm("programs.change_session"):
        return SessionMaterial.objects.all()
    student = Enrolment.objects.filter(
        intake_id=OuterRef("session__intake_id"), user=user, status__in=Enrolment.STUDENT_STATUSES
    )
    return SessionMaterial.objects.filter(Q(Exists(student)) | Q(session__intake__instructor=user))


# --- Course feedback --------------------------------------------------------------------------

RATINGS = CourseFeedback.RATING_FIELDS


def course_rating(course: Course) -> dict | None:
    """The public average (content, instructor and pace together) once enough answers exist."""
    row = CourseFeedback.objects.filter(enrolment__intake__course=course).aggregate(
        answers=Count("id"),
        average=Avg((F("content") + F("instructor") + F("pace")) / 3.0, output_field=FloatField()),
    )
    if row["answers"] < getattr(settings, "PROGRAMS_FEEDBACK_MIN_ANSWERS", 5):
        return None
    return {"answers": row["answers"], "average": round(row["average"], 1)}


def feedback_by_intake():
    """Per intake (that has answers): number of answers and the three averages; one query."""
    return (
        Intake.objects.filter(enrolments__feedback__isnull=False)
        .select_related("course__direction")
        .annotate(
            answers=Count("enrolments__feedback"),
            avg_content=Avg("enrolments__feedback__content"),
            avg_instructor=Avg("enrolments__feedback__instructor"),
            avg_pace=Avg("enrolments__feedback__pace"),
        )
        .order_by("-end_date", "-id")
    )


def feedback_by_direction():
    return (
        Direction.objects.filter(courses__intakes__enrolments__feedback__isnull=False)
        .annotate(
            answers=Count("courses__intakes__enrolments__feedback"),
            avg_content=Avg("courses__intakes__enrolments__feedback__content"),
            avg_instructor=Avg("courses__intakes__enrolments__feedback__instructor"),
            avg_pace=Avg("courses__intakes__enrolments__feedback__pace"),
        )
        .order_by("order", "id")
    )


def feedback_comments(intake: Intake):
    """The comments of one intake, without who wrote them (only the text and the ratings)."""
    return (
        CourseFeedback.objects.filter(enrolment__intake=intake)
        .exclude(comment="")
        .order_by("?")
        .values("content", "instructor", "pace", "comment")
    )


def masterclass_links(user):
    return MasterclassStudent.objects.filter(user=user).select_related("attendance__masterclass", "attendance__school")
