"""E-mail confirmation, the same answer for a known address, and the language that follows the site."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from technopark import accounts
from technopark.models import User
from tests.factories import UserFactory

PASSWORD = "Andijan-Robot-2025"
LINK = re.compile(r"(http://127\.0\.0\.1:8000/\S*account/confirm/[^/\s]+/)")

pytestmark = pytest.mark.django_db

SUBJECTS = {
    "uz": "Elektron pochta manzilingizni tasdiqlang",
    "ru": "Подтвердите адрес электронной почты",
    "en": "Confirm your e-mail address",
}
PREFIX = {"uz": "", "ru": "/ru", "en": "/en"}


def url(name, lang="uz", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


@pytest.mark.parametrize("lang", ["uz", "ru", "en"])
def test_the_confirmation_comes_in_the_chosen_language_and_its_link_confirms(client, signup_data, tasks, lang):
    signup_data["preferred_language"] = lang
    client.post(url("signup", lang), signup_data)
    assert mail.outbox == []
    tasks()
    [message] = mail.outbox
    assert message.subject == SUBJECTS[lang]
    link = LINK.search(message.body).group(1)
    assert link.startswith(f"http://127.0.0.1:8000{PREFIX[lang]}/account/confirm/")
    html, _mime = message.alternatives[0]
    assert link in html

    response = client.get(link.removeprefix("http://127.0.0.1:8000"), follow=True)
    assert User.objects.get().email_confirmed_at is not None
    assert response.redirect_chain[-1][0].startswith(url("login", lang))
    response = client.post(url("login", lang), {"username": "laylo.karimova@example.uz", "password": PASSWORD})
    assert response.status_code == 302
    assert 'id="confirm-email"' not in client.get(url("dashboard", lang)).content.decode()


def test_a_known_address_gets_the_same_answer_and_its_owner_an_email(client, signup_data, tasks):
    owner = UserFactory(email="laylo.karimova@example.uz", preferred_language="ru")
    new = client.post(url("signup"), {**signup_data, "email": "someone.new@example.uz"})
    known = client.post(url("signup"), signup_data)
    assert (new.status_code, new["Location"]) == (known.status_code, known["Location"])
    assert User.objects.filter(email="laylo.karimova@example.uz").get() == owner
    assert not owner.__class__.objects.get(pk=owner.pk).check_password(PASSWORD)
    tasks()
    to_owner = [m for m in mail.outbox if m.to == [owner.email]]
    assert [m.subject for m in to_owner] == ["Кто-то пытался зарегистрироваться с вашим адресом"]
    assert "/ru/account/password/reset/" in to_owner[0].body


def test_a_wrong_or_expired_link_confirms_nothing(client, time_machine):
    person = UserFactory(email_confirmed_at=None)
    token = accounts.confirmation_token(person)
    assert client.get(url("confirm_email", token=token[:-2] + "xx")).status_code == 400
    time_machine.move_to(timezone.now() + accounts.CONFIRM_MAX_AGE + datetime.timedelta(minutes=1))
    response = client.get(url("confirm_email", token=token))
    assert response.status_code == 400
    assert "Havola ishlamayapti" in response.content.decode()
    person.refresh_from_db()
    assert person.email_confirmed_at is None


def test_a_token_for_an_old_address_does_not_confirm_a_new_one(client):
    person = UserFactory(email_confirmed_at=None, email="old@example.uz")
    token = accounts.confirmation_token(person)
    person.email = "new@example.uz"
    person.save()
    assert client.get(url("confirm_email", token=token)).status_code == 400


def test_resend_is_rate_limited(client, tasks, time_machine):
    person = UserFactory(email_confirmed_at=None, preferred_language="en")
    client.force_login(person)
    client.post(url("resend_confirmation", "en"))
    response = client.post(url("resend_confirmation", "en"), follow=True)
    assert "Please wait two minutes" in response.content.decode()
    for _ in range(4):
        time_machine.move_to(timezone.now() + datetime.timedelta(minutes=3))
        client.post(url("resend_confirmation"))
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=3))
    response = client.post(url("resend_confirmation", "en"), follow=True)
    assert "five times today" in response.content.decode()
    tasks()
    assert len(mail.outbox) == 5


def test_the_dashboard_asks_an_unconfirmed_person_to_confirm(client):
    person = UserFactory(email_confirmed_at=None)
    client.force_login(person)
    content = client.get(url("dashboard")).content.decode()
    assert 'id="confirm-email"' in content
    assert reverse("resend_confirmation") in content
    person.email_confirmed_at = timezone.now()
    person.save()
    assert 'id="confirm-email"' not in client.get(url("dashboard")).content.decode()


def test_an_unconfirmed_person_cannot_enrol_apply_or_book():
    person = UserFactory(email_confirmed_at=None)
    with pytest.raises(ValidationError) as error:
        accounts.require_confirmed_email(person)
    assert error.value.code == "email_unconfirmed"
    accounts.require_confirmed_email(UserFactory())


def test_the_preferred_language_follows_the_language_chosen_on_the_site(client, django_assert_num_queries):
    person = UserFactory(preferred_language="uz")
    client.force_login(person)
    client.get(url("dashboard", "uz"))
    # Opening a page in Russian directly (a link from an e-mail, a typed address) is not a choice.
    client.get(url("news_list", "ru"))
    person.refresh_from_db()
    assert person.preferred_language == "uz"
    # The switcher: the same page under another prefix, coming from this site's page.
    client.get(url("dashboard", "ru"), HTTP_REFERER="http://testserver" + url("dashboard", "uz"))
    person.refresh_from_db()
    assert person.preferred_language == "ru"
    client.get(url("news_list", "en"), HTTP_REFERER=url("news_list", "ru"))
    person.refresh_from_db()
    assert person.preferred_language == "en"
    # Another site's page, or another page of ours, is no switch.
    client.get(url("dashboard", "uz"), HTTP_REFERER="https://elsewhere.example/en/my/")
    client.get(url("dashboard", "uz"), HTTP_REFERER=url("news_list", "en"))
    person.refresh_from_db()
    assert person.preferred_language == "en"


def test_an_ordinary_page_view_costs_no_extra_query(client, django_assert_num_queries):
    person = UserFactory(preferred_language="uz")
    client.force_login(person)
    client.get(url("profile", "en"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as plain:
        client.get(url("password_change", "en"))
    with django_assert_num_queries(len(plain)):  # a Referer from another page of ours adds nothing
        client.get(url("password_change", "en"), HTTP_REFERER=url("profile", "en"))
