"""Team confirmations (issue 13, item 1): members named in an application get an invitation with a
signed, single-use, expiring link; they confirm with their own account (created if needed); the
applicant sees who confirmed; a season can require every member to confirm before submission."""

import datetime
import re
from urllib.parse import quote

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from incubator import services
from incubator.models import Application, TeamMember
from notifications.models import TelegramLink
from technopark.models import User
from tests.factories import UserFactory

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db
S = Application.Status
SITE = "http://127.0.0.1:8000"
PREFIX = {"uz": "", "ru": "/ru", "en": "/en"}

INVITATION = {
    "uz": ("“Tokcha” jamoasidagi oʻrningizni tasdiqlang", "oʻz jamoasi aʼzosi sifatida koʻrsatdi"),
    "ru": ("Подтвердите участие в команде «Tokcha»", "указал(а) вас участником своей команды"),
    "en": ("Confirm your place in the team “Tokcha”", "named you as a member of their team"),
}


def members(*emails):
    return [{"name": "Kamola", "role": "Lead", "email": "kamola@example.uz"}] + [
        {"name": f"Member {email.split('@')[0]}", "role": "Dev", "email": email} for email in emails
    ]


def save_draft(season, applicant, emails, application=None):
    return services.application_save_draft(
        applicant=applicant,
        season=season,
        data={"team_name": "Tokcha", "project_title": "Smart irrigation", "problem": "P", "solution": "S"},
        members=members(*emails),
        application=application,
    )


@pytest.fixture
def applicant(db):
    return UserFactory(email="kamola@example.uz", full_name="Kamola Yusupova", preferred_language="uz")


def invitation_link(email_address):
    [message] = [m for m in mail.outbox if m.to == [email_address]]
    return re.search(r"http://127\.0\.0\.1:8000(\S*/innox/team/confirm/\S+/)", message.body).group(1)


@pytest.mark.parametrize("language", list(PREFIX))
def test_a_member_without_an_account_is_invited_by_email_in_the_applicants_language(season, applicant, tasks, language):
    applicant.preferred_language = language
    applicant.save()
    save_draft(season, applicant, ["madina@example.uz"])
    tasks()
    [message] = mail.outbox  # the applicant's own row is confirmed, not invited
    subject, phrase = INVITATION[language]
    assert message.to == ["madina@example.uz"]
    assert message.subject == subject
    assert phrase in message.body and "Kamola Yusupova" in message.body
    assert f"{SITE}{PREFIX[language]}/innox/team/confirm/" in message.body
    [(html, _mimetype)] = message.alternatives
    assert f'href="{SITE}{PREFIX[language]}/innox/team/confirm/' in html


@pytest.mark.parametrize("language", list(PREFIX))
def test_a_member_with_an_account_is_invited_in_their_language_also_on_telegram(
    season, applicant, tasks, telegram, language
):
    member = UserFactory(email="madina@example.uz", preferred_language=language)
    TelegramLink.objects.create(user=member, chat_id="8001", linked_at=timezone.now())
    save_draft(season, applicant, ["Madina@Example.uz"])
    tasks()
    subject, phrase = INVITATION[language]
    [message] = mail.outbox
    [sent] = telegram.sent()
    assert message.to == ["madina@example.uz"] and message.subject == subject
    assert sent["chat_id"] == "8001" and sent["text"].startswith(subject + "\n")
    for body in (message.body, sent["text"]):
        assert phrase in body and f"{SITE}{PREFIX[language]}/innox/team/confirm/" in body


def test_saving_the_draft_again_keeps_invitations_and_confirmations(season, applicant, tasks):
    application = save_draft(season, applicant, ["madina@example.uz", "bobur@example.uz"])
    tasks()
    assert len(mail.outbox) == 2
    lead = application.members.get(email="kamola@example.uz")
    assert lead.confirmed_at is not None and lead.user == applicant
    madina = application.members.get(email="madina@example.uz")
    save_draft(season, applicant, ["madina@example.uz", "aziz@example.uz"], application=application)
    tasks()
    assert [m.to for m in mail.outbox[2:]] == [["aziz@example.uz"]]  # only the new member
    assert application.members.get(email="madina@example.uz").pk == madina.pk
    assert not application.members.filter(email="bobur@example.uz").exists()


