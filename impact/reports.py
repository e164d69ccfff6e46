"""Funder reports: an InnoX season report and an equipment report for a funding project.

Each is a dict the printable page and the CSV are both made from, read with a fixed number of
queries (select_related / prefetch_related), whatever the size of the season or project.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from fablab.models import EngineeringSolution, Equipment, FundingProject
from incubator.models import Investment, Participant, Season, Startup, Submission
from technopark.exports import safe_writer

from .selectors import BOOKING_STATUSES, month_starts, utilisation

REPORT_MONTHS = 12


def season_report(number: int, lang: str) -> dict:
    from .selectors import _season_rows

    season = get_object_or_404(Season, number=number)
    funnel = next(s for s in _season_rows(lang) if s["number"] == number)
    participants = list(
        Participant.objects.filter(season=season).select_related("user__district", "application").order_by("name", "pk")
    )
    startups = list(
        Startup.objects.filter(season=season)
        .annotate(founder_count=Count("founders", distinct=True))
        .prefetch_related(
            Prefetch(
                "investments",
                queryset=Investment.objects.select_related("investor", "investor_day").order_by("date", "pk"),
            ),
            Prefetch(
                "submissions", queryset=Submission.objects.select_related("competition").order_by("deadline", "pk")
            ),
        )
        .order_by("name", "pk")
    )
    investments = [i for s in startups for i in s.investments.all()]
    submissions = [x for s in startups for x in s.submissions.all()]
    by_currency = defaultdict(lambda: {"amount": Decimal("0"), "uzs": Decimal("0"), "count": 0})
    for investment in investments:
        cell = by_currency[investment.currency]
        cell["amount"] += investment.amount
        cell["uzs"] += investment.uzs_value
        cell["count"] += 1
    outcomes = defaultdict(int)
    for submission in submissions:
        outcomes[submission.get_outcome_display()] += 1
    return {
        "season": season,
        "funnel": funnel,
        "participants": participants,
        "startups": startups,
        "investments": investments,
        "submissions": submissions,
        "by_currency": dict(by_currency),
        "outcomes": dict(outcomes),
        "total_uzs": sum((i.uzs_value for i in investments), Decimal("0")),
        "funded": sum(1 for s in startups if s.investments.all()),
        "generated_at": timezone.now(),
    }


def equipment_report(slug: str, lang: str) -> dict:
    project = get_object_or_404(FundingProject, slug=slug)
    machines = list(
        Equipment.objects.filter(funding_project=project)
        .select_related("category")
        .annotate(
            bookings_done=Count(
                "bookings",
                filter=Q(bookings__status__in=BOOKING_STATUSES, bookings__start__lt=timezone.now()),
                distinct=True,
            ),
        )
        .order_by("category__order", "name", "pk")
    )
    months = month_starts(REPORT_MONTHS)
    usage = utilisation(Q(funding_project=project), months, lang)
    solutions = list(
        EngineeringSolution.objects.filter(equipment__funding_project=project)
        .distinct()
        .prefetch_related(Prefetch("equipment", queryset=Equipment.objects.filter(funding_project=project)))
        .order_by("-completed_on", "pk")
    )
    return {
        "project": project,
        "machines": machines,
        "months": months,
        "usage": usage,
        "month_totals": [round(sum(row["hours"][i] for row in usage), 1) for i in range(len(months))],
        "total_hours": round(sum(row["total"] for row in usage), 1),
        "solutions": solutions,
        "generated_at": timezone.now(),
    }


def _csv_response(filename: str) -> tuple[HttpResponse, object]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    return response, safe_writer(response)


def season_report_csv(report: dict) -> HttpResponse:
    season = report["season"]
    response, out = _csv_response(f"innox-season-{season.number}-report.csv")
    f = report["funnel"]
    out.writerow([_("InnoX season report"), season.title])
    for label, value in [
        (_("Applications"), f["applications"]),
        (_("Accepted"), f["accepted"]),
        (_("Participants"), f["participants"]),
        (_("Startups"), f["startups"]),
        (_("Startups with investment"), f["funded"]),
        (_("Total investment, UZS"), report["total_uzs"]),
    ]:
        out.writerow([label, value])
    out.writerow([])
    out.writerow([_("Participants"), _("District"), _("Team")])
    for p in report["participants"]:
        district = p.user.district.name if p.user and p.user.district else ""
        out.writerow([p.name, district, p.application.team_name if p.application else ""])
    out.writerow([])
    out.writerow([_("Startup"), _("Industry"), _("Stage"), _("Founders"), _("Investment, UZS")])
    for s in report["startups"]:
        out.writerow(
            [
                s.name,
                s.get_industry_display(),
                s.get_stage_display(),
                s.founder_count,
                sum((i.uzs_value for i in s.investments.all()), Decimal("0")),
            ]
        )
    out.writerow([])
    out.writerow([_("Date"), _("Startup"), _("Investor"), _("Kind"), _("Amount"), _("Currency"), _("Value in UZS")])
    for i in report["investments"]:
        out.writerow(
            [
                i.date.isoformat(),
                i.startup.name,
                i.investor.name,
                i.get_kind_display(),
                i.amount,
                i.currency,
                i.uzs_value,
            ]
        )
    out.writerow([])
    out.writerow([_("Competition"), _("Startup"), _("Deadline"), _("Outcome"), _("Award, UZS")])
    for x in report["submissions"]:
        out.writerow(
            [
                x.competition.name,
                x.startup.name,
                x.deadline.isoformat(),
                x.get_outcome_display(),
                x.award_amount if x.award_amount is not None else "",
            ]
        )
    return response


def equipment_report_csv(report: dict) -> HttpResponse:
    project = report["project"]
    response, out = _csv_response(f"equipment-report-{project.slug}.csv")
    out.writerow([_("Equipment report"), project.name, project.funder])
    out.writerow([_("Machines delivered"), len(report["machines"])])
    out.writerow([])
    out.writerow([_("Machine"), _("Category"), _("Model"), _("Acquired on"), _("Status"), _("Bookings used")])
    for m in report["machines"]:
        out.writerow(
            [
                m.name,
                m.category.name,
                m.model,
                m.acquired_on.isoformat() if m.acquired_on else "",
                m.get_status_display(),
                m.bookings_done,
            ]
        )
    out.writerow([])
    out.writerow([_("Hours used"), *[month.strftime("%Y-%m") for month in report["months"]], _("Total")])
    for row in report["usage"]:
        out.writerow([row["machine"], *row["hours"], row["total"]])
    out.writerow([_("Total"), *report["month_totals"], report["total_hours"]])
    out.writerow([])
    out.writerow([_("Engineering solution"), _("Completed on"), _("Equipment used")])
    for s in report["solutions"]:
        out.writerow([s.title, s.completed_on.isoformat(), "; ".join(e.name for e in s.equipment.all())])
    return response
