"""One rule, one place: the weighted review score, the season figures and the money conversion
are each written once, and every page, export, report and the demo data use that one."""

from decimal import Decimal

import pytest

from incubator import selectors
from incubator.models import Application, Review, ReviewScore
from incubator.services import convert_to_uzs
from tests.factories import UserFactory
from tests.incubator.factories import ApplicationFactory, SeasonFactory

pytestmark = pytest.mark.django_db


def _review(application, scores):
    review = Review.objects.create(application=application, reviewer=UserFactory())
    criteria = list(application.season.criteria.order_by("order"))
    for criterion, score in zip(criteria, scores, strict=False):
        ReviewScore.objects.create(review=review, criterion=criterion, score=score)
    return review


def test_weighted_score_in_python():
    # Problem ×2, Solution ×2, Team ×1: (5·2 + 3·2 + 4·1) / 5
    assert selectors.weighted_score([(5, 2), (3, 2), (4, 1)]) == 4.0
    assert selectors.weighted_score([(5, 2), (2, 1)]) == 4.0  # an unscored criterion does not count
    assert selectors.weighted_score([]) is None


def test_the_database_computes_the_same_weighted_score_as_python():
    season = SeasonFactory()
    application = ApplicationFactory(season=season, status=Application.Status.SUBMITTED)
    first = _review(application, [5, 3, 4])  # 4.0
    second = _review(application, [2, 2, 5])  # 2.6
    in_sql = dict(Review.objects.annotate(w=selectors.weighted_review_score()).values_list("pk", "w"))
    in_python = {
        review.pk: selectors.weighted_score((s.score, s.criterion.weight) for s in review.scores.all())
        for review in (first, second)
    }
    assert in_sql == pytest.approx(in_python) and in_python == pytest.approx({first.pk: 4.0, second.pk: 2.6})
    row = selectors.ranking(season).get(pk=application.pk)
    assert (row.mean_score, row.spread, row.review_count) == (pytest.approx(3.3), pytest.approx(1.4), 2)


@pytest.mark.parametrize(
    ("amount", "rate", "expected"),
    [
        ("20000", "12650.37", "253007400.00"),
        ("0.005", "1", "0.01"),  # half a tiyin rounds up, in UZS as in dollars
        ("0.015", "1", "0.02"),
        ("1.25", "0.5", "0.63"),
        ("100", "1", "100.00"),
    ],
)
def test_one_money_conversion_rounds_halves_up(amount, rate, expected):
    assert convert_to_uzs(Decimal(amount), Decimal(rate)) == Decimal(expected)


def test_the_impact_page_takes_its_season_figures_from_innox():
    from impact.selectors import _season_rows

    season = SeasonFactory()
    ApplicationFactory.create_batch(2, season=season, status=Application.Status.SUBMITTED)
    ApplicationFactory(season=season, status=Application.Status.ACCEPTED)
    ApplicationFactory(season=season)  # a draft counts nowhere
    innox = selectors.seasons_with_figures().get(pk=season.pk)
    impact = next(row for row in _season_rows("en") if row["pk"] == season.pk)
    assert (impact["applications"], impact["accepted"], impact["shortlisted"]) == (3, 1, 1)
    assert (innox.applications_count, innox.accepted_count, innox.shortlisted_count) == (3, 1, 1)
