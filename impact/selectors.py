"""Every figure of the impact page, computed from the records (never typed in).

``impact_figures(filters, lang)`` runs a fixed number of queries (see ``QUERIES_PER_COMPUTE``),
whatever the size of the data, and caches the result for ``settings.IMPACT_CACHE_SECONDS`` under a
key made of the filters and the language. Definitions of each figure: impact/README.md.

Filters:
* ``year`` — activity in that calendar year: enrolments in intakes that started that year,
  masterclasses held that year, bookings that started that year, engineering solutions completed
  that year, equipment acquired that year, and the InnoX seasons whose programme started that year;
* ``season`` — an InnoX season number: narrows the InnoX figures (and the InnoX part of the
  young-people count) to that season. Other figures follow the year filter only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fablab.models import Booking, EngineeringSolution, Equipment, FundingProject
from fablab.selectors import used_duration
from incubator.models import Application, Investment, Participant, Season
from incubator.selectors import REPORT_FIGURES, SEASON_FIGURES, season_report_annotations, seasons_with_figures
from programs.models import Attendance, Direction, Enrolment, Intake, Masterclass, MasterclassAttendance, PartnerSchool
from technopark.models import District

from .models import DirectionEnrolments, DistrictParticipation

CACHE_PREFIX = "impact:figures:v2"
FIRST_YEAR = 2020  # the technopark was founded by Resolution No. 313 of 22 May 2020
BOOKING_STATUSES = (Booking.Status.CONFIRMED, Booking.Status.COMPLETED)
# Every enrolment status except "rejected" means the person took part.
TAKING_PART_STATUSES = tuple(s for s in Enrolment.Status.values if s != Enrolment.Status.REJECTED)


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    season: int | None = None

    @classmethod
    def from_query(cls, params, *, seasons_known: bool = True) -> Filters:
        def as_int(name, low, high):
            try:
                value = int(params.get(name, ""))
            except (TypeError, ValueError):
                return None
            return value if low <= value <= high else None

        return cls(
            year=as_int("year", FIRST_YEAR, timezone.localdate().year + 1),
            season=as_int("season", 1, 1000),
        )

    @property
    def key(self) -> str:
        return f"y{self.year or '-'}:s{self.season or '-'}"

    def as_query(self) -> dict:
        return {k: v for k, v in (("year", self.year), ("season", self.season)) if v}


def available_years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def _tr(row: dict, prefix: str, lang: str) -> str:
    """The translated value of ``prefix_<lang>`` from a values() row, falling back to Uzbek."""
    return row.get(f"{prefix}_{lang}") or row.get(f"{prefix}_uz") or row.get(f"{prefix}_en") or ""


def _lang_fields(prefix: str) -> list[str]:
    """The translated columns (modeltranslation's languages: a site language such as uz-cyrl
    may be written from another one's column)."""
    return [f"{prefix}_{code}" for code in settings.MODELTRANSLATION_LANGUAGES]


# --- The InnoX part ------------------------------------------------------------------------


def _count_subquery(queryset, group: str):
    """A correlated ``COUNT(DISTINCT pk)`` as an annotation: a scalar subquery, no join fan-out."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk", distinct=True)).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _season_rows(lang: str) -> list[dict]:
    """All seasons, newest first, each with its funnel: one query. The figures are InnoX's own
    (``incubator.selectors.seasons_with_figures``), renamed ``applications``, ``reviewed`` …"""
    rows = (
        seasons_with_figures(Season.objects.order_by("-number"))
        .annotate(**season_report_annotations())
        .values("pk", "number", "programme_start", *_lang_fields("title"), *SEASON_FIGURES, *REPORT_FIGURES)
    )
    result = []
    for row in rows:
        for name, short in _SEASON_FIGURE_NAMES.items():
            row[short] = row.pop(name)
        row["title"] = _tr(row, "title", lang)
        row["year"] = row["programme_start"].year
        result.append(row)
    return result


_SEASON_FIGURE_NAMES = {
    "applications_count": "applications",
    "reviewed_count": "reviewed",
    "assignments_count": "assignments",
    "reviews_count": "reviews",
    "shortlisted_count": "shortlisted",
    "accepted_count": "accepted",
    "participants_count": "participants",
    "startups_count": "startups",
    "funded_startups_count": "funded",
    "investment_uzs": "investment_uzs",
}


def _selected_seasons(seasons: list[dict], filters: Filters) -> list[dict]:
    return [
        s
        for s in seasons
        if (filters.season is None or s["number"] == filters.season)
        and (filters.year is None or s["year"] == filters.year)
    ]


def season_q(filters: Filters, prefix: str = "season") -> Q:
    """The InnoX filter as a Q on the season reached through ``prefix``."""
    q = Q()
    if filters.year:
        q &= Q(**{f"{prefix}__programme_start__year": filters.year})
    if filters.season:
        q &= Q(**{f"{prefix}__number": filters.season})
    return q


def _investment_rows(filters: Filters) -> list[dict]:
    """Investments per season and currency: amounts, UZS value, startups. One query."""
    return list(
        Investment.objects.filter(season_q(filters, "startup__season"))
        .order_by()
        .values("startup__season_id", "currency")
        .annotate(
            amount=Sum("amount"),
            uzs=Sum("uzs_value"),
            count=Count("id"),
        )
        .order_by("startup__season_id", "currency")
    )


# --- People ----------------------------------------------------------------------------------


def participation_sources(filters: Filters) -> dict[str, object]:
    """The querysets of user ids that make someone a young person who took part."""
    enrolments = Enrolment.objects.filter(status__in=TAKING_PART_STATUSES)
    bookings = Booking.objects.filter(status__in=BOOKING_STATUSES)
    if filters.year:
        enrolments = enrolments.filter(intake__start_date__year=filters.year)
        bookings = bookings.filter(start__year=filters.year)
    return {
        "enrolments": enrolments.values("user_id"),
        "applications": Application.objects.non_draft().filter(season_q(filters)).values("applicant_id"),
        "participants": Participant.objects.filter(season_q(filters), user__isnull=False).values("user_id"),
        "bookings": bookings.values("user_id"),
    }


def participants_queryset(filters: Filters):
    """Distinct registered people who took part (see the definition on the page)."""
    sources = participation_sources(filters)
    condition = Q()
    for subquery in sources.values():
        condition |= Q(pk__in=subquery)
    return get_user_model().objects.filter(condition)


def _people_by_district(filters: Filters, lang: str) -> list[dict]:
    if not filters.year and not filters.season:
        return _people_by_district_summary(lang)
    rows = (
        participants_queryset(filters)
        .order_by()
        .values("district_id", *_lang_fields("district__name"), "district__order")
        .annotate(people=Count("id"))
        .order_by("district__order", "district_id")
    )
    return [{"district": _tr(r, "district__name", lang), "people": r["people"]} for r in rows]


def _people_by_district_summary(lang: str) -> list[dict]:
    """The same rows without filters, from the counts the database keeps (impact/models.py):
    a few rows whatever the number of people. One query."""
    names = ", ".join(f'd."{column}"' for column in _lang_fields("name"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {names}, p.people FROM {DistrictParticipation._meta.db_table} p "
            f"LEFT JOIN {District._meta.db_table} d ON d.id = p.district_key "
            'WHERE p.people > 0 ORDER BY d."order", d.id'
        )
        columns = [f"district__{column}" for column in _lang_fields("name")]
        rows = [dict(zip([*columns, "people"], row, strict=True)) for row in cursor.fetchall()]
    return [{"district": _tr(r, "district__name", lang), "people": r["people"]} for r in rows]


# --- Programmes and FabLab -----------------------------------------------------------------


def _masterclass_totals(filters: Filters) -> dict:
    masterclasses = Masterclass.objects.past()
    if filters.year:
        masterclasses = masterclasses.filter(date__year=filters.year)
    return masterclasses.aggregate(
        masterclasses=Count("id", distinct=True),
        students=Coalesce(Sum("attendances__headcount"), 0),
    )


def _reach_by_school_kind(filters: Filters) -> list[dict]:
    attendance = MasterclassAttendance.objects.filter(masterclass__date__lte=timezone.localdate())
    if filters.year:
        attendance = attendance.filter(masterclass__date__year=filters.year)
    rows = {
        r["school__kind"]: r
        for r in attendance.order_by()
        .values("school__kind")
        .annotate(schools=Count("school_id", distinct=True), students=Sum("headcount"))
    }
    return [
        {
            "kind": kind,
            "label": str(label),
            "schools": rows.get(kind, {}).get("schools", 0),
            "students": rows.get(kind, {}).get("students", 0),
        }
        for kind, label in PartnerSchool.Kind.choices
    ]


def _directions(filters: Filters, lang: str) -> list[dict]:
    taking_part = Q(courses__intakes__enrolments__status__in=TAKING_PART_STATUSES)
    if filters.year:
        taking_part &= Q(courses__intakes__start_date__year=filters.year)
    current = Q(
        courses__intakes__enrolments__status=Enrolment.Status.ENROLLED,
        courses__intakes__status=Intake.Status.RUNNING,
    )
    if filters.year:
        rows = Direction.objects.order_by("order", "pk").annotate(
            enrolments=Count("courses__intakes__enrolments", filter=taking_part),
            current=Count("courses__intakes__enrolments", filter=current),
        )
    else:
        # Without a year, the enrolments come from the count the database keeps (impact/models.py)
        # and the current ones from the running intakes only: no scan of every enrolment.
        kept = DirectionEnrolments.objects.filter(direction_id=OuterRef("pk")).values("enrolments")[:1]
        running = Enrolment.objects.filter(
            intake__course__direction=OuterRef("pk"),
            status=Enrolment.Status.ENROLLED,
            intake__status=Intake.Status.RUNNING,
        )
        rows = Direction.objects.order_by("order", "pk").annotate(
            enrolments=Coalesce(Subquery(kept, output_field=IntegerField()), 0),
            current=_count_subquery(running, "intake__course__direction"),
        )
    rows = rows.values("pk", *_lang_fields("name"), "enrolments", "current")
    return [{"direction": _tr(r, "name", lang), "enrolments": r["enrolments"], "current": r["current"]} for r in rows]


def _funding_projects(filters: Filters, lang: str) -> list[dict]:
    delivered = Q(equipment__isnull=False)
    if filters.year:
        delivered &= Q(equipment__acquired_on__year=filters.year)
    rows = (
        FundingProject.objects.order_by("-start", "pk")
        .annotate(equipment_count=Count("equipment", filter=delivered))
        .values("pk", "slug", *_lang_fields("name"), *_lang_fields("funder"), "equipment_count")
    )
    return [
        {
            "pk": r["pk"],
            "slug": r["slug"],
            "name": _tr(r, "name", lang),
            "funder": _tr(r, "funder", lang),
            "equipment": r["equipment_count"],
        }
        for r in rows
    ]


def _solutions(filters: Filters) -> int:
    solutions = EngineeringSolution.objects.all()
    if filters.year:
        solutions = solutions.filter(completed_on__year=filters.year)
    return solutions.count()


# --- Everything ---------------------------------------------------------------------------

QUERIES_PER_COMPUTE = 9


def compute_figures(filters: Filters, lang: str) -> dict:
    """All figures and chart data for the filters, in the language given (fixed query count)."""
    seasons = _season_rows(lang)  # 1
    selected = _selected_seasons(seasons, filters)
    investments = _investment_rows(filters)  # 2
    by_district = _people_by_district(filters, lang)  # 3
    masterclasses = _masterclass_totals(filters)  # 4
    reach = _reach_by_school_kind(filters)  # 5
    directions = _directions(filters, lang)  # 6
    projects = _funding_projects(filters, lang)  # 7
    solutions = _solutions(filters)  # 8
    current = Enrolment.objects.current().count()  # 9
    # The startups' own monthly reports, as totals only, from the season rows (no query of their own).
    reported = {
        "jobs_created": sum(s["reported_jobs"] for s in selected),
        "money_raised_uzs": sum((s["reported_money_uzs"] for s in selected), Decimal("0")),
        "active_startups": sum(s["reported_active"] for s in selected),
        "as_of": max((s["reported_as_of"] for s in selected if s["reported_as_of"]), default=None),
    }

    registered_people = sum(r["people"] for r in by_district)
    total_uzs = sum((r["uzs"] for r in investments), Decimal("0"))
    per_season_money = defaultdict(lambda: defaultdict(lambda: {"amount": Decimal("0"), "uzs": Decimal("0")}))
    for r in investments:
        cell = per_season_money[r["startup__season_id"]][r["currency"]]
        cell["amount"] += r["amount"]
        cell["uzs"] += r["uzs"]
    currencies = sorted({r["currency"] for r in investments}) or ["UZS", "USD"]
    funnel = []
    for s in sorted(selected, key=lambda s: s["number"]):
        money = per_season_money.get(s["pk"], {})
        funnel.append(
            {
                **{
                    k: s[k]
                    for k in (
                        "number",
                        "title",
                        "applications",
                        "reviewed",
                        "shortlisted",
                        "accepted",
                        "participants",
                        "startups",
                        "funded",
                        "year",
                    )
                },
                # "Season 1" for chart axes and table rows; the full title goes in the tooltip.
                "label": _("Season %(number)s") % {"number": s["number"]},
                "money": [
                    {
                        "currency": c,
                        "amount": money.get(c, {}).get("amount", Decimal("0")),
                        "uzs": money.get(c, {}).get("uzs", Decimal("0")),
                    }
                    for c in currencies
                ],
                "uzs": sum((money.get(c, {}).get("uzs", Decimal("0")) for c in currencies), Decimal("0")),
            }
        )
    schools = {r["kind"]: r["schools"] for r in reach}
    return {
        "as_of": timezone.now(),
        "filters": filters.as_query(),
        "people": {
            "total": registered_people + masterclasses["students"],
            "registered": registered_people,
            "masterclass_students": masterclasses["students"],
        },
        "innox": {
            "applications": sum(s["applications"] for s in selected),
            "participants": sum(s["participants"] for s in selected),
            "startups": sum(s["startups"] for s in selected),
            "funded": sum(s["funded"] for s in selected),
            "investment_uzs": total_uzs,
            "seasons": len(selected),
        },
        "startup_reports": reported,
        "programmes": {
            "masterclasses": masterclasses["masterclasses"],
            "students": masterclasses["students"],
            "schools_vocational": schools.get(PartnerSchool.Kind.VOCATIONAL, 0),
            "schools_general": schools.get(PartnerSchool.Kind.GENERAL, 0),
            "directions": len(directions),
            "enrolled_now": current,
        },
        "fablab": {
            "solutions": solutions,
            "projects": projects,
        },
        "charts": {
            "funnel": funnel,
            "currencies": currencies,
            "directions": directions,
            "districts": by_district,
            "reach": reach,
        },
        "seasons": [{"number": s["number"], "title": s["title"]} for s in sorted(seasons, key=lambda s: s["number"])],
    }


def cache_key(filters: Filters, lang: str) -> str:
    return f"{CACHE_PREFIX}:{lang}:{filters.key}"


def impact_figures(filters: Filters | None = None, lang: str | None = None) -> dict:
    """The figures, from the cache when computed less than IMPACT_CACHE_SECONDS ago."""
    filters = filters or Filters()
    lang = (lang or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    with translation.override(lang):
        return _kept(cache_key(filters, lang), lambda: compute_figures(filters, lang))


def _kept(key: str, compute):
    """``compute()``'s value, from the cache when computed less than IMPACT_CACHE_SECONDS ago."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.IMPACT_CACHE_SECONDS)
    return value


def impact_path() -> dict:
    """The path (impact/path.py, as of today), from the cache when computed less than
    IMPACT_CACHE_SECONDS ago, like the figures (the impact page shows both; the home page only
    the figures)."""
    from .path import path_figures

    return _kept(f"{CACHE_PREFIX}:path", path_figures)


def headline(figures: dict) -> list[tuple[str, object]]:
    """The press-release figures as (label, value) pairs, for seed_demo's summary."""
    people, innox, prog, fab = figures["people"], figures["innox"], figures["programmes"], figures["fablab"]
    lines = [
        ("young people who took part", people["total"]),
        ("  registered people", people["registered"]),
        ("  masterclass students", people["masterclass_students"]),
        ("InnoX applications", innox["applications"]),
        ("InnoX participants", innox["participants"]),
        ("startups", innox["startups"]),
        ("startups with investment", innox["funded"]),
        ("investment, UZS", innox["investment_uzs"]),
        ("masterclasses", prog["masterclasses"]),
        ("masterclass students", prog["students"]),
        ("vocational schools", prog["schools_vocational"]),
        ("general schools", prog["schools_general"]),
        ("training directions", prog["directions"]),
        ("students enrolled now", prog["enrolled_now"]),
        ("engineering solutions", fab["solutions"]),
    ]
    lines += [(f"equipment: {p['name']}", p["equipment"]) for p in fab["projects"]]
    return lines


def seed_report() -> list[tuple[str, object]]:
    """seed_demo's closing lines: the headline figures, freshly computed as the impact page does."""
    from django.core.cache import cache

    cache.delete_many([f"{CACHE_PREFIX}:{code}:{Filters().key}" for code in ("uz", "ru", "en")])
    with translation.override("en"):
        figures = compute_figures(Filters(), "en")
    return [("Headline figures (as the impact page computes them):", ""), *headline(figures)]


# --- Staff dashboard ------------------------------------------------------------------------

AGE_BANDS = [
    (0, 13, _("under 14")),
    (14, 17, _("14–17")),
    (18, 24, _("18–24")),
    (25, 30, _("25–30")),
    (31, 200, _("over 30")),
]
UTILISATION_MONTHS = 6
INTAKES_ON_DASHBOARD = 40


def _years_before(day, years: int):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_band_expression(today):
    """A CASE over birth_date giving the age band's index (or NULL when the birth date is unknown)."""
    whens = []
    for index, (low, high, _label) in enumerate(AGE_BANDS):
        born_after = _years_before(today, high + 1)  # younger than high + 1
        born_before = _years_before(today, low)  # at least low years old
        whens.append(When(birth_date__gt=born_after, birth_date__lte=born_before, then=Value(index)))
    return Case(*whens, default=None, output_field=IntegerField())


def _people_breakdown(lang: str) -> dict:
    """Registered people who took part, by district, gender and age band: one grouped query."""
    today = timezone.localdate()
    rows = (
        participants_queryset(Filters())
        .order_by()
        .annotate(age_band=_age_band_expression(today))
        .values("district_id", *_lang_fields("district__name"), "district__order", "gender", "age_band")
        .annotate(people=Count("id"))
    )
    districts, genders, bands = defaultdict(int), defaultdict(int), defaultdict(int)
    order = {}
    for r in rows:
        name = _tr(r, "district__name", lang)
        districts[name] += r["people"]
        order[name] = (r["district__order"] is None, r["district__order"] or 0, name)
        genders[r["gender"] or ""] += r["people"]
        bands[r["age_band"]] += r["people"]
    User = get_user_model()
    return {
        "districts": [{"label": n, "people": districts[n]} for n in sorted(districts, key=lambda n: order[n])],
        "genders": [{"label": str(label), "people": genders.get(value, 0)} for value, label in User.Gender.choices]
        + ([{"label": "", "people": genders[""]}] if genders.get("") else []),
        "age_bands": [{"label": str(label), "people": bands.get(i, 0)} for i, (_l, _h, label) in enumerate(AGE_BANDS)]
        + ([{"label": "", "people": bands[None]}] if bands.get(None) else []),
        "total": sum(districts.values()),
    }


def _intake_rows(lang: str) -> list[dict]:
    """Running and enrolling intakes with seats, waitlist and attendance: one query."""
    intake = OuterRef("pk")
    rows = (
        Intake.objects.filter(status__in=[Intake.Status.RUNNING, Intake.Status.ENROLLING])
        .order_by("-status", "start_date", "pk")
        .annotate(
            n_enrolled=_count_subquery(
                Enrolment.objects.filter(intake=intake, status=Enrolment.Status.ENROLLED), "intake"
            ),
            n_applied=_count_subquery(
                Enrolment.objects.filter(intake=intake, status=Enrolment.Status.APPLIED), "intake"
            ),
            n_waitlisted=_count_subquery(
                Enrolment.objects.filter(intake=intake, status=Enrolment.Status.WAITLISTED), "intake"
            ),
            n_marks=_count_subquery(Attendance.objects.filter(session__intake=intake), "session__intake"),
            n_present=_count_subquery(
                Attendance.objects.filter(session__intake=intake, present=True), "session__intake"
            ),
        )
        .values(
            "pk",
            "status",
            "start_date",
            "end_date",
            "capacity",
            *_lang_fields("course__title"),
            "n_enrolled",
            "n_applied",
            "n_waitlisted",
            "n_marks",
            "n_present",
        )[: INTAKES_ON_DASHBOARD + 1]  # one more tells the page that the list was cut
    )
    return [
        {
            "course": _tr(r, "course__title", lang),
            "status": Intake.Status(r["status"]).label,
            "start_date": r["start_date"],
            "end_date": r["end_date"],
            "capacity": r["capacity"],
            "enrolled": r["n_enrolled"],
            "applied": r["n_applied"],
            "waitlisted": r["n_waitlisted"],
            "attendance_marks": r["n_marks"],
            "present": r["n_present"],
        }
        for r in rows
    ]


def month_starts(count: int, today=None) -> list:
    """The first days of the last ``count`` months, oldest first (the current month last)."""
    today = today or timezone.localdate()
    months, year, month = [], today.year, today.month
    for _step in range(count):
        months.append(today.replace(year=year, month=month, day=1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def used_bookings():
    """Bookings that count as use of a machine: confirmed or completed, and already begun."""
    return Booking.objects.filter(status__in=BOOKING_STATUSES, start__lt=timezone.now())


def utilisation(equipment_filter: Q, months: list, lang: str) -> list[dict]:
    """Hours used (``used_bookings``) per machine per month: one grouped query.

    A confirmed booking later today or next week is a plan, not use: it is not counted.
    """
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(months[0], time.min), tz)
    machines = list(
        Equipment.objects.filter(equipment_filter).order_by("category__order", "pk").values("pk", *_lang_fields("name"))
    )
    hours = defaultdict(float)
    rows = (
        used_bookings()
        .filter(start__gte=start)
        .filter(**{"equipment__in": [m["pk"] for m in machines]})
        .annotate(month=TruncMonth("start", tzinfo=tz))
        .order_by()
        .values("equipment_id", "month")
        .annotate(length=Sum(used_duration()))  # checked-in time (fablab.selectors.used_duration)
    )
    for r in rows:
        hours[(r["equipment_id"], r["month"].date())] = r["length"].total_seconds() / 3600
    return [
        {
            "machine": _tr(m, "name", lang),
            "hours": [round(hours.get((m["pk"], month), 0.0), 1) for month in months],
            "total": round(sum(hours.get((m["pk"], month), 0.0) for month in months), 1),
        }
        for m in machines
    ]


def staff_dashboard(lang: str) -> dict:
    """The staff dashboard's figures (not cached: staff want them exact). Fixed query count."""
    seasons = sorted(_season_rows(lang), key=lambda s: s["number"])
    months = month_starts(UTILISATION_MONTHS)
    intakes = _intake_rows(lang)
    return {
        "as_of": timezone.now(),
        "seasons": seasons,
        "intakes": intakes[:INTAKES_ON_DASHBOARD],
        "intakes_cut": len(intakes) > INTAKES_ON_DASHBOARD,
        "months": months,
        "utilisation": utilisation(~Q(status="retired"), months, lang),
        "people": _people_breakdown(lang),
        "projects": _funding_projects(Filters(), lang),
    }