def test_sign_up_from_the_invitation_confirms_the_place(client, season, applicant, tasks):
    application = save_draft(season, applicant, ["madina@example.uz"])
    tasks()
    link = invitation_link("madina@example.uz")
    page = client.get(link)
    assert page.status_code == 200
    assert page.context["signup_form"] is not None
    assert 'value="madina@example.uz"' in page.content.decode()
    response = client.post(
        link,
        {
            "full_name": "Madina Karimova",
            "email": "someone.else@example.uz",  # a disabled field: the invited address is kept
            "phone": "+998901112233",
            "birth_date": "2006-03-04",
            "gender": "female",
            "district": applicant.district_id,
            "organisation": "ADU",
            "preferred_language": "uz",
            "password1": "Yangi-parol-2026!",
            "password2": "Yangi-parol-2026!",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/my/"
    user = User.objects.get(email="madina@example.uz")
    assert not User.objects.filter(email="someone.else@example.uz").exists()
    member = application.members.get(email="madina@example.uz")
    assert member.user == user and member.confirmed_at is not None
    assert user.email_confirmed_at is not None  # the link reached the address
    assert int(client.session["_auth_user_id"]) == user.pk
    again = client.get(link)
    assert again.status_code == 410
    assert "Bu taklifdan allaqachon foydalanilgan" in again.content.decode()  # the new account reads Uzbek


def test_an_existing_account_signs_in_then_confirms_and_the_applicant_sees_it(client, season, applicant, tasks):
    member_user = UserFactory(email="madina@example.uz")
    application = save_draft(season, applicant, ["madina@example.uz"])
    tasks()
    link = invitation_link("madina@example.uz")
    page = client.get(link).content.decode()
    assert f'id="sign-in-to-confirm" href="/account/login/?next={quote(link)}"' in page
    other = UserFactory()
    client.force_login(other)
    page = client.get(link).content.decode()
    assert "Bu taklif madina@example.uz uchun" in page and 'id="confirm-place"' not in page
    refused = client.post(link)
    assert refused.status_code == 302
    assert application.members.get(email="madina@example.uz").confirmed_at is None
    client.force_login(member_user)
    assert 'id="confirm-place"' in client.get(link).content.decode()
    assert client.post(link).status_code == 302
    assert application.members.get(email="madina@example.uz").user == member_user
    client.force_login(applicant)
    page = client.get(f"/en/innox/my/{application.pk}/").content.decode()
    confirmations = page[page.index('id="team-confirmations"') :]
    assert "Member madina" in confirmations and "confirmed" in confirmations
    assert "invited, not confirmed yet" not in confirmations


def test_a_link_from_the_invitation_is_signed_single_use_and_expires(client, season, applicant, tasks, time_machine):
    save_draft(season, applicant, ["madina@example.uz"])
    tasks()
    link = invitation_link("madina@example.uz")
    assert link.startswith("/innox/")  # Uzbek, the applicant's language: no prefix
    link = "/en" + link
    tampered = link.replace("/confirm/", "/confirm/x")
    response = client.get(tampered)
    assert response.status_code == 404 and "This invitation link is not valid" in response.content.decode()
    assert client.get("/en/innox/team/confirm/not-a-token/").status_code == 404
    time_machine.move_to(timezone.now() + services.INVITE_MAX_AGE + datetime.timedelta(minutes=1))
    response = client.get(link)
    assert response.status_code == 410 and "has expired" in response.content.decode()


def test_an_expired_invitation_is_sent_again_when_the_draft_is_saved(season, applicant, tasks, time_machine):
    application = save_draft(season, applicant, ["madina@example.uz"])
    tasks()
    old_link = invitation_link("madina@example.uz")
    time_machine.move_to(timezone.now() + datetime.timedelta(days=3))
    save_draft(season, applicant, ["madina@example.uz"], application=application)
    tasks()
    assert len(mail.outbox) == 1  # still valid: not sent again
    time_machine.move_to(timezone.now() + services.INVITE_MAX_AGE)
    mail.outbox.clear()
    season.application_closes = timezone.now() + datetime.timedelta(days=5)
    season.save()
    save_draft(season, applicant, ["madina@example.uz"], application=application)
    tasks()
    assert invitation_link("madina@example.uz") != old_link


def test_a_removed_member_cannot_use_their_link(client, season, applicant, tasks):
    application = save_draft(season, applicant, ["madina@example.uz"])
    tasks()
    link = invitation_link("madina@example.uz")
    save_draft(season, applicant, [], application=application)
    client.force_login(UserFactory(email="madina@example.uz"))
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404


def test_the_season_can_require_every_member_to_confirm_before_submission(client, season, applicant, tasks):
    season.team_must_confirm = True
    season.save()
    application = ApplicationFactory(season=season, applicant=applicant, team_name="Tokcha", members=None)
    application.members.all().delete()
    application = save_draft(season, applicant, ["madina@example.uz"], application=application)
    tasks()
    client.force_login(applicant)
    response = client.post("/en/innox/apply/", _form_of(application, action="submit"), follow=True)
    page = response.content.decode()
    assert "Every team member must confirm their place before you submit. Not confirmed yet: Member madina." in page
    assert Application.objects.get(pk=application.pk).status == S.DRAFT
    with pytest.raises(ValidationError):
        services.application_submit(application=application, actor=applicant)
    member = UserFactory(email="madina@example.uz")
    services.team_member_confirm(
        token=services.team_invite_token(application.members.get(email=member.email)), user=member
    )
    services.application_submit(application=application, actor=applicant)
    assert Application.objects.get(pk=application.pk).status == S.SUBMITTED


def test_without_the_setting_a_team_submits_before_members_confirm(season, applicant, tasks):
    application = ApplicationFactory(season=season, applicant=applicant)
    save_draft(season, applicant, ["madina@example.uz"], application=application)
    services.application_submit(application=application, actor=applicant)
    assert Application.objects.get(pk=application.pk).status == S.SUBMITTED
    assert TeamMember.objects.get(email="madina@example.uz").confirmed_at is None


def _form_of(application, **extra):
    data = {
        "team_name": application.team_name,
        "project_title": application.project_title,
        "problem": application.problem,
        "solution": application.solution,
        "industry": application.industry,
        "stage": application.stage,
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "6",
        "members-0-name": "Kamola",
        "members-0-role": "Lead",
        "members-0-email": "kamola@example.uz",
        "members-1-name": "Member madina",
        "members-1-role": "Dev",
        "members-1-email": "madina@example.uz",
    }
    data.update(extra)
    return data


def test_signing_up_for_an_address_that_meanwhile_has_an_account_is_refused(season, applicant, tasks):
    """Two tabs: the member signed up in one; the sign-up form of the other makes no second account."""
    from incubator.forms import TeamInvitationSignUpForm

    application = save_draft(season, applicant, ["madina@example.uz"])
    tasks()
    token = invitation_link("madina@example.uz").rstrip("/").rsplit("/", 1)[1]
    form = TeamInvitationSignUpForm(
        {
            "full_name": "Madina Karimova",
            "phone": "+998901112233",
            "birth_date": "2006-03-04",
            "gender": "female",
            "district": applicant.district_id,
            "organisation": "ADU",
            "preferred_language": "uz",
            "password1": "Yangi-parol-2026!",
            "password2": "Yangi-parol-2026!",
        },
        email="madina@example.uz",
    )
    assert form.is_valid(), form.errors
    UserFactory(email="Madina@example.uz")
    with pytest.raises(ValidationError, match="exists already: sign in to confirm"):
        services.team_member_sign_up_and_confirm(token=token, form=form)
    assert User.objects.filter(email__iexact="madina@example.uz").count() == 1
    assert application.members.get(email="madina@example.uz").confirmed_at is None
