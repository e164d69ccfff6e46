"""Waitlist offers under concurrency: no seat is given twice."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from programs import services
from programs.models import Enrolment, Intake
from tests.factories import UserFactory

from .factories import EnrolmentFactory, IntakeFactory

S = Enrolment.Status


def _race(targets):
    barrier = threading.Barrier(len(targets))
    outcomes = [None] * len(targets)  # in the order of the targets, not of finishing

    def run(index, func):
        try:
            barrier.wait()
            func()
            outcomes[index] = "ok"
        except ValidationError as error:
            outcomes[index] = error.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_seats_freed_at_once_make_two_offers_to_two_people_never_more():
    intake = IntakeFactory(capacity=2)
    seated = EnrolmentFactory.create_batch(2, intake=intake)
    waiting = [EnrolmentFactory(intake=intake, status=S.WAITLISTED) for _ in range(4)]
    outcomes = _race(
        [lambda e=e: services.enrolment_withdraw(enrolment=Enrolment.objects.get(pk=e.pk)) for e in seated]
    )
    assert outcomes == ["ok", "ok"]
    statuses = dict(Enrolment.objects.filter(pk__in=[w.pk for w in waiting]).values_list("pk", "status"))
    assert [statuses[w.pk] for w in waiting] == [S.OFFERED, S.OFFERED, S.WAITLISTED, S.WAITLISTED]
    assert Intake.objects.with_seats().get(pk=intake.pk).seats_taken == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_offer_accepted_twice_and_lapsing_at_once_gives_one_seat():
    intake = IntakeFactory(capacity=1)
    seated = EnrolmentFactory(intake=intake)
    first = EnrolmentFactory(intake=intake, status=S.WAITLISTED)
    EnrolmentFactory(intake=intake, status=S.WAITLISTED)
    services.enrolment_withdraw(enrolment=seated)
    first.refresh_from_db()
    assert first.status == S.OFFERED
    accept = lambda: services.offer_accept(enrolment=Enrolment.objects.get(pk=first.pk), user=first.user)  # noqa: E731
    decline = lambda: services.offer_decline(enrolment=Enrolment.objects.get(pk=first.pk), user=first.user)  # noqa: E731
    outcomes = _race([accept, accept, decline, services.offers_lapse])
    assert outcomes.count("ok") >= 2  # one accept or the decline won; the lapse job found nothing due
    assert Intake.objects.with_seats().get(pk=intake.pk).seats_taken == 1
    assert Enrolment.objects.filter(intake=intake, status__in=(S.ENROLLED, S.OFFERED)).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_more_accepts_and_enrolments_than_seats_never_exceed_the_capacity():
    intake = IntakeFactory(capacity=3)
    seated = EnrolmentFactory.create_batch(3, intake=intake)
    queue = [EnrolmentFactory(intake=intake, status=S.WAITLISTED) for _ in range(6)]
    for e in seated[:2]:
        services.enrolment_withdraw(enrolment=e)
    newcomers = UserFactory.create_batch(4)
    # everybody on the waitlist tries to accept (only two hold offers), and four newcomers enrol
    targets = [
        lambda q=q: services.offer_accept(enrolment=Enrolment.objects.get(pk=q.pk), user=q.user) for q in queue
    ] + [lambda u=u: services.enrolment_create(user=u, intake=Intake.objects.get(pk=intake.pk)) for u in newcomers]
    outcomes = _race(targets)
    assert outcomes[:6].count("ok") == 2 and outcomes[:6].count("not_open") == 4
    assert intake.enrolments.filter(status__in=Enrolment.SEAT_STATUSES).count() == 3
    assert intake.enrolments.filter(status=S.ENROLLED).count() == 3
    assert not intake.enrolments.filter(user__in=newcomers).exclude(status=S.WAITLISTED).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_freed_seat_filled_from_several_places_at_once_is_offered_once():
    """Two offers racing for one seat: the admin's save (more seats), the lapse job and a
    withdrawal elsewhere all try to fill the intake at the same moment; one seat, one offer."""
    intake = IntakeFactory(capacity=1)
    EnrolmentFactory(intake=intake)
    queue = [EnrolmentFactory(intake=intake, status=S.WAITLISTED) for _ in range(3)]
    Intake.objects.filter(pk=intake.pk).update(capacity=2)  # one more seat, not yet offered
    fill = lambda: services.intake_fill_from_waitlist(intake=Intake.objects.get(pk=intake.pk))  # noqa: E731
    outcomes = _race([fill, fill, fill, services.offers_lapse])
    assert outcomes == ["ok", "ok", "ok", "ok"]
    statuses = dict(Enrolment.objects.filter(pk__in=[q.pk for q in queue]).values_list("pk", "status"))
    assert [statuses[q.pk] for q in queue] == [S.OFFERED, S.WAITLISTED, S.WAITLISTED]
    assert Intake.objects.with_seats().get(pk=intake.pk).seats_taken == 2
    assert queue[0].history.filter(to_status=S.OFFERED).count() == 1
