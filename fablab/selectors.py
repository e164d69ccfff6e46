"""Reads that span relations. ``dashboard_context`` fills this app's part of "My technopark"."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, DurationField, ExpressionWrapper, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, Greatest, Least
from django.utils import timezone

from . import hours
from .models import (
    Booking,
    Clearance,
    EngineeringSolution,
    Equipment,
    FaultReport,
    FundingProject,
    TimeBlock,
    TrainingSession,
    TrainingSignup,
)
from .tokens import ics_feed_path

FREE, REQUESTED, BOOKED, MAINTENANCE, CLOSED = "free", "requested", "booked", "maintenance", "closed"


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@dataclass
class Slot:
    day: datetime.date
    hour: int
    state: str
    start: datetime.datetime


@dataclass
class CalendarRow:
    hour: int
    slots: list = field(default_factory=list)


def week_calendar(equipment: Equipment, monday: datetime.date, focus: datetime.date | None = None) -> dict:
    """One week of one machine, hour by hour within the week's opening hours.

    Each hour is free (bookable: within that day's opening hours, in the future beyond the lead
    time, machine available), requested (a booking waits for a FabLab manager), booked
    (confirmed or completed), maintenance, or closed (outside the day's hours, a closed day or
    holiday, past, too soon, or the machine is not available). Says nothing about who.
    Three queries: the week's time blocks with their booking's status, the weekly hours, the
    week's opening exceptions.

    ``focus`` (a day of the week; today or Monday by default) is the day the phone-sized day
    view shows.
    """
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    day_hours = hours.hours_for(days)
    open_days = [h for h in day_hours.values() if h.is_open]
    first_hour = min((h.opens.hour for h in open_days), default=0)
    last_hour = max((h.closes.hour + (1 if h.closes.minute else 0) for h in open_days), default=0)
    week_begin, week_end = _aware(monday, 0), _aware(monday + datetime.timedelta(days=7), 0)
    blocks = list(
        TimeBlock.objects.filter(equipment=equipment, start__lt=week_end, end__gt=week_begin).values_list(
            "start", "end", "kind", "booking__status"
        )
    )
    bookable_from = timezone.now() + datetime.timedelta(hours=settings.FABLAB_MIN_LEAD_HOURS)
    rows = []
    for hour in range(first_hour, last_hour):
        row = CalendarRow(hour=hour)
        for day in days:
            start = _aware(day, hour)
            end = start + datetime.timedelta(hours=1)
            state = FREE
            for b_start, b_end, kind, status in blocks:
                if b_start < end and b_end > start:
                    if kind == TimeBlock.Kind.MAINTENANCE:
                        state = MAINTENANCE
                        break
                    if state != BOOKED:  # a confirmed booking in the hour outranks a request
                        state = REQUESTED if status == Booking.Status.REQUESTED else BOOKED
            if state == FREE and (
                equipment.status != Equipment.Status.AVAILABLE
                or start < bookable_from
                or not day_hours[day].contains(start, end)
            ):
                state = CLOSED
            row.slots.append(Slot(day=day, hour=hour, state=state, start=start))
        rows.append(row)
    today = timezone.localdate()
    if focus not in days:
        focus = today if today in days else monday
    index = days.index(focus)
    return {
        "days": days,
        "columns": [day_hours[day] for day in days],
        "rows": rows,
        "week": monday,
        "previous_week": monday - datetime.timedelta(days=7),
        "next_week": monday + datetime.timedelta(days=7),
        "this_week": week_start(today),
        "today": today,
        "focus": focus,
        "focus_hours": day_hours[focus],
        "focus_slots": [row.slots[index] for row in rows if day_hours[focus].is_open],
        "previous_day": focus - datetime.timedelta(days=1),
        "next_day": focus + datetime.timedelta(days=1),
    }


def used_duration():
    """How long a booking was used, as a database expression: checked-in time (check-in to check-out,
    or to the end if nobody checked out), within the booking's own time; a completed booking without
    a check-in (completed before check-in existed, or by hand) counts in full; anything else 0."""
    zero = Value(datetime.timedelta(0), output_field=DurationField())
    checked = Least(Coalesce("checked_out_at", "end"), F("end")) - Greatest(F("checked_in_at"), F("start"))
    return Case(
        When(checked_in_at__isnull=False, then=Greatest(ExpressionWrapper(checked, DurationField()), zero)),
        When(status=Booking.Status.COMPLETED, then=ExpressionWrapper(F("end") - F("start"), DurationField())),
        default=zero,
        output_field=DurationField(),
    )


def bookings_outside_hours(*, now: datetime.datetime | None = None):
    """Requested and confirmed bookings still to come that the opening hours no longer cover
    (the hours or holidays changed after they were made). One query; the database's own
    ``fablab_within_hours`` decides, the same function its trigger uses."""
    now = now or timezone.now()
    return (
        Booking.objects.active()
        .filter(end__gt=now)
        .alias(within=hours.WithinHours())
        .filter(within=False)
        .select_related("equipment", "user")
        .order_by("start")
    )


def day_view(day: datetime.date):
    """Every machine with its bookings and maintenance on one day (staff). Three queries."""
    begin, end = _aware(day, 0), _aware(day + datetime.timedelta(days=1), 0)
    machines = list(Equipment.objects.exclude(status=Equipment.Status.RETIRED).for_catalogue())
    bookings = defaultdict(list)
    for booking in (
        Booking.objects.filter(start__lt=end, end__gt=begin)
        .exclude(status__in=[Booking.Status.CANCELLED, Booking.Status.REJECTED])
        .select_related("user", "startup")
        .order_by("start")
    ):
        bookings[booking.equipment_id].append(booking)
    maintenance = defaultdict(list)
    for block in TimeBlock.objects.filter(kind=TimeBlock.Kind.MAINTENANCE, start__lt=end, end__gt=begin).select_related(
        "maintenance"
    ):
        maintenance[block.equipment_id].append(block.maintenance)
    return [
        {"equipment": machine, "bookings": bookings[machine.pk], "maintenance": maintenance[machine.pk]}
        for machine in machines
    ]


def usage_by_month(year: int):
    """Hours booked (confirmed or completed) and completed, per machine and month of ``year``.

    One query for the figures, one for the machines.
    """
    tz = timezone.get_current_timezone()
    begin = datetime.datetime(year, 1, 1, tzinfo=tz)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    length = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
    rows = (
        Booking.objects.filter(start__gte=begin, start__lt=end)
        .annotate(month=ExtractMonth("start", tzinfo=tz))
        .values("equipment_id", "month")
        .annotate(
            booked=Sum(length, filter=Q(status__in=[Booking.Status.CONFIRMED, Booking.Status.COMPLETED])),
            completed=Sum(length, filter=Q(status=Booking.Status.COMPLETED)),
        )
        .order_by()
    )
    figures = {}
    for row in rows:
        figures[(row["equipment_id"], row["month"])] = (
            (row["booked"] or datetime.timedelta()).total_seconds() / 3600,
            (row["completed"] or datetime.timedelta()).total_seconds() / 3600,
        )
    machines = list(Equipment.objects.for_catalogue())
    table = []
    totals = [[0.0, 0.0] for _ in range(12)]
    for machine in machines:
        months = []
        for month in range(1, 13):
            booked, completed = figures.get((machine.pk, month), (0.0, 0.0))
            months.append({"booked": booked, "completed": completed})
            totals[month - 1][0] += booked
            totals[month - 1][1] += completed
        table.append(
            {
                "equipment": machine,
                "months": months,
                "booked": sum(m["booked"] for m in months),
                "completed": sum(m["completed"] for m in months),
            }
        )
    return {
        "rows": table,
        "totals": [{"booked": b, "completed": c} for b, c in totals],
        "booked": sum(t[0] for t in totals),
        "completed": sum(t[1] for t in totals),
    }


def dashboard_context(user) -> dict:
    """The person's FabLab bookings (latest 10) and clearances: two queries."""
    bookings = list(
        Booking.objects.filter(user=user).select_related("equipment", "equipment__category").order_by("-start")[:10]
    )
    clearances = list(Clearance.objects.filter(user=user, revoked_at__isnull=True).select_related("category"))
    return {
        "fablab_bookings": bookings,
        "fablab_clearances": clearances,
        "fablab_ics_path": ics_feed_path(user),
    }


