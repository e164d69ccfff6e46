import re

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import AttendanceForm, CourseFilterForm, SessionForm
from .models import Attendance, Certificate, Direction, Enrolment, Intake, Session

COURSES_PER_PAGE = 12
MASTERCLASSES_PER_PAGE = 10
UPCOMING_LIMIT = 6
SCHOOLS_PER_PAGE = 20


def _query_string(request) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


def index(request):
    directions = list(selectors.directions_with_counts())
    form = CourseFilterForm(request.GET or None, directions=directions)
    filters = {}
    if form.is_bound:
        # An invalid field (age=abc) is shown as an error and ignored; the valid filters still apply.
        form.is_valid()
        filters = form.cleaned_data
    courses = selectors.course_list(
        direction=filters.get("direction") or "",
        language=filters.get("language") or "",
        age=filters.get("age"),
        open_now=bool(filters.get("open")),
    )
    page = Paginator(courses, COURSES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/index.html",
        {"directions": directions, "form": form, "page_obj": page, "query_string": _query_string(request)},
    )


def direction_detail(request, slug):
    direction = get_object_or_404(Direction, slug=slug)
    courses = selectors.course_list(direction=slug)
    page = Paginator(courses, COURSES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "programs/direction_detail.html", {"direction": direction, "page_obj": page})


def course_detail(request, slug):
    course = get_object_or_404(selectors.public_courses().select_related("direction"), slug=slug)
    intakes = list(selectors.course_intakes(course))
    mine = selectors.user_enrolments_by_intake(request.user, intakes)
    for intake in intakes:
        intake.my_enrolment = mine.get(intake.pk)
    return render(request, "programs/course_detail.html", {"course": course, "intakes": intakes})


@require_POST
@login_required
def enrol(request, pk):
    intake = get_object_or_404(Intake.objects.select_related("course"), pk=pk)
    try:
        enrolment = services.enrolment_create(user=request.user, intake=intake)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if enrolment.status == Enrolment.Status.WAITLISTED:
            position = services.waitlist_position(enrolment)
            messages.warning(
                request,
                _("The intake is full: you are number %(position)s on the waitlist.") % {"position": position},
            )
        elif enrolment.status == Enrolment.Status.APPLIED:
            messages.success(request, _("Your application is received; a coordinator will confirm it."))
        else:
            messages.success(request, _("You are enrolled. See you in class!"))
    return redirect(intake.course.get_absolute_url())


@require_POST
@login_required
def withdraw(request, pk):
    enrolment = get_object_or_404(Enrolment.objects.filter(user=request.user).select_related("intake__course"), pk=pk)
    try:
        services.enrolment_withdraw(enrolment=enrolment, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("You have withdrawn from %(course)s.") % {"course": enrolment.intake.course})
    next_url = request.POST.get("next")
    if next_url == "course":
        return redirect(enrolment.intake.course.get_absolute_url())
    return redirect("dashboard")


def future(request):
    upcoming = selectors.masterclasses().upcoming().order_by("date", "id")[:UPCOMING_LIMIT]
    past = selectors.masterclasses().past()
    page = Paginator(past, MASTERCLASSES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/future.html",
        {"upcoming": list(upcoming), "page_obj": page, "totals": selectors.future_totals()},
    )


def future_schools(request):
    page = Paginator(selectors.partner_schools(), SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "programs/future_schools.html", {"page_obj": page})


# --- Staff: attendance --------------------------------------------------------------


def _check_can_mark(user, intake: Intake) -> None:
    if not (user.has_perm("programs.mark_attendance") or (intake.instructor_id and intake.instructor_id == user.pk)):
        raise PermissionDenied


