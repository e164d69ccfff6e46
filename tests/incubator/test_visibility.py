"""Who sees what: the permission ladder of an application, scores hidden from a reviewer until
their own review (review page, ranking, CSV, admin), conflicts, anonymised feedback."""

import pytest
from django.core import mail

from incubator import services
from incubator.models import Application, Review

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def application(season, user):
    return ApplicationFactory(season=season, applicant=user, status=S.SUBMITTED, team_name="Aqlli Bogʻ")


@pytest.fixture
def conflicted(reviewer, application):
    services.conflict_declare(application=application, reviewer=reviewer, reason="My brother is in the team")
    return reviewer


def _urls(app):
    return {
        "mine": f"/en/innox/my/{app.pk}/",
        "review": f"/en/innox/review/{app.pk}/",
        "deck": f"/en/innox/applications/{app.pk}/pitch-deck/",
        "ranking": f"/en/innox/manage/seasons/{app.season.number}/ranking/",
        "csv": f"/en/innox/manage/seasons/{app.season.number}/applications.csv",
        "reviews_csv": f"/en/innox/manage/seasons/{app.season.number}/reviews.csv",
        "admin": f"/en/admin/incubator/application/{app.pk}/change/",
        "admin_reviews": "/en/admin/incubator/review/",
    }


# who → expected status of each URL (302 = to the login page)
LADDER = {
    "anonymous": dict.fromkeys(
        ["mine", "review", "deck", "ranking", "csv", "reviews_csv", "admin", "admin_reviews"], 302
    ),
    "applicant": {
        "mine": 200,
        "review": 404,
        "deck": 200,
        "ranking": 403,
        "csv": 403,
        "reviews_csv": 403,
        "admin": 302,
        "admin_reviews": 302,
    },
    "other applicant": {
        "mine": 404,
        "review": 404,
        "deck": 404,
        "ranking": 403,
        "csv": 403,
        "reviews_csv": 403,
        "admin": 302,
        "admin_reviews": 302,
    },
    "reviewer": {
        "mine": 404,
        "review": 200,
        "deck": 200,
        "ranking": 403,
        "csv": 403,
        "reviews_csv": 403,
        "admin": 403,
        "admin_reviews": 403,
    },
    "reviewer with conflict": {
        "mine": 404,
        "review": 404,
        "deck": 404,
        "ranking": 403,
        "csv": 403,
        "reviews_csv": 403,
        "admin": 403,
        "admin_reviews": 403,
    },
    "manager": {
        "mine": 404,
        "review": 200,
        "deck": 200,
        "ranking": 200,
        "csv": 200,
        "reviews_csv": 200,
        "admin": 200,
        "admin_reviews": 200,
    },
}


@pytest.mark.parametrize("who", list(LADDER))
def test_permission_ladder(client, request, application, who):
    person = {
        "anonymous": None,
        "applicant": "user",
        "other applicant": "other_user",
        "reviewer": "reviewer",
        "reviewer with conflict": "conflicted",
        "manager": "manager",
    }[who]
    if person:
        client.force_login(request.getfixturevalue(person))
    got = {}
    for name, url in _urls(application).items():
        response = client.get(url)
        got[name] = response.status_code
        if response.status_code == 302:
            assert "login" in response["Location"], (name, response["Location"])
        if response.status_code == 200 and name in ("mine", "review"):
            assert f"<h1>{application.project_title}</h1>" in response.content.decode()
        if response.status_code == 200 and name == "deck":
            assert b"".join(response.streaming_content).startswith(b"%PDF-")
        if response.status_code == 200 and name == "csv":
            assert f",{application.team_name}," in response.content.decode("utf-8-sig")
    assert got == LADDER[who]


def test_conflicted_reviewer_cannot_pick_or_review(client, application, conflicted, manager):
    client.force_login(conflicted)
    assert client.post(f"/en/innox/review/{application.pk}/pick/").status_code == 404
    assert client.post(f"/en/innox/review/{application.pk}/conflict/", {"reason": "again"}).status_code == 404
    assert application.project_title not in client.get("/en/innox/review/pool/").content.decode()
    assert application.project_title not in client.get("/en/innox/review/").content.decode()
    # nor can the manager assign them
    client.force_login(manager)
    client.post(
        f"/en/innox/manage/seasons/{application.season.number}/ranking/",
        {"action": "assign", "applications": [application.pk], "reviewer": conflicted.pk},
    )
    assert not application.assignments.exists()


