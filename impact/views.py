from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from . import path as path_figures_module
from . import reports, selectors
from .selectors import Filters, available_years, impact_figures, impact_path

# Reports list people (participants) or usage by machine: only the role that runs the area.
SEASON_REPORT_PERMISSION = "incubator.view_participant"
EQUIPMENT_REPORT_PERMISSION = "fablab.view_booking"


def chart_data(figures: dict) -> dict:
    """What static/js/impact.js draws; the same numbers are in the tables under each chart."""
    charts = figures["charts"]
    funnel = charts["funnel"]
    # Season titles are long ("InnoX Season 1 (spring 2024)"): the axis shows "Season 1", the
    # tooltip the full title.
    seasons = [str(s["label"]) for s in funnel]
    titles = [s["title"] for s in funnel]
    return {
        "funnel": {
            "labels": seasons,
            "titles": titles,
            "datasets": [
                {"label": _("Applications"), "data": [s["applications"] for s in funnel]},
                {"label": _("Accepted"), "data": [s["accepted"] for s in funnel]},
                {"label": _("Participants"), "data": [s["participants"] for s in funnel]},
                {"label": _("Startups"), "data": [s["startups"] for s in funnel]},
                {"label": _("Startups with investment"), "data": [s["funded"] for s in funnel]},
            ],
        },
        "investments": {
            "labels": seasons,
            "titles": titles,
            "stacked": True,
            "datasets": [
                {
                    "label": _("%(currency)s, million UZS equivalent") % {"currency": currency},
                    "data": [round(float(s["money"][i]["uzs"]) / 1e6, 1) for s in funnel],
                }
                for i, currency in enumerate(charts["currencies"])
            ],
        },
        "directions": {
            "labels": [d["direction"] for d in charts["directions"]],
            "horizontal": True,
            "datasets": [{"label": _("Enrolments"), "data": [d["enrolments"] for d in charts["directions"]]}],
        },
        "districts": {
            "labels": [d["district"] or _("Not given") for d in charts["districts"]],
            "horizontal": True,
            "datasets": [{"label": _("People"), "data": [d["people"] for d in charts["districts"]]}],
        },
        **({"path": path_chart(figures["path"])} if "path" in figures else {}),
        "reach": {
            "labels": [r["label"] for r in charts["reach"]],
            "datasets": [{"label": _("Students"), "data": [r["students"] for r in charts["reach"]]}],
        },
    }


def path_chart(path: dict) -> dict:
    return {
        "labels": [str(s["label"]) for s in path["stages"]],
        "horizontal": True,
        "datasets": [{"label": _("People"), "data": [s["count"] for s in path["stages"]]}],
    }


def index(request):
    filters = Filters.from_query(request.GET)
    figures = {**impact_figures(filters), "path": impact_path()}
    return render(
        request,
        "impact/index.html",
        {
            "f": figures,
            "filters": filters,
            "years": available_years(),
            "chart_data": chart_data(figures),
        },
    )


# --- Staff ---------------------------------------------------------------------------------


def _staff_only(request, perm: str | None = None):
    """Anonymous → login; anyone not staff (or staff without ``perm``) → 404, leaking nothing."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff or (perm and not request.user.has_perm(perm)):
        raise Http404
    return None


def _path_breakdown() -> dict:
    breakdown = path_figures_module.path_by_school()
    keys = [key for key, _label in breakdown["stages"]]

    def rows(items):
        return [{**item, "values": [(key, item["counts"][key]) for key in keys]} for item in items]

    return {
        "path": breakdown,
        "path_tables": [
            (_("By district"), rows(breakdown["districts"]), "path-districts"),
            (_("By school"), rows(breakdown["schools"]), "path-schools"),
        ],
    }


def staff_dashboard(request):
    if response := _staff_only(request):
        return response
    data = selectors.staff_dashboard(translation.get_language())
    return render(
        request,
        "impact/staff_dashboard.html",
        {
            "d": data,
            **_path_breakdown(),
            "can_season_report": request.user.has_perm(SEASON_REPORT_PERMISSION),
            "can_equipment_report": request.user.has_perm(EQUIPMENT_REPORT_PERMISSION),
        },
    )


def season_report(request, number):
    if response := _staff_only(request, SEASON_REPORT_PERMISSION):
        return response
    report = reports.season_report(number, translation.get_language())
    if request.GET.get("format") == "csv":
        return reports.season_report_csv(report)
    return render(request, "impact/season_report.html", {"r": report})


def equipment_report(request, slug):
    if response := _staff_only(request, EQUIPMENT_REPORT_PERMISSION):
        return response
    report = reports.equipment_report(slug, translation.get_language())
    if request.GET.get("format") == "csv":
        return reports.equipment_report_csv(report)
    return render(request, "impact/equipment_report.html", {"r": report})