@login_required
def intake_attendance(request, pk):
    intake = get_object_or_404(Intake.objects.select_related("course"), pk=pk)
    _check_can_mark(request.user, intake)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                intake=intake, date=form.cleaned_data["date"], topic=form.cleaned_data["topic"]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("date", message)
        else:
            return redirect("programs:session_attendance", pk=session.pk)
    sessions = intake.sessions.order_by("date", "id").annotate(
        present=Count("attendance", filter=Q(attendance__present=True)), marked=Count("attendance")
    )
    page = Paginator(sessions, 30).get_page(request.GET.get("page"))
    students = intake.enrolments.filter(status__in=(Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED)).count()
    return render(
        request,
        "programs/staff/intake_attendance.html",
        {"intake": intake, "page_obj": page, "form": form, "students": students},
    )


@login_required
def session_attendance(request, pk):
    session = get_object_or_404(Session.objects.select_related("intake__course"), pk=pk)
    intake = session.intake
    _check_can_mark(request.user, intake)
    enrolments = list(
        intake.enrolments.filter(status__in=(Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED))
        .select_related("user")
        .order_by("user__full_name", "id")
    )
    present_now = [
        str(pk)
        for pk in Attendance.objects.filter(session=session, present=True).values_list("enrolment_id", flat=True)
    ]
    form = AttendanceForm(request.POST or None, enrolments=enrolments, initial={"present": present_now})
    if request.method == "POST" and form.is_valid():
        try:
            count = services.attendance_mark(session=session, present_ids=form.cleaned_data["present"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Attendance saved: %(present)s of %(total)s present.") % {"present": count, "total": len(enrolments)},
            )
            return redirect("programs:intake_attendance", pk=intake.pk)
    return render(
        request,
        "programs/staff/session_attendance.html",
        {"session": session, "intake": intake, "form": form, "enrolments": enrolments},
    )


# --- Certificates ------------------------------------------------------------------


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    # Drop the XML declaration so the SVG can sit inside the HTML page.
    return svg[svg.index("<svg") :]


def _certificate_queryset():
    return Certificate.objects.select_related("enrolment__user", "enrolment__intake__course__direction")


@login_required
def certificate_print(request, code):
    certificate = get_object_or_404(
        _certificate_queryset().filter(enrolment__user=request.user), code=_normalised_code(code) or ""
    )
    verify_url = request.build_absolute_uri(certificate.get_absolute_url())
    return render(
        request,
        "programs/certificate_print.html",
        {"certificate": certificate, "verify_url": verify_url, "qr_svg": mark_safe(_qr_svg(verify_url))},  # noqa: S308 — generated by qrcode, no user input
    )


def mask_name(full_name: str) -> str:
    """'Aziza Abdullayeva' → 'Aziza A********a': the first name, the rest partly hidden."""
    parts = full_name.split()
    if not parts:
        return ""
    masked = [parts[0]]
    for part in parts[1:]:
        masked.append(part[0] + "*" * max(len(part) - 2, 1) + (part[-1] if len(part) > 2 else ""))
    return " ".join(masked)


# Codes are "AYT-" and ten letters or digits (see models.new_certificate_code); anything else
# (a NUL byte, a 5,000-character path) is answered "not found" without asking the database.
CODE_PATTERN = re.compile(r"[A-Z0-9-]{1,20}")


def _normalised_code(code: str) -> str | None:
    code = code.strip().upper()
    return code if CODE_PATTERN.fullmatch(code) else None


def certificate_verify(request, code):
    normalised = _normalised_code(code)
    certificate = _certificate_queryset().filter(code=normalised).first() if normalised else None
    context = {"code": code[:40], "certificate": certificate}
    if certificate:
        context["holder"] = mask_name(certificate.enrolment.user.full_name)
    return render(request, "programs/certificate_verify.html", context, status=200 if certificate else 404)


def certificate_qr(request, code):
    """The QR code alone as an SVG image (for printing or embedding by <img>)."""
    certificate = get_object_or_404(Certificate, code=_normalised_code(code) or "")
    url = request.build_absolute_uri(reverse("certificates:verify", kwargs={"code": certificate.code}))
    return HttpResponse(_qr_svg(url), content_type="image/svg+xml")