# --- Free time, trainings, faults ----------------------------------------------------------

NEXT_SLOT_SEARCH_DAYS = 30


def next_free_slot(
    equipment: Equipment, duration: datetime.timedelta, after: datetime.datetime, *, days: int = NEXT_SLOT_SEARCH_DAYS
) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The first [start, end) of ``duration`` (whole hours, at most ``FABLAB_MAX_BOOKING_HOURS``) on
    ``equipment`` starting on the hour at or after ``after`` and at least ``FABLAB_MIN_LEAD_HOURS``
    from now, within one day's opening hours and clear of every time block (bookings and
    maintenance) — the same rules the booking form checks. ``None`` if the next ``days`` days have
    none. Three queries whatever the number of days (hours, exceptions, blocks)."""
    hours_long = max(1, min(settings.FABLAB_MAX_BOOKING_HOURS, round(duration.total_seconds() / 3600)))
    length = datetime.timedelta(hours=hours_long)
    earliest = max(after, timezone.now() + datetime.timedelta(hours=settings.FABLAB_MIN_LEAD_HOURS))
    first_day = timezone.localtime(earliest).date()
    day_list = [first_day + datetime.timedelta(days=n) for n in range(days)]
    day_hours = hours.hours_for(day_list)
    horizon = _aware(day_list[-1], 0) + datetime.timedelta(days=1)
    blocks = list(
        TimeBlock.objects.filter(equipment=equipment, end__gt=earliest, start__lt=horizon)
        .order_by("start")
        .values_list("start", "end")
    )
    for day in day_list:
        today = day_hours[day]
        if not today.is_open:
            continue
        for hour in range(today.opens.hour, 24):
            start = _aware(day, hour)
            end = start + length
            if start < earliest:
                continue
            if not today.contains(start, end):
                if timezone.localtime(end).date() != day or timezone.localtime(end).time() > today.closes:
                    break
                continue
            if not any(b_start < end and b_end > start for b_start, b_end in blocks):
                return start, end
    return None


def upcoming_trainings(category_id: int, *, limit: int = 5) -> list[TrainingSession]:
    """The category's next scheduled training sessions with seats taken and waitlist: one query."""
    return list(
        TrainingSession.objects.upcoming()
        .filter(category_id=category_id)
        .with_seats()
        .select_related("trainer")
        .order_by("start", "pk")[:limit]
    )


