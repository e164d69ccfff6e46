import datetime
import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from technopark import page_cache

from . import hours, ics, selectors, services
from .forms import BookingForm, FaultMaintenanceForm, FaultReportForm, StaffBookingForm
from .models import (
    Booking,
    EngineeringSolution,
    Equipment,
    EquipmentCategory,
    FaultReport,
    FundingProject,
    TrainingSession,
    TrainingSignup,
)
from .tokens import ics_feed_path, ics_token_valid

EQUIPMENT_PER_PAGE = 24
SOLUTIONS_PER_PAGE = 12
PROJECTS_PER_PAGE = 10
BOOKINGS_PER_PAGE = 20
TRAINING_PANEL_SECONDS = 120


# Dates from query strings outside this range fall back to the default: the pages step a week
# or a day either way, and date arithmetic at year 1 or 9999 would overflow.
MIN_DATE, MAX_DATE = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)


def _parse_date(value, default=None):
    try:
        day = datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return default
    return day if day is not None and MIN_DATE <= day <= MAX_DATE else default


# --- Public --------------------------------------------------------------------------------


def index(request):
    """The equipment catalogue, grouped by category; ``?category=<slug>`` narrows it."""
    categories = list(EquipmentCategory.objects.all())
    current = next((c for c in categories if c.slug == request.GET.get("category")), None)

    def machines():
        equipment = selectors.public_equipment().for_catalogue()
        if current:
            equipment = equipment.filter(category=current)
        return {"page_obj": Paginator(equipment, EQUIPMENT_PER_PAGE).get_page(request.GET.get("page"))}

    # The cards are the same for everyone: read only when their fragment is stale (push=).
    return render(
        request,
        "fablab/index.html",
        {
            "categories": categories,
            "current_category": current,
            "machines": machines,
            "query_string": urlencode({"category": current.slug}) if current else "",
        },
    )


def equipment_detail(request, slug):
    user = request.user
    today = timezone.localdate()
    # The machine (with its category and funding project) and the training panel (the category's
    # next sessions, the person's clearance and places) are kept while no FabLab row changes, the
    # panel also while none of the person's own (clearances); 120 s bounds "next". Both are read,
    # with their versions, in one round trip.
    machine_key, machine_ns = f"fablab:machine:{slug}", ["fablab"]
    training_key = f"fablab:training:{slug}:{user.pk or 0}:{today.isoformat()}"
    training_ns = machine_ns + ([page_cache.person_namespace(user.pk)] if user.is_authenticated else [])
    kept = page_cache.prefetch([(machine_key, machine_ns), (training_key, training_ns)])
    equipment = page_cache.cached(
        machine_key,
        machine_ns,
        lambda: get_object_or_404(
            selectors.public_equipment().select_related("category", "funding_project"), slug=slug
        ),
        TRAINING_PANEL_SECONDS,
        kept,
    )
    training = page_cache.cached(
        training_key, training_ns, lambda: selectors.training_panel(equipment, user), TRAINING_PANEL_SECONDS, kept
    )
    focus = _parse_date(request.GET.get("day"))
    monday = selectors.week_start(_parse_date(request.GET.get("week"), focus or today))
    # The week is read only when the cached calendar fragment is stale ({% fragment_cache … push= %}).
    calendar = functools.partial(selectors.week_calendar, equipment, monday, focus=focus)
    return render(request, "fablab/equipment_detail.html", {"equipment": equipment, "calendar": calendar, **training})


def funding_list(request):
    projects = FundingProject.objects.annotate(equipment_count=Count("equipment")).order_by("-start", "name")
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "fablab/funding_list.html", {"page_obj": page})


def funding_detail(request, slug):
    project = get_object_or_404(FundingProject, slug=slug)
    equipment = list(project.equipment.for_catalogue())
    return render(request, "fablab/funding_detail.html", {"project": project, "equipment_list": equipment})


def solution_list(request):
    """The gallery of engineering solutions, filterable by ``?year=`` and ``?equipment=<slug>``."""

    def gallery():
        solutions = EngineeringSolution.objects.for_gallery()
        years = [d.year for d in EngineeringSolution.objects.dates("completed_on", "year", order="DESC")]
        machines = list(Equipment.objects.filter(solutions__isnull=False).distinct().order_by("name"))
        filters = {}
        year = request.GET.get("year", "")
        if year.isdigit() and int(year) in years:  # a year without solutions (or garbage) is ignored
            solutions = solutions.filter(completed_on__year=int(year))
            filters["year"] = year
        machine = next((m for m in machines if m.slug == request.GET.get("equipment")), None)
        if machine:
            solutions = solutions.filter(equipment=machine)
            filters["equipment"] = machine.slug
        return {
            "page_obj": Paginator(solutions, SOLUTIONS_PER_PAGE).get_page(request.GET.get("page")),
            "years": years,
            "machines": machines,
            "current_year": filters.get("year", ""),
            "current_equipment": machine,
            "query_string": urlencode(filters),
        }

    # The same for everyone: read only when its fragment is stale (push=).
    return render(request, "fablab/solution_list.html", {"gallery": gallery})


