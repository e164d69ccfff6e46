"""Reads that span relations. ``dashboard_context`` fills this app's part of "My technopark"."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from .models import Booking, Clearance, EngineeringSolution, Equipment, FundingProject, TimeBlock
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


def week_calendar(equipment: Equipment, monday: datetime.date) -> dict:
    """One week of one machine, hour by hour within opening hours.

    Each hour is free (bookable: open, in the future beyond the lead time, machine available),
    requested (a booking waits for a FabLab manager), booked (confirmed or completed),
    maintenance, or closed (past, too soon, or the machine is not available).
    One query (the time blocks of the week with their booking's status). Says nothing about who.
    """
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    open_h, close_h = settings.FABLAB_OPEN_HOUR, settings.FABLAB_CLOSE_HOUR
    week_begin, week_end = _aware(monday, 0), _aware(monday + datetime.timedelta(days=7), 0)
    blocks = list(
        TimeBlock.objects.filter(equipment=equipment, start__lt=week_end, end__gt=week_begin).values_list(
            "start", "end", "kind", "booking__status"
        )
    )
    bookable_from = timezone.now() + datetime.timedelta(hours=settings.FABLAB_MIN_LEAD_HOURS)
    rows = []
    for hour in range(open_h, close_h):
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
            if state == FREE and (equipment.status != Equipment.Status.AVAILABLE or start < bookable_from):
                state = CLOSED
            row.slots.append(Slot(day=day, hour=hour, state=state, start=start))
        rows.append(row)
    return {
        "days": days,
        "rows": rows,
        "week": monday,
        "previous_week": monday - datetime.timedelta(days=7),
        "next_week": monday + datetime.timedelta(days=7),
        "this_week": week_start(timezone.localdate()),
    }


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


# --- What the public sees -------------------------------------------------------------------


def public_equipment():
    """The machines the public sees (catalogue, machine pages, site search, sitemap): every one
    but the retired."""
    return Equipment.objects.exclude(status=Equipment.Status.RETIRED)


def public_funding_projects():
    return FundingProject.objects.all()


def public_solutions():
    return EngineeringSolution.objects.all()