def training_panel(equipment: Equipment, user) -> dict:
    """What the machine page shows about the safety training: the next sessions of the machine's
    category and, for a signed-in person, their valid clearance and their place on those sessions.
    One query for anyone, three for a signed-in person, whatever the number of sessions."""
    sessions = upcoming_trainings(equipment.category_id)
    clearance, mine = None, {}
    if user.is_authenticated:
        clearance = (
            Clearance.objects.valid()
            .filter(user=user, category_id=equipment.category_id)
            .order_by("-expires_on")
            .first()
        )
        if sessions:
            mine = {
                s.session_id: s
                for s in TrainingSignup.objects.filter(
                    user=user, session__in=[x.pk for x in sessions], status__in=TrainingSignup.ACTIVE_STATUSES
                )
            }
    for session in sessions:
        session.seats_left = max(0, session.capacity - session.taken)
        session.my_signup = mine.get(session.pk)
    return {"training_sessions": sessions, "my_clearance": clearance}


def open_fault_reports():
    return FaultReport.objects.filter(status=FaultReport.Status.OPEN).select_related(
        "equipment", "equipment__category", "reported_by"
    )


def fault_reports_visible_to(user):
    """Fault photos are for the staff (``fablab.view_faultreport``) and the person who reported."""
    if not user.is_authenticated:
        return FaultReport.objects.none()
    if user.has_perm("fablab.view_faultreport"):
        return FaultReport.objects.all()
    return FaultReport.objects.filter(reported_by=user)


# --- What the public sees -------------------------------------------------------------------


def public_equipment():
    """The machines the public sees (catalogue, machine pages, site search, sitemap): every one
    but the retired."""
    return Equipment.objects.exclude(status=Equipment.Status.RETIRED)


def public_funding_projects():
    return FundingProject.objects.all()


def public_solutions():
    return EngineeringSolution.objects.all()
