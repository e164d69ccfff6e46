from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from impact.selectors import Filters, compute_figures, impact_figures
from impact.templatetags.impact_tags import uzs_short

from .conftest import grow


def figures(**filters):
    with translation.override("en"):
        return compute_figures(Filters(**filters), "en")


@pytest.mark.django_db
def test_figures_of_the_hand_built_data_set(dataset):
    f = figures()
    assert f["people"] == {"total": 80, "registered": 5, "masterclass_students": 75}
    assert f["innox"] == {
        "applications": 3,
        "participants": 2,
        "startups": 2,
        "funded": 1,
        "investment_uzs": Decimal("227000000"),
        "seasons": 2,
    }
    assert f["programmes"] == {
        "masterclasses": 2,
        "students": 75,
        "schools_vocational": 1,
        "schools_general": 2,
        "directions": 2,
        "enrolled_now": 1,
    }
    assert f["fablab"]["solutions"] == 3
    assert [(p["name"], p["funder"], p["equipment"]) for p in f["fablab"]["projects"]] == [
        ("Qishloq tadbirkorligi (en)", "IBRD (en)", 3)
    ]


@pytest.mark.django_db
def test_charts_of_the_hand_built_data_set(dataset):
    charts = figures()["charts"]
    assert [
        (s["title"], s["applications"], s["accepted"], s["participants"], s["startups"], s["funded"])
        for s in charts["funnel"]
    ] == [("InnoX 1 (en)", 2, 1, 2, 1, 1), ("InnoX 2 (en)", 1, 0, 0, 1, 0)]
    money = {(s["number"], m["currency"]): (m["amount"], m["uzs"]) for s in charts["funnel"] for m in s["money"]}
    assert money == {
        (1, "UZS"): (Decimal("100000000"), Decimal("100000000")),
        (1, "USD"): (Decimal("10000"), Decimal("127000000")),
        (2, "UZS"): (Decimal("0"), Decimal("0")),
        (2, "USD"): (Decimal("0"), Decimal("0")),
    }
    # b's enrolment (completed) counts; x's (rejected) does not; c is waitlisted (counts).
    assert [(d["direction"], d["enrolments"], d["current"]) for d in charts["directions"]] == [
        ("Veb dasturlash (en)", 2, 1),
        ("Robototexnika (en)", 1, 0),
    ]
    # a, b in Asaka; c, d in Marhamat; e gave no district.
    assert [(d["district"], d["people"]) for d in charts["districts"]] == [
        ("Asaka district", 2),
        ("Marhamat district", 2),
        ("", 1),
    ]
    assert [(r["kind"], r["schools"], r["students"]) for r in charts["reach"]] == [
        ("vocational", 1, 30),
        ("general", 2, 45),
    ]


@pytest.mark.django_db
def test_year_filter_counts_activity_of_that_year(dataset):
    f = figures(year=2025)
    # enrolments in intakes started 2025: a, c; season 2 (programme 2025): d; bookings 2025: e.
    assert f["people"] == {"total": 54, "registered": 4, "masterclass_students": 50}
    assert (f["innox"]["applications"], f["innox"]["participants"], f["innox"]["startups"]) == (1, 0, 1)
    assert (f["innox"]["funded"], f["innox"]["investment_uzs"]) == (0, Decimal("0"))
    assert (f["programmes"]["masterclasses"], f["programmes"]["students"]) == (1, 50)
    assert (f["programmes"]["schools_vocational"], f["programmes"]["schools_general"]) == (1, 1)
    assert f["fablab"]["solutions"] == 2
    assert f["fablab"]["projects"][0]["equipment"] == 2
    assert figures(year=2023)["people"]["total"] == 0


@pytest.mark.django_db
def test_season_filter_narrows_innox_figures_and_innox_people(dataset):
    f = figures(season=1)
    assert f["innox"] == {
        "applications": 2,
        "participants": 2,
        "startups": 1,
        "funded": 1,
        "investment_uzs": Decimal("227000000"),
        "seasons": 1,
    }
    # d applied only in season 2, so drops out; others stay.
    assert f["people"] == {"total": 79, "registered": 4, "masterclass_students": 75}
    assert f["programmes"]["masterclasses"] == 2  # not an InnoX figure
    assert figures(season=2, year=2024)["innox"]["applications"] == 0


@pytest.mark.django_db
def test_figures_are_cached_per_filters_and_language(dataset, django_assert_num_queries):
    first = impact_figures(Filters(), "en")
    with django_assert_num_queries(0):
        again = impact_figures(Filters(), "en")
    assert again["as_of"] == first["as_of"]
    with django_assert_num_queries(9):
        impact_figures(Filters(year=2025), "en")
    with django_assert_num_queries(9):
        ru = impact_figures(Filters(), "ru")
    assert ru["charts"]["districts"][0]["district"] == "Асакинский район"


