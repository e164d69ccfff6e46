import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from technopark import page_cache

from . import ratelimit, selectors, services
from .forms import (
    AttendanceForm,
    CertificateLookupForm,
    CourseFilterForm,
    FeedbackForm,
    MasterclassCodeForm,
    SessionForm,
    SessionMaterialForm,
)
from .models import (
    Attendance,
    Certificate,
    CourseFeedback,
    Direction,
    Enrolment,
    Intake,
    Session,
    SessionMaterial,
)
from .pdf import certificate_pdf as render_certificate_pdf
from .pdf import pdf_filename
from .qr import qr_svg, verify_url

COURSES_PER_PAGE = 12
MASTERCLASSES_PER_PAGE = 10
UPCOMING_LIMIT = 6
SCHOOLS_PER_PAGE = 20
COURSE_PART_SECONDS = 120  # like the catalogue fragment: bounds what moves with the clock


def _query_string(request) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


def index(request):
    def catalogue():
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
        return {"directions": directions, "form": form, "page_obj": page, "query_string": _query_string(request)}

    # The catalogue is the same for everyone: read only when its fragment is stale (push=).
    return render(request, "programs/index.html", {"catalogue": catalogue})


def direction_detail(request, slug):
    direction = get_object_or_404(Direction, slug=slug)
    courses = selectors.course_list(direction=slug)
    page = Paginator(courses, COURSES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "programs/direction_detail.html", {"direction": direction, "page_obj": page})


def course_detail(request, slug):
    # The course, its intakes with their seats and the rating are the same for everyone (also for
    # a signed-in person, whose page is not stored whole): kept while no programmes row changes,
    # like the person's own enrolments (and waitlist places); all read in one round trip.
    user = request.user
    course_key, intakes_key, mine_key = (f"programs:course:{slug}:{part}" for part in ("course", "intakes", user.pk))
    kept = page_cache.prefetch(
        [(course_key, ["programs"]), (intakes_key, ["programs"])]
        + ([(mine_key, ["programs"])] if user.is_authenticated else [])
    )
    course = page_cache.cached(
        course_key,
        ["programs"],
        lambda: get_object_or_404(selectors.public_courses().select_related("direction"), slug=slug),
        COURSE_PART_SECONDS,
        kept,
    )
    intakes, rating = page_cache.cached(
        intakes_key,
        ["programs"],
        lambda: (list(selectors.course_intakes(course)), selectors.course_rating(course)),
        COURSE_PART_SECONDS,
        kept,
    )
    mine = {}
    if user.is_authenticated:
        mine = page_cache.cached(
            mine_key,
            ["programs"],
            lambda: selectors.user_enrolments_by_intake(user, intakes),
            COURSE_PART_SECONDS,
            kept,
        )
    for intake in intakes:
        intake.my_enrolment = mine.get(intake.pk)
    return render(request, "programs/course_detail.html", {"course": course, "intakes": intakes, "rating": rating})


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


def _own_enrolment(request, pk):
    return get_object_or_404(Enrolment.objects.filter(user=request.user).select_related("intake__course"), pk=pk)


