"""Safety trainings: sign-up with capacity and a waitlist (also under concurrency), cancelling moves
the waitlist up, the trainer marks results, passing grants the category's clearance with its
validity; the machine page shows the next sessions instead of a dead end; fixed query counts."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.urls import reverse
from django.utils import timezone, translation

from fablab import services
from fablab.models import Clearance, TrainingSession, TrainingSignup
from technopark import page_cache
from tests.factories import UserFactory

from .factories import ClearanceFactory, EquipmentCategoryFactory, EquipmentFactory, TrainingSessionFactory

Status = TrainingSignup.Status


@pytest.fixture
def laser(db):
    return EquipmentCategoryFactory(
        name="Laser cutting", name_en="Laser cutting", slug="laser", clearance_valid_days=180
    )


@pytest.fixture
def trotec(laser):
    return EquipmentFactory(category=laser, slug="trotec", requires_clearance=True, name="Trotec", name_en="Trotec")


@pytest.fixture
def session(laser):
    return TrainingSessionFactory(category=laser, capacity=2)


def _started(session):
    """The training has begun (results can be marked from its start)."""
    start = timezone.now() - datetime.timedelta(hours=1)
    TrainingSession.objects.filter(pk=session.pk).update(start=start, end=start + datetime.timedelta(hours=2))
    session.refresh_from_db()


# --- Services -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seats_then_the_waitlist_then_cancelling_moves_the_first_waiting_person_up(session, tasks):
    first, second, third, fourth = UserFactory.create_batch(4)
    assert services.training_sign_up(session=session, user=first).status == Status.SIGNED_UP
    assert services.training_sign_up(session=session, user=second).status == Status.SIGNED_UP
    waiting = services.training_sign_up(session=session, user=third)
    last = services.training_sign_up(session=session, user=fourth)
    assert (waiting.status, last.status) == (Status.WAITLISTED, Status.WAITLISTED)
    assert services.training_waitlist_position(last) == 2

    services.training_cancel_signup(signup=TrainingSignup.objects.get(user=first), by=first)

    statuses = dict(TrainingSignup.objects.values_list("user_id", "status"))
    assert statuses == {
        first.pk: Status.CANCELLED,
        second.pk: Status.SIGNED_UP,
        third.pk: Status.SIGNED_UP,  # moved up: first on the waitlist
        fourth.pk: Status.WAITLISTED,
    }
    assert services.training_waitlist_position(TrainingSignup.objects.get(user=fourth)) == 1


@pytest.mark.django_db
def test_a_second_sign_up_an_unconfirmed_address_and_a_past_session_are_refused(session, user):
    services.training_sign_up(session=session, user=user)
    with pytest.raises(ValidationError, match="already signed up"):
        services.training_sign_up(session=session, user=user)
    with pytest.raises(ValidationError, match="confirm your e-mail"):
        services.training_sign_up(session=session, user=UserFactory(email_confirmed_at=None))
    _started(session)
    with pytest.raises(ValidationError, match="closed"):
        services.training_sign_up(session=session, user=UserFactory())
    assert TrainingSignup.objects.count() == 1


@pytest.mark.django_db
def test_passing_grants_the_clearance_for_the_category_validity_from_the_training_day(session, trotec, user):
    signup = services.training_sign_up(session=session, user=user)
    with pytest.raises(ValidationError, match="once the training has started"):
        services.training_mark(signup=signup, result=Status.PASSED, by=session.trainer)
    _started(session)
    signup = services.training_mark(signup=signup, result=Status.PASSED, by=session.trainer)

    clearance = Clearance.objects.get(user=user)
    training_day = timezone.localtime(session.start).date()
    assert (clearance.category_id, clearance.granted_by_id) == (session.category_id, session.trainer_id)
    assert clearance.expires_on == training_day + datetime.timedelta(days=180)
    assert signup.clearance == clearance and signup.status == Status.PASSED
    # The booking rule now lets the person book the machine.
    start = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=3), datetime.time(10))
    )
    errors = services.booking_rule_errors(
        equipment=trotec, user=user, start=start, end=start + datetime.timedelta(hours=1)
    )
    assert [e.code for e in errors] == []


@pytest.mark.django_db
def test_passing_again_never_shortens_a_longer_clearance(session, user):
    later = timezone.localdate() + datetime.timedelta(days=400)
    ClearanceFactory(user=user, category=session.category, expires_on=later)
    signup = services.training_sign_up(session=session, user=user)
    _started(session)
    services.training_mark(signup=signup, result=Status.PASSED, by=session.trainer)
    assert Clearance.objects.get(user=user).expires_on == later


@pytest.mark.django_db
def test_only_the_trainer_or_a_manager_marks_and_a_pass_is_final(session, user, manager):
    signup = services.training_sign_up(session=session, user=user)
    _started(session)
    other_staff = UserFactory(is_staff=True)
    with pytest.raises(ValidationError, match="Only the trainer"):
        services.training_mark(signup=signup, result=Status.PASSED, by=other_staff)
    services.training_mark(signup=signup, result=Status.ABSENT, by=session.trainer)
    assert not Clearance.objects.filter(user=user).exists()
    services.training_mark(signup=signup, result=Status.PASSED, by=manager)  # a correction by a manager
    with pytest.raises(ValidationError, match="has passed"):
        services.training_mark(signup=signup, result=Status.FAILED, by=session.trainer)
    with pytest.raises(ValidationError, match="Choose passed"):
        services.training_mark(signup=signup, result="cancelled", by=session.trainer)
    assert TrainingSignup.objects.get().status == Status.PASSED


@pytest.mark.django_db
def test_raising_the_capacity_moves_the_waitlist_up_and_cancelling_the_session_tells_everyone(session, tasks):
    people = UserFactory.create_batch(4)
    for person in people:
        services.training_sign_up(session=session, user=person)
    moved = services.training_set_capacity(session=session, capacity=3)
    assert [s.user_id for s in moved] == [people[2].pk]
    assert services.training_session_cancel(session=session, by=session.trainer) == 4
    assert set(TrainingSignup.objects.values_list("status", flat=True)) == {Status.CANCELLED}
    assert TrainingSession.objects.get().status == TrainingSession.Status.CANCELLED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_more_people_than_seats_at_once_take_exactly_the_capacity():
    session = TrainingSessionFactory(capacity=5)
    people = UserFactory.create_batch(16)
    barrier = threading.Barrier(len(people))
    outcomes, lock = [], threading.Lock()

    def sign_up(person):
        try:
            barrier.wait(timeout=30)
            with translation.override("en"):
                result = services.training_sign_up(session=session, user=person).status
        except Exception as exc:  # recorded so that the assertion below shows it
            result = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=sign_up, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == sorted([Status.SIGNED_UP] * 5 + [Status.WAITLISTED] * 11)
    assert TrainingSignup.objects.filter(session=session, status=Status.SIGNED_UP).count() == 5
    assert TrainingSignup.objects.filter(session=session, status=Status.WAITLISTED).count() == 11
    # The waitlist's order is the order of arrival: positions 1..11 without gaps.
    positions = sorted(
        services.training_waitlist_position(s) for s in TrainingSignup.objects.filter(status=Status.WAITLISTED)
    )
    assert positions == list(range(1, 12))


# --- The machine page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_without_clearance_sees_the_next_sessions_and_signs_up(
    client, trotec, session, user, django_capture_on_commit_callbacks
):
    client.force_login(user)
    url = reverse("fablab:equipment_detail", kwargs={"slug": trotec.slug})
    page = client.get(url).content.decode()
    assert 'data-testid="needs-clearance"' in page
    assert page.count('data-testid="training-session"') == 1
    assert "2 seats left" in page and 'data-testid="training-sign-up"' in page

    # the sign-up's commit refreshes the kept training panel (the test's transaction never commits)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("fablab:training_sign_up", kwargs={"pk": session.pk}), {"machine": trotec.slug})
    assert response.url == url + "#training"
    page = client.get(response.url).content.decode()
    assert "You are signed up for the safety training" in page
    assert 'data-testid="my-signup" data-status="signed_up"' in page and "1 seat left" in page
    assert TrainingSignup.objects.get().user == user


@pytest.mark.django_db
def test_a_cleared_person_sees_the_clearance_and_the_fault_link_anonymous_people_a_log_in_link(
    client, trotec, session, user
):
    url = reverse("fablab:equipment_detail", kwargs={"slug": trotec.slug})
    assert 'data-testid="training-log-in"' in client.get(url).content.decode()
    ClearanceFactory(user=user, category=trotec.category, expires_on=datetime.date(2099, 1, 31))
    client.force_login(user)
    page = client.get(url).content.decode()
    assert "is valid until 31.01.2099" in page and 'data-testid="report-fault"' in page
    assert 'data-testid="needs-clearance"' not in page


@pytest.mark.django_db
def test_no_session_says_so_and_someone_elses_sign_up_cannot_be_cancelled(client, trotec, session, user, other_user):
    signup = services.training_sign_up(session=session, user=other_user)
    client.force_login(user)
    response = client.post(reverse("fablab:training_cancel", kwargs={"pk": signup.pk}))
    assert response.status_code == 404
    assert TrainingSignup.objects.get().status == Status.SIGNED_UP
    bare = EquipmentFactory(slug="lathe")
    page = client.get(reverse("fablab:equipment_detail", kwargs={"slug": bare.slug})).content.decode()
    assert 'data-testid="no-training"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 10])
def test_machine_page_query_count_is_fixed_with_sessions_and_sign_ups(
    client, django_assert_num_queries, trotec, laser, user, count
):
    for i in range(count):
        session = TrainingSessionFactory(category=laser, start=timezone.now() + datetime.timedelta(days=2, hours=i))
        services.training_sign_up(session=session, user=UserFactory())
        if i % 2 == 0:
            services.training_sign_up(session=session, user=user)
    client.force_login(user)
    url = reverse("fablab:equipment_detail", kwargs={"slug": trotec.slug})
    client.get(url)  # warm the session and the per-request caches
    # Session, user and 2 SAVEPOINT/RELEASE; the machine and the training panel are kept, the week
    # (blocks, weekly hours, exceptions) comes with the cached calendar (fablab views.equipment_detail).
    with django_assert_num_queries(4):
        kept = client.get(url).content.decode()
    # After a FabLab change: + the sessions with seats, the person's clearance and sign-ups.
    page_cache.bump("fablab")
    with django_assert_num_queries(8 + 3):  # + the week's three queries, its fragment is stale too
        page = client.get(url).content.decode()
    for shown in (kept, page):
        assert shown.count('data-testid="training-session"') == min(count, 5)
        assert shown.count('data-testid="my-signup"') == (min(count, 5) + 1) // 2


# --- The trainer's page -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_trainer_marks_a_pass_on_the_staff_page_and_others_get_404(client, session, user, other_user):
    signup = services.training_sign_up(session=session, user=user)
    _started(session)
    url = reverse("fablab:staff_training", kwargs={"pk": session.pk})
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 404
    client.force_login(other_user)
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("fablab:staff_training_mark", kwargs={"pk": signup.pk}), {"result": "passed"}).status_code
        == 404
    )

    client.force_login(session.trainer)
    page = client.get(url).content.decode()
    assert f'data-testid="mark-passed-{signup.pk}"' in page
    response = client.post(
        reverse("fablab:staff_training_mark", kwargs={"pk": signup.pk}), {"result": "passed"}, follow=True
    )
    page = response.content.decode()
    assert "passed: the clearance is granted" in page
    assert 'data-status="passed"' in page
    expires = (timezone.localtime(session.start).date() + datetime.timedelta(days=180)).strftime("%d.%m.%Y")
    assert f"Clearance until {expires}" in page
    assert Clearance.objects.get(user=user).expires_on.strftime("%d.%m.%Y") == expires
    assert client.get(reverse("fablab:staff_trainings")).content.decode().count('data-testid="staff-training-row"') == 1


@pytest.mark.django_db
def test_a_manager_sees_every_session_a_young_person_none(client, session, manager, user):
    TrainingSessionFactory()
    client.force_login(manager)
    assert client.get(reverse("fablab:staff_trainings")).content.decode().count('data-testid="staff-training-row"') == 2
    client.force_login(user)
    assert client.get(reverse("fablab:staff_trainings")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 10])
def test_staff_training_page_query_count_is_fixed(client, django_assert_num_queries, session, count):
    TrainingSession.objects.filter(pk=session.pk).update(capacity=count)
    for _ in range(count + 2):  # a full session and two on the waitlist
        services.training_sign_up(session=session, user=UserFactory())
    _started(session)
    for signup in TrainingSignup.objects.filter(status=Status.SIGNED_UP)[:1]:
        services.training_mark(signup=signup, result=Status.PASSED, by=session.trainer)
    client.force_login(session.trainer)
    url = reverse("fablab:staff_training", kwargs={"pk": session.pk})
    client.get(url)
    # Session, user, the training session, its sign-ups (with people and clearances) and 2
    # SAVEPOINT/RELEASE (the trainer is recognised by the session's trainer, no permission query),
    # and the personal-data access record (the roster names people).
    with django_assert_num_queries(7):
        page = client.get(url).content.decode()
    assert page.count('data-testid="participant"') == count
    assert page.count('data-testid="waitlisted"') == 2


@pytest.mark.django_db
def test_deleting_an_account_frees_the_seat_for_the_waitlist(session):
    from fablab import privacy

    leaving, staying, waiting = UserFactory.create_batch(3)
    for person in (leaving, staying, waiting):
        services.training_sign_up(session=session, user=person)
    privacy.erase(leaving)
    statuses = dict(TrainingSignup.objects.values_list("user_id", "status"))
    assert statuses == {leaving.pk: Status.CANCELLED, staying.pk: Status.SIGNED_UP, waiting.pk: Status.SIGNED_UP}
