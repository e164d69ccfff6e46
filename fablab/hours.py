"""Opening hours of the FabLab, read from the data: ``WeeklyHours`` and ``OpeningException``.

The same rule is written once more in SQL, ``fablab_within_hours(start, end)`` (migration
``0005_opening_hours_guard``), which a trigger on ``fablab_booking`` calls: an active booking
must lie within one day's hours, in local time. Python here, for messages and the calendar;
SQL there, as the guarantee.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, F, Func
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import OpeningException, Weekday, WeeklyHours


@dataclass(frozen=True)
class DayHours:
    day: datetime.date
    opens: datetime.time | None
    closes: datetime.time | None
    note: str = ""  # the exception's name (a holiday, "Inventory day"); empty on a usual day
    exceptional: bool = False

    @property
    def is_open(self) -> bool:
        return self.opens is not None

    def contains(self, start: datetime.datetime, end: datetime.datetime) -> bool:
        """Whether [start, end) lies within this day's hours (local time, one day)."""
        if not self.is_open:
            return False
        local_start, local_end = timezone.localtime(start), timezone.localtime(end)
        return (
            local_start.date() == self.day
            and local_end.date() == self.day
            and local_start.time() >= self.opens
            and local_end.time() <= self.closes
        )

    @property
    def span(self) -> str:
        return f"{hhmm(self.opens)}–{hhmm(self.closes)}" if self.is_open else ""


def hhmm(moment: datetime.time | None) -> str:
    return f"{moment.hour}:{moment.minute:02d}" if moment else ""


def hours_for(days: Iterable[datetime.date]) -> dict[datetime.date, DayHours]:
    """Each day's hours: its exception if there is one, else its weekday's. Two queries."""
    days = sorted(set(days))
    if not days:
        return {}
    weekly = {row.weekday: row for row in WeeklyHours.objects.all()}
    exceptions = {e.date: e for e in OpeningException.objects.filter(date__gte=days[0], date__lte=days[-1])}
    result = {}
    for day in days:
        exception = exceptions.get(day)
        if exception is not None:
            result[day] = DayHours(day, exception.opens, exception.closes, exception.name, exceptional=True)
        else:
            row = weekly.get(day.weekday())
            result[day] = DayHours(day, row.opens if row else None, row.closes if row else None)
    return result


def hours_on(day: datetime.date) -> DayHours:
    return hours_for([day])[day]


def weekly_summary() -> list[dict]:
    """The usual week, consecutive days with the same hours together:
    ``[{"days": "Monday–Saturday", "span": "9:00–18:00"}, {"days": "Sunday", "span": ""}]``. One query."""
    rows = {row.weekday: row for row in WeeklyHours.objects.all()}
    groups = []
    for weekday in Weekday:
        row = rows.get(weekday.value)
        key = (row.opens, row.closes) if row and row.is_open else (None, None)
        if groups and groups[-1]["key"] == key:
            groups[-1]["last"] = weekday
        else:
            groups.append({"key": key, "first": weekday, "last": weekday})
    return [
        {
            "days": g["first"].label if g["first"] == g["last"] else f"{g['first'].label}–{g['last'].label}",
            "span": f"{hhmm(g['key'][0])}–{hhmm(g['key'][1])}" if g["key"][0] else "",
        }
        for g in groups
    ]


def upcoming_exceptions(*, days: int = 60, today: datetime.date | None = None) -> list[OpeningException]:
    today = today or timezone.localdate()
    return list(OpeningException.objects.filter(date__gte=today, date__lte=today + datetime.timedelta(days=days)))


def hours_error(start: datetime.datetime, end: datetime.datetime, hours: DayHours | None = None) -> str | None:
    """The translated reason why [start, end) is outside the opening hours, or None."""
    local_start = timezone.localtime(start)
    hours = hours or hours_on(local_start.date())
    if hours.contains(start, end):
        return None
    day = formats.date_format(local_start.date(), "DATE_FORMAT")
    if not hours.is_open:
        reason = hours.note or str(Weekday(local_start.weekday()).label)
        return _("The FabLab is closed on %(day)s (%(reason)s). Choose another day.") % {"day": day, "reason": reason}
    return _("On %(day)s the FabLab is open from %(open)s to %(close)s; book within these hours on one day.") % {
        "day": day,
        "open": hhmm(hours.opens),
        "close": hhmm(hours.closes),
    }


class WithinHours(Func):
    """``fablab_within_hours(start, "end")``: the database's own opening-hours rule, for queries."""

    function = "fablab_within_hours"
    arity = 2

    def __init__(self, start="start", end="end", **extra):
        super().__init__(F(start), F(end), output_field=BooleanField(), **extra)