def solution_detail(request, slug):
    solution = get_object_or_404(EngineeringSolution.objects.for_gallery(), slug=slug)
    return render(request, "fablab/solution_detail.html", {"solution": solution})


# --- Young people --------------------------------------------------------------------------


@login_required
def booking_create(request, slug):
    equipment = get_object_or_404(Equipment.objects.select_related("category"), slug=slug)
    if request.method == "POST":
        form = BookingForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                booking = services.booking_request(
                    equipment=equipment,
                    user=request.user,
                    start=form.start,
                    end=form.end,
                    purpose=form.cleaned_data["purpose"],
                    startup=form.cleaned_data.get("startup"),
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                local = timezone.localtime(booking.start)
                messages.success(
                    request,
                    _("Your booking of %(machine)s on %(day)s at %(time)s is requested. We will e-mail you.")
                    % {"machine": equipment.name, "day": local.strftime("%d.%m.%Y"), "time": local.strftime("%H:%M")},
                )
                return redirect("dashboard")
    else:
        initial = {}
        day = _parse_date(request.GET.get("day"))
        if day:
            initial["day"] = day
        hour, length = request.GET.get("hour", ""), request.GET.get("hours", "")
        # ``hours`` (a link in a message offering the next free slot): the length, 1 by default.
        length = int(length) if length.isdigit() and 1 <= int(length) <= settings.FABLAB_MAX_BOOKING_HOURS else 1
        if hour.isdigit() and 0 <= int(hour) < 23:
            initial["start_time"] = datetime.time(int(hour))
            initial["end_time"] = datetime.time(min(int(hour) + length, 23))
        form = BookingForm(initial=initial, user=request.user)
    return render(
        request,
        "fablab/booking_form.html",
        {
            "equipment": equipment,
            "form": form,
            "weekly_hours": hours.weekly_summary(),
            "exceptions": hours.upcoming_exceptions(),
            "max_hours": settings.FABLAB_MAX_BOOKING_HOURS,
            "lead_hours": settings.FABLAB_MIN_LEAD_HOURS,
        },
    )


@login_required
def my_bookings(request):
    bookings = Booking.objects.filter(user=request.user).select_related("equipment").order_by("-start")
    page = Paginator(bookings, BOOKINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "fablab/my_bookings.html", {"page_obj": page, "fablab_ics_path": ics_feed_path(request.user)}
    )


@login_required
@require_POST
def booking_cancel(request, pk):
    booking = get_object_or_404(Booking.objects.filter(user=request.user), pk=pk)
    try:
        services.booking_cancel(booking=booking, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your booking is cancelled."))
    return redirect(
        request.POST.get("next") if request.POST.get("next") == reverse("fablab:my_bookings") else "dashboard"
    )


def _ics_response(user) -> HttpResponse:
    bookings = (
        Booking.objects.filter(user=user, status=Booking.Status.CONFIRMED).select_related("equipment").order_by("start")
    )
    response = HttpResponse(ics.bookings_calendar(bookings), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="fablab-bookings.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_bookings_ics(request):
    return _ics_response(request.user)


def ics_feed(request, user_id, token):
    """The subscribable address: no login, a secret token in the URL (see tokens.py)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not ics_token_valid(user, token):
        raise Http404
    return _ics_response(user)


# --- Staff ---------------------------------------------------------------------------------


@login_required
@permission_required("fablab.view_booking", raise_exception=True)
def staff_day(request):
    day = _parse_date(request.GET.get("date"), timezone.localdate())
    return render(
        request,
        "fablab/staff_day.html",
        {
            "day": day,
            "rows": selectors.day_view(day),
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1),
            "can_confirm": request.user.has_perm("fablab.confirm_booking"),
        },
    )


@login_required
@permission_required("fablab.confirm_booking", raise_exception=True)
@require_POST
def staff_decide(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "confirm":
            services.booking_confirm(booking=booking, by=request.user)
            messages.success(request, _("The booking is confirmed; the person gets an e-mail."))
        elif action == "reject":
            services.booking_reject(booking=booking, by=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("The booking is rejected; the person gets an e-mail."))
        elif action == "cancel":
            services.booking_cancel_by_staff(booking=booking, by=request.user)
            messages.success(request, _("The booking is cancelled; the person gets an e-mail."))
        elif action == "check_in":
            services.booking_check_in(booking=booking, by=request.user)
            messages.success(request, _("Checked in."))
        elif action == "check_out":
            services.booking_check_out(booking=booking, by=request.user)
            messages.success(request, _("Checked out; the booking is completed."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.POST.get("next") == reverse("fablab:staff_outside_hours"):
        return redirect("fablab:staff_outside_hours")
    day = timezone.localtime(booking.start).date()
    return redirect(f"{reverse('fablab:staff_day')}?date={day.isoformat()}")


@login_required
@permission_required("fablab.confirm_booking", raise_exception=True)
def staff_book(request):
    """A FabLab manager books a machine for a person (also while their self-booking is suspended);
    the booking is confirmed at once and the person told."""
    if request.method == "POST":
        form = StaffBookingForm(request.POST)
        if form.is_valid():
            try:
                booking = services.booking_for_person(
                    equipment=form.cleaned_data["equipment"],
                    user=form.person,
                    start=form.start,
                    end=form.end,
                    purpose=form.cleaned_data["purpose"],
                    by=request.user,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                local = timezone.localtime(booking.start)
                messages.success(
                    request,
                    _("%(machine)s is booked for %(name)s on %(day)s at %(time)s and confirmed; they get an e-mail.")
                    % {
                        "machine": booking.equipment.name,
                        "name": booking.user.full_name,
                        "day": local.strftime("%d.%m.%Y"),
                        "time": local.strftime("%H:%M"),
                    },
                )
                return redirect(f"{reverse('fablab:staff_day')}?date={local.date().isoformat()}")
    else:
        initial = {"day": _parse_date(request.GET.get("date"), timezone.localdate())}
        form = StaffBookingForm(initial=initial)
    return render(
        request,
        "fablab/staff_book.html",
        {"form": form, "weekly_hours": hours.weekly_summary(), "exceptions": hours.upcoming_exceptions()},
    )


@login_required
@permission_required("fablab.view_booking", raise_exception=True)
def staff_outside_hours(request):
    """Requested and confirmed bookings to come that the current opening hours no longer cover."""
    bookings = list(selectors.bookings_outside_hours())
    day_hours = hours.hours_for(timezone.localtime(b.start).date() for b in bookings)
    rows = [{"booking": b, "hours": day_hours[timezone.localtime(b.start).date()]} for b in bookings]
    return render(
        request,
        "fablab/staff_outside_hours.html",
        {"rows": rows, "can_confirm": request.user.has_perm("fablab.confirm_booking")},
    )


@login_required
@permission_required("fablab.view_booking", raise_exception=True)
def staff_usage(request):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 < int(year) < 2100 else timezone.localdate().year
    months = [datetime.date(year, m, 1) for m in range(1, 13)]
    return render(
        request,
        "fablab/staff_usage.html",
        {
            "year": year,
            "months": months,
            "previous_year": year - 1,
            "next_year": year + 1,
            **selectors.usage_by_month(year),
        },
    )


# --- Safety trainings ----------------------------------------------------------------------


def _back_to_machine(request):
    """Back to the machine page the form was posted from (only a machine's own address)."""
    slug = request.POST.get("machine", "")
    if slug and Equipment.objects.filter(slug=slug).exists():
        return redirect(f"{reverse('fablab:equipment_detail', kwargs={'slug': slug})}#training")
    return redirect("fablab:index")


@login_required
@require_POST
def training_sign_up(request, pk):
    session = get_object_or_404(TrainingSession.objects.select_related("category"), pk=pk)
    try:
        signup = services.training_sign_up(session=session, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        day = timezone.localtime(session.start)
        values = {"category": session.category.name, "day": day.strftime("%d.%m.%Y"), "time": day.strftime("%H:%M")}
        if signup.status == TrainingSignup.Status.WAITLISTED:
            messages.warning(
                request,
                _(
                    "The training on %(day)s is full: you are number %(position)s on the waitlist. "
                    "We will tell you if a seat frees up."
                )
                % {**values, "position": services.training_waitlist_position(signup)},
            )
        else:
            messages.success(
                request,
                _("You are signed up for the safety training “%(category)s” on %(day)s at %(time)s.") % values,
            )
    return _back_to_machine(request)


@login_required
@require_POST
def training_cancel(request, pk):
    signup = get_object_or_404(TrainingSignup.objects.filter(user=request.user).select_related("session"), pk=pk)
    try:
        services.training_cancel_signup(signup=signup, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your place on the training is cancelled."))
    return _back_to_machine(request)


def _may_see_trainings(user) -> bool:
    return user.is_staff and (
        user.has_perm("fablab.view_trainingsession") or TrainingSession.objects.filter(trainer=user).exists()
    )


@login_required
def staff_trainings(request):
    """Sessions to come and of the last 30 days: all of them for a FabLab manager, a trainer's own otherwise."""
    if not _may_see_trainings(request.user):
        raise PermissionDenied
    since = timezone.now() - datetime.timedelta(days=30)
    sessions = TrainingSession.objects.filter(end__gte=since).with_seats().select_related("category", "trainer")
    if not request.user.has_perm("fablab.view_trainingsession"):
        sessions = sessions.filter(trainer=request.user)
    return render(request, "fablab/staff_trainings.html", {"sessions": list(sessions.order_by("start", "pk")[:100])})


def _session_for_staff(request, pk) -> TrainingSession:
    session = get_object_or_404(TrainingSession.objects.select_related("category", "trainer"), pk=pk)
    if not (services.can_mark_training(request.user, session) or request.user.has_perm("fablab.view_trainingsession")):
        raise Http404  # someone else's session
    return session


@login_required
def staff_training(request, pk):
    """The roster of one session: the trainer marks each person passed, not passed or absent."""
    session = _session_for_staff(request, pk)
    signups = list(
        session.signups.exclude(status=TrainingSignup.Status.CANCELLED)
        .select_related("user", "clearance")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "fablab/staff_training.html",
        {
            "session": session,
            "seated": [s for s in signups if s.status != TrainingSignup.Status.WAITLISTED],
            "waitlist": [s for s in signups if s.status == TrainingSignup.Status.WAITLISTED],
            "can_mark": services.can_mark_training(request.user, session),
            "started": session.start <= timezone.now(),
        },
    )


@login_required
@require_POST
def staff_training_mark(request, pk):
    signup = get_object_or_404(TrainingSignup.objects.select_related("session", "user"), pk=pk)
    session = _session_for_staff(request, signup.session_id)
    if not services.can_mark_training(request.user, session):
        raise PermissionDenied
    result = request.POST.get("result", "")
    try:
        services.training_mark(signup=signup, result=result, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if result == TrainingSignup.Status.PASSED:
            messages.success(
                request,
                _("%(name)s passed: the clearance is granted and they are told.") % {"name": signup.user.full_name},
            )
        else:
            messages.success(request, _("Marked."))
    return redirect("fablab:staff_training", pk=session.pk)


# --- Fault reports -------------------------------------------------------------------------


@login_required
def fault_report(request, slug):
    equipment = get_object_or_404(selectors.public_equipment().select_related("category"), slug=slug)
    if not services.can_report_fault(request.user, equipment):
        return render(request, "fablab/fault_report.html", {"equipment": equipment, "form": None}, status=403)
    form = FaultReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fault_report_create(
                equipment=equipment,
                user=request.user,
                text=form.cleaned_data["text"],
                photo=form.cleaned_data.get("photo"),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Thank you: the FabLab staff have your report."))
            return redirect(equipment)
    return render(request, "fablab/fault_report.html", {"equipment": equipment, "form": form})


def _default_window() -> dict:
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)
    end = start + datetime.timedelta(days=1)
    return {"start_day": start.date(), "start_time": start.time(), "end_day": end.date(), "end_time": end.time()}


@login_required
@permission_required("fablab.view_faultreport", raise_exception=True)
def staff_faults(request):
    reports = list(selectors.open_fault_reports().order_by("created_at", "pk"))
    return render(
        request,
        "fablab/staff_faults.html",
        {
            "rows": [
                {"report": r, "form": FaultMaintenanceForm(initial=_default_window(), prefix=f"r{r.pk}")}
                for r in reports
            ],
            "can_handle": request.user.has_perm("fablab.change_faultreport")
            and request.user.has_perm("fablab.add_maintenancewindow"),
        },
    )


@login_required
@permission_required(["fablab.change_faultreport", "fablab.add_maintenancewindow"], raise_exception=True)
@require_POST
def staff_fault_handle(request, pk):
    report = get_object_or_404(FaultReport.objects.select_related("equipment"), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "dismiss":
            services.fault_dismiss(report=report, by=request.user)
            messages.success(request, _("The report is dismissed."))
        elif action == "maintenance":
            form = FaultMaintenanceForm(request.POST, prefix=f"r{report.pk}")
            if not form.is_valid():
                raise ValidationError([m for errors in form.errors.values() for m in errors])
            window = services.fault_to_maintenance(
                report=report, start=form.start, end=form.end, by=request.user, reason=form.cleaned_data["reason"]
            )
            cancelled = len(window.cancelled_bookings)
            messages.success(
                request,
                _(
                    "%(machine)s is under maintenance from %(start)s to %(end)s; %(count)s booking(s) in that "
                    "time were cancelled and their people told."
                )
                % {
                    "machine": window.equipment.name,
                    "start": timezone.localtime(window.start).strftime("%d.%m.%Y %H:%M"),
                    "end": timezone.localtime(window.end).strftime("%d.%m.%Y %H:%M"),
                    "count": cancelled,
                },
            )
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("fablab:staff_faults")
