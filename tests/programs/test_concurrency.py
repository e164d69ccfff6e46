import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from programs import services
from programs.models import Enrolment, Intake
from tests.factories import UserFactory

from .factories import IntakeFactory

THREADS = 24
SEATS = 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_many_people_enrolling_at_once_never_exceed_the_seats():
    intake = IntakeFactory(capacity=SEATS)
    people = UserFactory.create_batch(THREADS)
    barrier = threading.Barrier(THREADS)
    results, errors = [], []

    def enrol(person):
        try:
            barrier.wait()
            enrolment = services.enrolment_create(user=person, intake=Intake.objects.get(pk=intake.pk))
            results.append(enrolment.status)
        except ValidationError as error:  # pragma: no cover - would be a failure below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(results).count(Enrolment.Status.ENROLLED) == SEATS
    assert sorted(results).count(Enrolment.Status.WAITLISTED) == THREADS - SEATS
    assert intake.enrolments.filter(status=Enrolment.Status.ENROLLED).count() == SEATS
    assert intake.enrolments.filter(status=Enrolment.Status.WAITLISTED).count() == THREADS - SEATS
    # The waitlist has a strict order: positions 1..19 with no gaps.
    positions = sorted(services.waitlist_position(e) for e in intake.enrolments.filter(status="waitlisted"))
    assert positions == list(range(1, THREADS - SEATS + 1))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_person_double_clicking_gets_one_enrolment():
    intake = IntakeFactory(capacity=SEATS)
    person = UserFactory()
    barrier = threading.Barrier(8)
    outcomes = []

    def enrol():
        try:
            barrier.wait()
            services.enrolment_create(user=person, intake=Intake.objects.get(pk=intake.pk))
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] + ["refused"] * 7
    assert Enrolment.objects.filter(user=person).count() == 1
