"""The season funnel the database keeps (incubator.SeasonFigures, kept by the triggers of migration
0010) equals a count from the records after every kind of change — also with writers of one season
at the same time — and the pages read it in one join whatever the number of applications."""

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incubator import selectors
from incubator.models import Application, Investment, Participant, Review, ReviewAssignment, Startup
from tests.factories import UserFactory
from tests.incubator.accelerator import scored
from tests.incubator.factories import (
    ApplicationFactory,
    InvestorFactory,
    ParticipantFactory,
    SeasonFactory,
    StartupFactory,
)

S = Application.Status
FIGURES = (
    "applications",
    "reviewed",
    "assignments",
    "reviews",
    "shortlisted",
    "accepted",
    "participants",
    "startups",
    "funded_startups",
    "investment_uzs",
)


def counted_from_records(season) -> dict:
    """The test's own count, straight from the records (the definition the triggers keep)."""
    applications = Application.objects.non_draft().filter(season=season)
    return {
        "applications": applications.count(),
        "reviewed": applications.filter(reviews__isnull=False).distinct().count(),
        "assignments": ReviewAssignment.objects.filter(application__in=applications).count(),
        "reviews": Review.objects.filter(application__in=applications).count(),
        "shortlisted": applications.filter(status__in=[S.SHORTLISTED, S.ACCEPTED]).count(),
        "accepted": applications.filter(status=S.ACCEPTED).count(),
        "participants": Participant.objects.filter(season=season).count(),
        "startups": Startup.objects.filter(season=season).count(),
        "funded_startups": Startup.objects.filter(season=season, investments__isnull=False).distinct().count(),
        "investment_uzs": Investment.objects.filter(startup__season=season).aggregate(s=Sum("uzs_value"))["s"]
        or Decimal("0"),
    }


def kept(season) -> dict:
    """What the pages read: ``seasons_with_figures``."""
    row = selectors.seasons_with_figures().get(pk=season.pk)
    return {name: getattr(row, "investment_uzs" if name == "investment_uzs" else f"{name}_count") for name in FIGURES}


def assert_kept(*seasons):
    for season in seasons:
        assert kept(season) == counted_from_records(season)


def review(application, reviewer=None, score=3):
    return scored(application, reviewer or UserFactory(), score)


def invest(startup, uzs="1000000"):
    return Investment.objects.create(
        startup=startup,
        investor=InvestorFactory(),
        amount=Decimal(uzs),
        date=date(2026, 5, 1),
        kind=Investment.Kind.GRANT,
        uzs_value=Decimal(uzs),
    )


@pytest.mark.django_db
def test_every_kind_of_change_keeps_the_figures_equal_to_the_records():
    spring, autumn = SeasonFactory(), SeasonFactory()
    assert_kept(spring, autumn)  # a season with nothing: zeros, with or without its row

    draft = ApplicationFactory(season=spring)  # drafts do not count
    submitted = ApplicationFactory(season=spring, status=S.SUBMITTED)
    assert_kept(spring)
    assert kept(spring)["applications"] == 1

    draft.status, draft.submitted_at = S.SUBMITTED, timezone.now()  # a submission
    draft.save()
    assert_kept(spring)

    first = review(submitted)  # with its assignment
    review(submitted)  # a second review: reviewed stays 1, reviews 2
    assert_kept(spring)
    assert (kept(spring)["reviewed"], kept(spring)["reviews"], kept(spring)["assignments"]) == (1, 2, 2)

    first.delete()
    assert_kept(spring)
    Review.objects.filter(application=submitted).delete()  # the last one: reviewed back to 0
    assert_kept(spring)
    assert kept(spring)["reviewed"] == 0

    submitted.status = S.SHORTLISTED
    submitted.save()
    assert_kept(spring)
    Application.objects.filter(pk=submitted.pk).update(status=S.ACCEPTED)  # a bulk update sends no signal
    assert_kept(spring)
    assert (kept(spring)["shortlisted"], kept(spring)["accepted"]) == (1, 1)

    Application.objects.filter(pk=draft.pk).update(season=autumn)  # moved to another season
    assert_kept(spring, autumn)

    ParticipantFactory(season=spring)
    startup = StartupFactory(season=spring)
    assert_kept(spring)
    investment = invest(startup, "2500000")
    invest(startup, "500000")
    assert_kept(spring)
    assert (kept(spring)["funded_startups"], kept(spring)["investment_uzs"]) == (1, Decimal("3000000"))

    investment.uzs_value = Decimal("4000000")  # a corrected rate
    investment.save()
    assert_kept(spring)
    Investment.objects.filter(startup=startup).delete()
    assert_kept(spring)
    assert kept(spring)["funded_startups"] == 0

    Startup.objects.filter(pk=startup.pk).update(season=autumn)
    Participant.objects.filter(season=spring).delete()
    assert_kept(spring, autumn)

    ReviewAssignment.objects.all().delete()
    Application.objects.filter(pk=submitted.pk).delete()  # withdrawn from the records altogether
    assert_kept(spring, autumn)


@pytest.mark.django_db
def test_bulk_created_rows_count_once_each():
    season = SeasonFactory()
    Application.objects.bulk_create(
        [ApplicationFactory.build(season=season, applicant=UserFactory(), status=S.SUBMITTED) for _ in range(7)]
        + [ApplicationFactory.build(season=season, applicant=UserFactory()) for _ in range(3)]
    )
    assert_kept(season)
    assert kept(season)["applications"] == 7


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_the_season_figures_are_one_query_at_any_size(size):
    season = SeasonFactory()
    for _ in range(size):
        application = ApplicationFactory(season=season, status=S.SUBMITTED)
        review(application)
    with CaptureQueriesContext(connection) as queries:
        rows = list(selectors.seasons_with_figures())
    assert len(queries) == 1
    assert next(r for r in rows if r.pk == season.pk).reviewed_count == size


@pytest.mark.django_db(transaction=True)
def test_writers_of_one_season_at_the_same_time_are_all_counted():
    """Twelve submissions and twelve reviews of one season in concurrent transactions: each
    recount waits for the one before and sees its committed rows, so nothing is lost."""
    season = SeasonFactory()
    drafts = [ApplicationFactory(season=season) for _ in range(12)]
    reviewed = [ApplicationFactory(season=season, status=S.SUBMITTED) for _ in range(12)]
    reviewers = [UserFactory() for _ in range(12)]
    start = threading.Barrier(24)
    errors = []

    def run(work):
        try:
            start.wait()
            with transaction.atomic():
                work()
                time.sleep(0.2)  # hold the transaction open: the others' recounts run meanwhile
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def submit(application):
        Application.objects.filter(pk=application.pk).update(status=S.SUBMITTED, submitted_at=timezone.now())

    threads = [threading.Thread(target=run, args=(lambda a=a: submit(a),)) for a in drafts]
    threads += [
        threading.Thread(target=run, args=(lambda a=a, r=r: review(a, r),))
        for a, r in zip(reviewed, reviewers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert_kept(season)
    assert (kept(season)["applications"], kept(season)["reviewed"]) == (24, 12)