@require_POST
@login_required
def offer_accept(request, pk):
    enrolment = _own_enrolment(request, pk)
    try:
        services.offer_accept(enrolment=enrolment, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if enrolment.status == Enrolment.Status.APPLIED:
            messages.success(request, _("Your application is received; a coordinator will confirm it."))
        else:
            messages.success(request, _("You are enrolled. See you in class!"))
    return redirect("dashboard")


@require_POST
@login_required
def offer_decline(request, pk):
    enrolment = _own_enrolment(request, pk)
    try:
        services.offer_decline(enrolment=enrolment, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("You declined the seat; it goes to the next person on the waitlist."))
    return redirect("dashboard")


@login_required
def feedback(request, pk):
    """The course survey of one's own enrolment (after the intake has ended)."""
    enrolment = _own_enrolment(request, pk)
    if CourseFeedback.objects.filter(enrolment=enrolment).exists():
        return render(request, "programs/feedback_form.html", {"enrolment": enrolment, "answered": True})
    if not services.feedback_open(enrolment):
        return render(request, "programs/feedback_form.html", {"enrolment": enrolment, "closed": True})
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(enrolment=enrolment, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Thank you! Your answers help us improve the course."))
            return redirect("dashboard")
    return render(request, "programs/feedback_form.html", {"enrolment": enrolment, "form": form})


def masterclass_register(request):
    """A masterclass student types the code their school received: their account is linked to
    that masterclass (the path figures follow it). Anonymous visitors are asked to sign up first."""
    form = MasterclassCodeForm(request.POST or request.GET or None)
    if not request.user.is_authenticated:
        # The code in the address (a link the school hands out) is kept through logging in.
        here = request.path
        code = services.normalise_masterclass_code(request.GET.get("code", ""))
        next_url = f"{here}?{urlencode({'code': code})}" if code else here
        return render(
            request, "programs/masterclass_register.html", {"form": form, "anonymous": True, "next_url": next_url}
        )
    if request.method == "POST" and form.is_valid():
        try:
            link = services.masterclass_register(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error("code", message)
        else:
            messages.success(
                request,
                _("Your account is linked to the masterclass “%(title)s” (%(school)s).")
                % {"title": link.attendance.masterclass.title, "school": link.attendance.school.name},
            )
            return redirect("dashboard")
    return render(
        request,
        "programs/masterclass_register.html",
        {"form": form, "links": selectors.masterclass_links(request.user)},
    )


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
    def masterclasses():
        upcoming = selectors.masterclasses().upcoming().order_by("date", "id")[:UPCOMING_LIMIT]
        past = selectors.masterclasses().past()
        page = Paginator(past, MASTERCLASSES_PER_PAGE).get_page(request.GET.get("page"))
        return {"upcoming": list(upcoming), "page_obj": page, "totals": selectors.future_totals()}

    # The same for everyone: read only when its fragment is stale (push=), like the catalogue.
    return render(request, "programs/future.html", {"masterclasses": masterclasses})


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
    enrolments, present_now = _session_students(session)
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
    return _session_page(request, session, form, enrolments, SessionMaterialForm())


def _session_students(session):
    """The session's students (enrolled or completed) and the ids of those marked present."""
    enrolments = list(
        session.intake.enrolments.filter(status__in=Enrolment.STUDENT_STATUSES)
        .select_related("user")
        .order_by("user__full_name", "id")
    )
    present_now = [
        str(pk)
        for pk in Attendance.objects.filter(session=session, present=True).values_list("enrolment_id", flat=True)
    ]
    return enrolments, present_now


def _session_page(request, session, form, enrolments, material_form, status=200):
    return render(
        request,
        "programs/staff/session_attendance.html",
        {
            "session": session,
            "intake": session.intake,
            "form": form,
            "enrolments": enrolments,
            "material_form": material_form,
            "materials": list(session.materials.all()),
        },
        status=status,
    )


@require_POST
@login_required
def session_material_add(request, pk):
    """The intake's instructor or a coordinator adds a material (a link or a file, kept in the
    private storage) or a homework link to a session; its students see it on My technopark."""
    session = get_object_or_404(Session.objects.select_related("intake__course"), pk=pk)
    _check_can_mark(request.user, session.intake)
    material_form = SessionMaterialForm(request.POST, request.FILES, instance=SessionMaterial(session=session))
    if material_form.is_valid():
        material = material_form.save()
        messages.success(request, _("Added to the session: %(title)s.") % {"title": material.title})
        return redirect("programs:session_attendance", pk=session.pk)
    enrolments, present_now = _session_students(session)
    form = AttendanceForm(enrolments=enrolments, initial={"present": present_now})
    return _session_page(request, session, form, enrolments, material_form, status=400)


# --- Staff: course feedback -----------------------------------------------------------

FEEDBACK_PERMISSION = "programs.view_feedback_results"


@login_required
def feedback_results(request):
    """Coordinators: averages per intake and per direction (never who answered)."""
    if not request.user.has_perm(FEEDBACK_PERMISSION):
        raise Http404
    intakes = Paginator(selectors.feedback_by_intake(), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/staff/feedback_results.html",
        {"page_obj": intakes, "directions": list(selectors.feedback_by_direction())},
    )


# The intake's own instructor sees its answers once this many students have answered, so that a
# single answer cannot be put down to the one student who is known to have answered.
INSTRUCTOR_MIN_ANSWERS = 3


@login_required
def feedback_intake(request, pk):
    """One intake's figures and comments, for coordinators and the intake's own instructor: the
    comments come without names, in no particular order; the instructor sees them from
    ``INSTRUCTOR_MIN_ANSWERS`` answers on."""
    intake = get_object_or_404(Intake.objects.select_related("course__direction"), pk=pk)
    coordinator = request.user.has_perm(FEEDBACK_PERMISSION)
    if not (coordinator or (intake.instructor_id and intake.instructor_id == request.user.pk)):
        raise Http404
    row = selectors.feedback_by_intake().filter(pk=intake.pk).first()
    minimum = getattr(settings, "PROGRAMS_FEEDBACK_INSTRUCTOR_MIN_ANSWERS", INSTRUCTOR_MIN_ANSWERS)
    if row and not coordinator and row.answers < minimum:
        return render(
            request, "programs/staff/feedback_intake.html", {"intake": intake, "too_few": True, "minimum": minimum}
        )
    return render(
        request,
        "programs/staff/feedback_intake.html",
        {
            "intake": intake,
            "row": row,
            "comments": list(selectors.feedback_comments(intake)[:200]),
            "coordinator": coordinator,
        },
    )


# --- Certificates ------------------------------------------------------------------


def _certificate_queryset():
    return Certificate.objects.select_related("enrolment__user", "enrolment__intake__course__direction")


@login_required
def certificate_print(request, code):
    certificate = get_object_or_404(
        _certificate_queryset().filter(enrolment__user=request.user), code=_normalised_code(code) or ""
    )
    url = verify_url(certificate)
    return render(
        request,
        "programs/certificate_print.html",
        {"certificate": certificate, "verify_url": url, "qr_svg": mark_safe(qr_svg(url))},  # noqa: S308 — generated by qrcode, no user input
    )


@login_required
def certificate_pdf(request, code):
    """The holder's certificate as a PDF, in their language (others' answer 404)."""
    certificate = get_object_or_404(
        _certificate_queryset().filter(enrolment__user=request.user), code=_normalised_code(code) or ""
    )
    response = HttpResponse(render_certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(certificate)}"'
    response["Cache-Control"] = "private, no-store"
    return response


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


# Spaces and every kind of dash a person may type or paste (hyphen, non-breaking hyphen, en and
# em dashes, minus sign), dots and underscores.
SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2212_.]+")
PREFIX = "AYT"
CODE_BODY_LENGTH = 10  # "AYT-" + ten characters (models.new_certificate_code)


def _normalised_code(code: str) -> str | None:
    """'ayt 7k3m-9q2x pa' → 'AYT-7K3M9Q2XPA': case, spaces and dashes do not matter; the
    prefix may be left out. None for anything that cannot be a code."""
    compact = SEPARATORS.sub("", (code or "")[:60]).upper()
    if compact.startswith(PREFIX) and len(compact) != CODE_BODY_LENGTH:
        compact = compact[len(PREFIX) :]
    candidate = f"{PREFIX}-{compact}"
    return candidate if compact.isalnum() and compact.isascii() and CODE_PATTERN.fullmatch(candidate) else None


LOOKUP_LIMIT = 20  # tries per IP address ...
LOOKUP_WINDOW = 10 * 60  # ... per ten minutes


def _lookup_allowed(request) -> bool:
    limit = getattr(settings, "PROGRAMS_CERTIFICATE_LOOKUP_LIMIT", LOOKUP_LIMIT)
    return ratelimit.hit("certificate-lookup", request, limit=limit, window=LOOKUP_WINDOW)


def _too_many(form):
    form.add_error(None, _("Too many tries from your address. Wait ten minutes and try again."))


def certificate_lookup(request):
    """/certificates/: a form where anyone (an employer with a paper certificate) types its code."""
    form = CertificateLookupForm(request.GET or None)
    status = 200
    if form.is_bound and form.is_valid():
        if not _lookup_allowed(request):
            _too_many(form)
            status = 429
        else:
            normalised = _normalised_code(form.cleaned_data["code"])
            if normalised and Certificate.objects.filter(code=normalised).exists():
                return redirect("certificates:verify", code=normalised)
            form.add_error("code", _("No certificate has this code. Check it and try again."))
            status = 404
    return render(request, "programs/certificate_lookup.html", {"form": form}, status=status)


def certificate_verify(request, code):
    normalised = _normalised_code(code)
    certificate = _certificate_queryset().filter(code=normalised).first() if normalised else None
    if certificate is None and not _lookup_allowed(request):
        # Misses count against the same limit as the form, so codes cannot be guessed by address.
        # (The form is bound to the code asked for: an error can only be added to a cleaned form.)
        form = CertificateLookupForm({"code": code[:40]})
        form.is_valid()
        _too_many(form)
        return render(request, "programs/certificate_lookup.html", {"form": form}, status=429)
    context = {"code": code[:40], "certificate": certificate, "form": CertificateLookupForm()}
    if certificate:
        context["holder"] = mask_name(certificate.enrolment.user.full_name)
    return render(request, "programs/certificate_verify.html", context, status=200 if certificate else 404)


def certificate_qr(request, code):
    """The QR code alone as an SVG image (for printing or embedding by <img>). A miss counts
    against the code form's limit, like the verification page: a 404 here tells as much."""
    normalised = _normalised_code(code)
    certificate = Certificate.objects.filter(code=normalised).first() if normalised else None
    if certificate is None:
        if not _lookup_allowed(request):
            return HttpResponse(
                _("Too many tries from your address. Wait ten minutes and try again."),
                status=429,
                content_type="text/plain; charset=utf-8",
            )
        raise Http404
    return HttpResponse(qr_svg(verify_url(certificate)), content_type="image/svg+xml")
