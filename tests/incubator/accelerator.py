"""Helpers shared by the accelerator tests (review phases, calibration, office hours, figures)."""

import datetime

from django.utils import timezone

from incubator.models import Application, Mentor, Review, ReviewAssignment, ReviewScore
from tests.factories import UserFactory

from .factories import ApplicationFactory, ParticipantFactory, StartupFactory

S = Application.Status


def scored(application, reviewer, score, comment="", shareable=False, per_criterion=None):
    """A review scoring every criterion ``score`` (or ``per_criterion``: {criterion name: score})."""
    ReviewAssignment.objects.get_or_create(application=application, reviewer=reviewer)
    review = Review.objects.create(application=application, reviewer=reviewer, comment=comment, shareable=shareable)
    ReviewScore.objects.bulk_create(
        ReviewScore(review=review, criterion=c, score=(per_criterion or {}).get(c.name, score))
        for c in application.season.criteria.all()
    )
    return review


def submitted(season, **kwargs):
    return ApplicationFactory(season=season, status=kwargs.pop("status", S.UNDER_REVIEW), **kwargs)


def founder_of(startup, **user_kwargs):
    """A person with an account who is a founder of ``startup``."""
    person = UserFactory(**user_kwargs)
    participant = ParticipantFactory(season=startup.season, user=person, name=person.full_name, email=person.email)
    startup.founders.add(participant)
    return person


def running_startup(**kwargs):
    """A startup whose season's programme began three months ago."""
    startup = StartupFactory(**kwargs)
    season = startup.season
    season.programme_start = timezone.localdate() - datetime.timedelta(days=95)
    season.save(update_fields=["programme_start"])
    return startup


def mentor(**user_kwargs):
    return Mentor.objects.create(
        user=UserFactory(**user_kwargs), headline="Growth", expertise="fintech, marketing", languages="uz,ru"
    )
