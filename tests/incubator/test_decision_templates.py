"""Decision templates: per season and decision, subject and body in uz, ru and en with checked
placeholders; a preview with a real application; the decision message uses the season's template
when there is one (in the applicant's language, by e-mail and Telegram), the default otherwise."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from incubator import services
from incubator.models import Application, DecisionTemplate, StatusChange

from .accelerator import scored, submitted
from .test_messages import PREFIX, SITE, person, received

pytestmark = pytest.mark.django_db
S = Application.Status

TEXTS = {
    "subject_uz": "{season}: {project} kutish roʻyxatida",
    "subject_ru": "{season}: «{project}» в листе ожидания",
    "subject_en": "{season}: {project} is on the waiting list",
    "body_uz": "Hurmatli {name}, joy boʻshasa, sizga xabar beramiz.\n{feedback}",
    "body_ru": "Уважаемый(ая) {name}, если место освободится, мы сообщим.\n{feedback}",
    "body_en": "Dear {name}, if a place frees up we will tell you.\n{feedback}",
}


def template(season, decision=S.WAITLISTED, **texts):
    return DecisionTemplate.objects.create(season=season, decision=decision, **{**TEXTS, **texts})


@pytest.mark.parametrize(
    "text, problem",
    [
        ("Hello {nmae}", "Unknown placeholder {nmae}"),
        ("Hello {name.upper}", "Unknown placeholder {name.upper}"),
        ("Hello {0}", "Unknown placeholder {0}"),
        ("Hello {}", "Unknown placeholder {}"),
        ("Hello {name!r}", "Unknown placeholder {name}"),
        ("Hello {name:>10}", "Unknown placeholder {name}"),
        ("Hello {name", "A brace is not closed"),
        ("Hello }", "A brace is not closed"),
    ],
)
def test_bad_placeholders_are_refused_on_save(season, text, problem):
    with pytest.raises(ValidationError) as error:
        template(season, body_ru=text)
    assert problem in " ".join(error.value.message_dict["body_ru"])
    assert not DecisionTemplate.objects.exists()


def test_a_literal_brace_is_written_twice(season):
    saved = template(season, body_en="Dear {name}, {{this}} is kept.")
    application = submitted(season)
    assert saved.render(application, "en")["body"] == f"Dear {application.applicant.full_name}, {{this}} is kept."


def test_the_admin_form_shows_the_placeholder_error(client, manager, season):
    client.force_login(manager)
    data = {"season": season.pk, "decision": "accepted", **TEXTS, "subject_uz": "Salom {ism}"}
    response = client.post("/en/admin/incubator/decisiontemplate/add/", data)
    assert response.status_code == 200
    assert "Unknown placeholder {ism}" in response.content.decode()
    assert not DecisionTemplate.objects.exists()


def test_one_template_per_season_and_decision(season):
    template(season)
    with pytest.raises(Exception):  # noqa: B017 - the database's unique constraint
        template(season)


def test_preview_with_a_real_application_in_three_languages(client, manager, season):
    application = submitted(season, project_title="Tokcha", decision_message="")
    saved = template(season)
    client.force_login(manager)
    response = client.get(f"/en/innox/manage/decision-templates/{saved.pk}/preview/?application={application.pk}")
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{season.title_uz}: Tokcha kutish roʻyxatida" in page
    assert f"{season.title_ru}: «Tokcha» в листе ожидания" in page
    assert f"Dear {application.applicant.full_name}, if a place frees up" in page


def test_preview_is_for_the_manager_only(client, reviewer, season):
    saved = template(season)
    client.force_login(reviewer)
    assert client.get(f"/en/innox/manage/decision-templates/{saved.pk}/preview/").status_code == 403


def test_preview_of_another_seasons_application_is_refused_politely(client, manager, season):
    from .factories import SeasonFactory

    other = submitted(SeasonFactory())
    saved = template(season)
    client.force_login(manager)
    response = client.get(f"/en/innox/manage/decision-templates/{saved.pk}/preview/?application={other.pk}")
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


SUBJECTS = {
    "uz": "{season}: Tokcha kutish roʻyxatida",
    "ru": "{season}: «Tokcha» в листе ожидания",
    "en": "{season}: Tokcha is on the waiting list",
}
PHRASES = {
    "uz": "joy boʻshasa, sizga xabar beramiz",
    "ru": "если место освободится, мы сообщим",
    "en": "if a place frees up we will tell you",
}


@pytest.mark.parametrize("language", list(PREFIX))
def test_waitlisted_with_the_seasons_template_by_email_and_telegram(season, manager, tasks, telegram, language):
    template(season)
    applicant = person(language, chat_id="7101", full_name="Dilnoza Karimova")
    application = submitted(season, applicant=applicant, project_title="Tokcha")
    services.application_decide(
        application=application, actor=manager, decision=S.WAITLISTED, message="Yangi oʻrin mart oyida"
    )
    tasks()
    email, text = received(applicant.email, telegram, "7101")
    title = getattr(season, f"title_{language}")
    assert email.subject == SUBJECTS[language].format(season=title)
    for phrase in (PHRASES[language], "Dilnoza Karimova", "Yangi oʻrin mart oyida"):
        assert phrase in email.body and phrase in text
    assert f"{SITE}{PREFIX[language]}/innox/my/{application.pk}/" in email.body
    assert "{" not in email.body


def test_without_a_template_the_default_message_goes(season, manager, tasks):
    template(season, decision=S.ACCEPTED)  # another decision's template is not used
    applicant = person("en")
    application = submitted(season, applicant=applicant)
    services.application_decide(application=application, actor=manager, decision=S.WAITLISTED)
    tasks()
    [email] = mail.outbox
    assert email.subject == f"{season.title_en}: your application is Waitlisted"
    assert "is on the waiting list of" in email.body


def test_feedback_placeholder_points_a_rejected_team_to_shared_comments(season, manager, reviewer, tasks):
    template(season, decision=S.REJECTED, body_en="Dear {name}.\n{feedback}")
    applicant = person("en")
    application = submitted(season, applicant=applicant)
    scored(application, reviewer, 2, comment="Talk to farmers first.", shareable=True)
    services.application_decide(application=application, actor=manager, decision=S.REJECTED, message="Try again.")
    tasks()
    [email] = mail.outbox
    assert "Try again." in email.body and "The reviewers' feedback is on your application page." in email.body


@pytest.mark.parametrize("start", [S.SUBMITTED, S.UNDER_REVIEW, S.SHORTLISTED])
def test_waitlisted_is_a_decision_with_its_transitions(season, manager, start):
    application = submitted(season, status=start)
    services.application_decide(application=application, actor=manager, decision=S.WAITLISTED)
    application.refresh_from_db()
    assert application.status == S.WAITLISTED
    assert StatusChange.objects.filter(application=application, to_status=S.WAITLISTED).exists()


@pytest.mark.parametrize("end", [S.ACCEPTED, S.REJECTED])
def test_from_the_waiting_list_to_accepted_or_rejected(season, manager, end):
    application = submitted(season, status=S.WAITLISTED)
    services.application_decide(application=application, actor=manager, decision=end)
    application.refresh_from_db()
    assert application.status == end


def test_waitlisted_can_withdraw_but_not_go_back_to_the_shortlist(season, manager):
    application = submitted(season, status=S.WAITLISTED)
    with pytest.raises(ValidationError, match="cannot go from"):
        services.application_decide(application=application, actor=manager, decision=S.SHORTLISTED)
    services.application_withdraw(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN


def test_every_status_has_a_transition_row():
    assert set(services.TRANSITIONS) == set(S.values)