@pytest.mark.parametrize(
    ("lang", "value", "expected"),
    [
        ("en", Decimal("8310000000"), "8.31 billion UZS"),
        ("ru", Decimal("8310000000"), "8,31 млрд сум"),
        ("uz", Decimal("8310000000"), "8,31 mlrd soʻm"),
        ("en", Decimal("227000000"), "227.0 million UZS"),
        ("en", Decimal("63500"), "63,500 UZS"),
    ],
)
def test_uzs_short_formats_in_each_language(lang, value, expected):
    with translation.override(lang):
        assert uzs_short(value) == expected


@pytest.mark.django_db
def test_impact_page_shows_the_figures_and_definition(client, dataset):
    response = client.get("/en/impact/")
    html = response.content.decode()
    assert response.status_code == 200
    for figure, value in [
        ("people-total", "80"),
        ("applications", "3"),
        ("participants", "2"),
        ("startups", "2"),
        ("funded", "1"),
        ("investment", "227.0 million UZS"),
        ("masterclasses", "2"),
        ("masterclass-students", "75"),
        ("schools-vocational", "1"),
        ("schools-general", "2"),
        ("directions", "2"),
        ("enrolled", "1"),
        ("solutions", "3"),
        ("equipment-ibrd", "3"),
    ]:
        assert f'data-figure="{figure}">{value}<' in html, figure
    assert "Definition: distinct registered people" in html
    assert 'id="impact-chart-data"' in html
    assert "<script>" not in html.replace('<script src="', "")  # no inline script (CSP)


@pytest.mark.django_db
def test_impact_page_filters_change_the_figures(client, dataset):
    html = client.get("/en/impact/", {"year": "2025"}).content.decode()
    assert 'data-figure="people-total">54<' in html
    assert 'data-figure="applications">1<' in html
    html = client.get("/en/impact/", {"season": "1"}).content.decode()
    assert 'data-figure="applications">2<' in html
    assert 'data-figure="people-total">79<' in html
    # Nonsense filters are ignored, not errors.
    html = client.get("/en/impact/", {"year": "abc", "season": "-4"}).content.decode()
    assert 'data-figure="people-total">80<' in html


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 4])
def test_impact_page_query_count_does_not_grow(client, dataset, django_assert_num_queries, extra):
    grow(dataset, extra)
    # 11 queries for the figures + SAVEPOINT/RELEASE of ATOMIC_REQUESTS: the 9 of the figures (the
    # accelerator's monthly-report totals ride on the season query) and the path's two (masterclass
    # headcount; registered → enrolled → completed → FabLab → InnoX in one aggregate over people).
    # The same 13 at 0 and 4 extra of everything.
    with django_assert_num_queries(13):
        response = client.get(reverse("impact:index"))
    assert response.status_code == 200
    assert f'data-figure="people-total">{80 + extra}<' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "as_of", "heading", "methodology"),
    [
        ("", "Koʻrsatkichlar yozuvlardan ", "Metodologiya", "Ushbu sahifadagi har bir koʻrsatkich"),
        ("/ru", "Цифры рассчитаны по записям на ", "Методология", "Каждая цифра на этой странице считается"),
        ("/en", "Figures computed from the records as of ", "Methodology", "Every figure on this page is counted"),
    ],
)
def test_as_of_date_and_methodology_in_each_language(client, dataset, prefix, as_of, heading, methodology):
    import re

    from django.utils import formats, timezone

    html = client.get(f"{prefix}/impact/").content.decode()
    match = re.search(r'data-testid="as-of">([^<]+)<', html)
    assert match and match.group(1).startswith(as_of)
    lang = prefix.strip("/") or "uz"
    with translation.override(lang):
        as_of_shown = formats.date_format(
            timezone.localtime(impact_figures(Filters(), lang)["as_of"]), "DATETIME_FORMAT"
        )
    assert as_of_shown in match.group(1)
    assert f'<h2 id="method-heading" class="h4">{heading}</h2>' in html
    assert methodology in html


@pytest.mark.django_db
def test_anonymous_page_cache_keeps_the_as_of_time_of_the_figures(client, dataset, django_capture_on_commit_callbacks):
    first = client.get("/en/impact/")
    assert first["X-Page-Cache"] == "miss"
    second = client.get("/en/impact/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # A write throws the cached page away; the page is rendered again from the figures' cache,
    # and says when those figures were computed.
    with django_capture_on_commit_callbacks(execute=True):  # the page cache is refreshed after the commit
        dataset["web"].save()
    third = client.get("/en/impact/")
    assert third["X-Page-Cache"] == "miss"
    as_of = impact_figures(Filters(), "en")["as_of"]
    from django.utils import formats, timezone

    with translation.override("en"):
        assert formats.date_format(timezone.localtime(as_of), "DATETIME_FORMAT") in third.content.decode()
