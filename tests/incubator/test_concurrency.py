"""Simultaneous requests: the database, not luck, keeps one application per person per season
and one review per reviewer per application."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client

from incubator import services
from incubator.models import Application, Review, ReviewScore, StatusChange, TeamMember

from .factories import PDF_BYTES, ApplicationFactory, SeasonFactory, application_form_data

THREADS = 6


def _together(work, n=THREADS):
    """Run ``work(i)`` in n threads released at the same moment; return the results by i."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _application_form(i):
    return application_form_data(
        team_name=f"Team {i}",
        project_title=f"Project {i}",
        pitch_deck=SimpleUploadedFile(f"deck{i}.pdf", PDF_BYTES, content_type="application/pdf"),
        action="submit",
    )


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_make_exactly_one_application(user):
    season = SeasonFactory()
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(user)
        clients.append(client)

    responses = _together(lambda i: clients[i].post("/en/innox/apply/", _application_form(i)))

    assert not [r for r in responses if isinstance(r, Exception)], responses
    application = Application.objects.get()
    assert (application.season, application.applicant, application.status) == (season, user, "submitted")
    assert list(StatusChange.objects.values_list("from_status", "to_status")) == [("draft", "submitted")]
    assert list(TeamMember.objects.values_list("application", "email")) == [(application.pk, "aziza@example.uz")]
    winners = [r for r in responses if r.status_code == 302 and r["Location"].endswith(f"/innox/my/{application.pk}/")]
    assert len(winners) >= 1
    # Every other request was told why, and none failed with a server error.
    assert all(r.status_code in (200, 302) for r in responses)
    for response in responses:
        if response.status_code == 200:
            assert "You already have an application in this season" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_service_drafts_make_exactly_one_application(user):
    season = SeasonFactory()
    members = [{"name": "Aziza", "role": "Lead", "email": "aziza@example.uz"}]

    def draft(i):
        return services.application_save_draft(
            applicant=user, season=season, data={"team_name": f"Team {i}", "project_title": "P"}, members=members
        )

    results = _together(draft)

    created = [r for r in results if isinstance(r, Application)]
    refused = [r for r in results if not isinstance(r, Application)]
    assert len(created) == 1 and len(refused) == THREADS - 1
    assert {str(e.messages[0]) for e in refused} == {"You already have an application in this season: edit that one."}
    assert Application.objects.get().pk == created[0].pk
    assert TeamMember.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_reviewer_submitting_twice_at_once_makes_one_review(manager, reviewer):
    season = SeasonFactory()
    application = ApplicationFactory(season=season, status="submitted")
    services.reviewer_assign(application=application, reviewer=reviewer, assigned_by=manager)
    criteria = list(season.criteria.all())
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(reviewer)
        clients.append(client)

    def submit(i):
        data = {f"score_{c.pk}": str(1 + i % 5) for c in criteria} | {"comment": f"Attempt {i}"}
        return clients[i].post(f"/en/innox/review/{application.pk}/", data)

    responses = _together(submit)

    assert not [r for r in responses if isinstance(r, Exception)], responses
    review = Review.objects.get()
    assert review.reviewer == reviewer
    attempt = int(review.comment.split()[-1])
    assert sorted(ReviewScore.objects.values_list("score", flat=True)) == [1 + attempt % 5] * len(criteria)
    saved = [r for r in responses if r.status_code == 302]
    refused = [r for r in responses if r.status_code == 200]
    assert len(saved) == 1 and len(refused) == THREADS - 1
    for response in refused:
        page = response.content.decode()
        assert "You have already reviewed this application." in page or "You reviewed this application on" in page
