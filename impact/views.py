from django.shortcuts import render
from django.utils.translation import gettext as _

from .selectors import Filters, available_years, impact_figures


def chart_data(figures: dict) -> dict:
    """What static/js/impact.js draws; the same numbers are in the tables under each chart."""
    charts = figures["charts"]
    funnel = charts["funnel"]
    return {
        "funnel": {
            "labels": [s["title"] for s in funnel],
            "datasets": [
                {"label": _("Applications"), "data": [s["applications"] for s in funnel]},
                {"label": _("Accepted"), "data": [s["accepted"] for s in funnel]},
                {"label": _("Participants"), "data": [s["participants"] for s in funnel]},
                {"label": _("Startups"), "data": [s["startups"] for s in funnel]},
                {"label": _("Startups with investment"), "data": [s["funded"] for s in funnel]},
            ],
        },
        "investments": {
            "labels": [s["title"] for s in funnel],
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
        "reach": {
            "labels": [r["label"] for r in charts["reach"]],
            "datasets": [
                {"label": _("Students"), "data": [r["students"] for r in charts["reach"]]},
                {"label": _("Schools"), "data": [r["schools"] for r in charts["reach"]]},
            ],
        },
    }


def index(request):
    filters = Filters.from_query(request.GET)
    figures = impact_figures(filters)
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