def _review(application, reviewer, scores, comment):
    criteria = list(application.season.criteria.order_by("order"))
    services.reviewer_assign(application=application, reviewer=reviewer, assigned_by=reviewer)
    return services.review_submit(
        application=application,
        reviewer=reviewer,
        scores=dict(zip([c.pk for c in criteria], scores, strict=True)),
        comment=comment,
    )


def test_reviewer_sees_no_scores_before_own_review(client, application, reviewer, reviewer2):
    _review(application, reviewer2, [2, 1, 3], "Weak market analysis")
    client.force_login(reviewer)
    client.post(f"/en/innox/review/{application.pk}/pick/")
    page = client.get(f"/en/innox/review/{application.pk}/").content.decode()
    assert "1 review so far. Other reviewers' scores appear after you submit your own." in page
    assert "Weak market analysis" not in page and reviewer2.full_name not in page
    assert "Problem: 2" not in page and "Weighted" not in page
    assert client.get(f"/en/innox/manage/seasons/{application.season.number}/ranking/").status_code == 403
    assert client.get(f"/en/innox/manage/seasons/{application.season.number}/reviews.csv").status_code == 403
    assert client.get("/en/admin/incubator/review/").status_code == 403
    assert client.get("/en/admin/incubator/reviewscore/").status_code == 404  # only an inline of reviews
    review = Review.objects.get(reviewer=reviewer2)
    assert client.get(f"/en/admin/incubator/review/{review.pk}/change/").status_code == 403
    # after their own review, they see the other one with its scores
    criteria = list(application.season.criteria.order_by("order"))
    client.post(
        f"/en/innox/review/{application.pk}/",
        {f"score_{c.pk}": "4" for c in criteria} | {"comment": "Strong team"},
    )
    page = client.get(f"/en/innox/review/{application.pk}/").content.decode()
    assert "Weak market analysis" in page and reviewer2.full_name in page
    assert "Problem: 2, Solution: 1, Team: 3" in page


@pytest.fixture
def rejected_with_feedback(application, reviewer, reviewer2, manager, tasks):
    reviewer.full_name, reviewer2.full_name = "Malika Ergasheva", "Bobur Toshpoʻlatov"
    reviewer.save()
    reviewer2.save()
    _review(application, reviewer, [2, 2, 2], f"Thin market research. — {reviewer.full_name}")
    _review(
        application,
        reviewer2,
        [1, 2, 3],
        f"Ask {reviewer.full_name.split()[0]} about the pilot; write to {reviewer2.email.upper()}",
    )
    services.application_decide(
        application=application, actor=manager, decision=S.REJECTED, message="Try again", share_feedback=True
    )
    tasks()
    return application


def test_rejected_applicant_sees_anonymised_feedback(client, rejected_with_feedback, user, reviewer, reviewer2):
    client.force_login(user)
    page = client.get(f"/en/innox/my/{rejected_with_feedback.pk}/").content.decode()
    assert "<li>Thin market research. — [a reviewer]</li>" in page
    assert "<li>Ask [a reviewer] about the pilot; write to [a reviewer]</li>" in page
    for secret in (
        reviewer.full_name,
        reviewer2.full_name,
        reviewer.email,
        reviewer2.email,
        *reviewer.full_name.split(),
    ):
        assert secret.lower() not in page.lower(), secret
    assert "Problem: 2" not in page
    # the applicant's language is Uzbek: so is the e-mail, which names no reviewer either
    assert user.preferred_language == "uz"
    [decision] = [m for m in mail.outbox if m.to == [user.email]]
    assert "Ekspertlarning fikrlari ariza sahifangizda." in decision.body
    assert "Malika" not in decision.body and "Bobur" not in decision.body


def test_feedback_not_shared_unless_manager_chose(client, application, reviewer, manager, user):
    _review(application, reviewer, [2, 2, 2], "Thin market research.")
    services.application_decide(application=application, actor=manager, decision=S.REJECTED)
    client.force_login(user)
    page = client.get(f"/en/innox/my/{application.pk}/").content.decode()
    assert "Thin market research." not in page and 'id="review-feedback"' not in page


def test_feedback_never_shared_with_an_accepted_team(client, application, reviewer, manager, user):
    _review(application, reviewer, [5, 5, 5], "Excellent.")
    services.application_decide(application=application, actor=manager, decision=S.ACCEPTED, share_feedback=True)
    application.refresh_from_db()
    assert application.share_feedback is False
    client.force_login(user)
    assert "Excellent." not in client.get(f"/en/innox/my/{application.pk}/").content.decode()
