import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from incubator.models import (
    Application,
    ExchangeRate,
    Investment,
    InvestorDay,
    Participant,
    Review,
    ReviewScore,
    Season,
    Startup,
    StatusChange,
    Submission,
    TeamMember,
)
from incubator.selectors import programme_totals, seasons_with_figures


@pytest.fixture
def seeded(db):
    from incubator import seed
    from technopark import seed as core

    out = io.StringIO()
    core.run(stdout=out)
    seed.run(stdout=out)
    return out.getvalue()


def test_seed_reproduces_press_release_figures(seeded):
    per_season = {
        s.number: (
            s.applications_count,
            s.participants_count,
            s.startups_count,
            s.funded_startups_count,
            s.investment_uzs,
        )
        for s in seasons_with_figures()
    }
    assert per_season == {
        1: (150, 40, 24, 10, Decimal("3000000000.00")),
        2: (168, 48, 27, 9, Decimal("2062300000.00")),
        3: (185, 52, 31, 10, Decimal("3247700000.00")),
        4: (0, 0, 0, 0, Decimal("0")),
    }
    totals = programme_totals()
    assert (
        totals["applications_count"],
        totals["participants_count"],
        totals["startups_count"],
        totals["funded_startups_count"],
        totals["investment_uzs"],
    ) == (503, 140, 82, 29, Decimal("8310000000.00"))
    assert "503 applications" in seeded and "8,310,000,000 UZS" in seeded


def test_seed_investor_day_and_current_season(seeded):
    day = InvestorDay.objects.get()
    assert (day.date.isoformat(), day.organiser.name) == ("2025-04-18", "Aloqa Venture")
    rate = ExchangeRate.objects.get(currency="USD", date=day.date).rate_to_uzs
    rows = sorted(day.investments.values_list("startup__name", "amount", "currency", "uzs_value"))
    assert rows == [
        ("EduCompass", Decimal("20000.00"), "USD", Decimal("20000") * rate),
        ("SpaceAgro", Decimal("20000.00"), "USD", Decimal("20000") * rate),
        ("Tokcha", Decimal("30000.00"), "USD", Decimal("30000") * rate),
    ]
    assert Submission.objects.values("competition").distinct().count() == 6
    assert Season.objects.open_for_applications().get().number == 4
    assert list(Application.objects.filter(season__number=4).values_list("status", "applicant__email")) == [
        ("draft", "youth@technopark.uz")
    ]


def test_seed_is_idempotent(seeded):
    from incubator import seed

    counts = (Application.objects.count(), Investment.objects.count(), Submission.objects.count())
    seed.run(stdout=io.StringIO())
    assert (Application.objects.count(), Investment.objects.count(), Submission.objects.count()) == counts


def test_seed_investor_day_venue_and_organisations_in_three_languages(seeded):
    """The venue, the organisations' names and the competitions' organisers in uz, ru and en; a
    person's name is written the same in all three (issue 15, item 5)."""
    from incubator import seed
    from incubator.models import Competition, Investor

    day = InvestorDay.objects.get()
    assert (day.venue_uz, day.venue_ru, day.venue_en) == seed.INVESTOR_DAY_VENUE
    assert len(set(seed.INVESTOR_DAY_VENUE)) == 3
    assert Investor.objects.count() == len(seed.INVESTORS)
    agency = Investor.objects.get(name_en="Youth Affairs Agency")
    assert (agency.name_uz, agency.name_ru) == ("Yoshlar ishlari agentligi", "Агентство по делам молодёжи")
    angel = Investor.objects.get(name_en="Farhod Yoʻldoshev")
    assert angel.name_uz == angel.name_ru == "Farhod Yoʻldoshev"
    for investor in Investor.objects.all():
        assert investor.name_uz and investor.name_ru and investor.name_en, investor.pk
    for competition in Competition.objects.all():
        assert competition.organiser_uz and competition.organiser_ru and competition.organiser_en, competition.slug
    ministry = Competition.objects.get(slug="ecoexpo-2025")
    assert len({ministry.organiser_uz, ministry.organiser_ru, ministry.organiser_en}) == 3


def test_seed_translates_the_investors_of_an_older_database(db):
    """Before migration 0009 an investor had one name; the migration put it in the Uzbek column. A
    later seed run finds it by that name and gives it its three names, without a second row."""
    from incubator import seed
    from incubator.models import Investor

    old = Investor.objects.create(name="Youth Affairs Agency", kind="government")
    Investor.objects.filter(pk=old.pk).update(name_uz="Youth Affairs Agency", name_ru=None, name_en=None)
    seed.seed_money_and_competitions()
    seed.seed_money_and_competitions()
    assert Investor.objects.count() == len(seed.INVESTORS)
    old.refresh_from_db()
    assert (old.name_uz, old.name_ru, old.name_en) == (
        "Yoshlar ishlari agentligi",
        "Агентство по делам молодёжи",
        "Youth Affairs Agency",
    )
    day = InvestorDay.objects.get()
    assert day.organiser.name_en == "Aloqa Venture" and day.venue_ru == seed.INVESTOR_DAY_VENUE[1]


def _people_rows():
    demo = {"season__number__in": [1, 2, 3]}
    return {
        "applications": Application.objects.filter(**demo).count(),
        "team members": TeamMember.objects.filter(**{f"application__{k}": v for k, v in demo.items()}).count(),
        "reviews": Review.objects.filter(**{f"application__{k}": v for k, v in demo.items()}).count(),
        "scores": ReviewScore.objects.filter(review__application__season__number__in=[1, 2, 3]).count(),
        "history": StatusChange.objects.filter(application__season__number__in=[1, 2, 3]).count(),
        "participants": Participant.objects.filter(**demo).count(),
    }


def test_seed_scale_multiplies_people_rows(seeded):
    from incubator import seed

    one = _people_rows()
    assert one == {
        "applications": 503,
        "team members": 600,
        "reviews": 970,
        "scores": 4850,
        "history": 503 + 18 + 485 * 2,
        "participants": 140,
    }
    money = (Startup.objects.count(), Investment.objects.count(), Submission.objects.count())
    out = io.StringIO()
    seed.run(stdout=out, scale=3)
    assert _people_rows() == {key: 3 * value for key, value in one.items()}
    assert (Startup.objects.count(), Investment.objects.count(), Submission.objects.count()) == money == (82, 30, 29)
    assert "1509 applications (2 × 503 new, 1940 new reviews), 420 participants, 82 startups" in out.getvalue()
    # each copy brings its own people: 3 × 600 distinct applicants and team members
    assert (
        TeamMember.objects.filter(application__season__number__in=[1, 2, 3]).values("email").distinct().count() == 1800
    )
    seed.run(stdout=io.StringIO(), scale=3)  # idempotent at any scale
    assert _people_rows() == {key: 3 * value for key, value in one.items()}


def test_roles_migration_grants(db):
    """Only managers decide; reviewers get nothing but the review ability."""
    manager = set(
        Group.objects.get(name="Incubator manager")
        .permissions.filter(content_type__app_label="incubator")
        .values_list("codename", flat=True)
    )
    reviewer = set(
        Group.objects.get(name="Reviewer")
        .permissions.filter(content_type__app_label="incubator")
        .values_list("codename", flat=True)
    )
    assert {"decide_application", "view_application", "add_startup", "add_investment"} <= manager
    assert reviewer == {"review_application"}
