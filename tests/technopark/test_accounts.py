"""Login by e-mail, logout, profile, password change and reset, and the login lockout."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from technopark.models import User
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "Fergana-Valley-2026"


@pytest.fixture
def person(db):
    return UserFactory(email="aziz.tursunov@example.uz", full_name="Aziz Tursunov", preferred_language="uz")


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_login_by_email_lands_on_the_dashboard(client, person):
    response = client.post(
        reverse("login"), {"username": "Aziz.Tursunov@Example.UZ", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain == [(reverse("dashboard"), 302)]
    assert logged_in_user_id(client) == str(person.pk)
    assert "Salom, Aziz Tursunov!" in response.content.decode()


@pytest.mark.django_db
def test_login_with_a_wrong_password_says_so_and_logs_nobody_in(client, person):
    response = client.post(reverse("login"), {"username": person.email, "password": "not-the-password"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Iltimos, toʻgʻri elektron pochta va parolni kiriting. Ahamiyat bering, ikkala maydonlar ham "
        "katta-kichik harfga sezgir boʻlishi mumkin."
    ]
    assert logged_in_user_id(client) is None


@pytest.mark.django_db
def test_login_form_is_in_the_current_language(client, person):
    response = client.post("/ru/account/login/", {"username": person.email, "password": "wrong"})
    assert response.context["form"].non_field_errors() == [
        "Пожалуйста, введите правильные электронная почта и пароль. Оба поля могут быть чувствительны к регистру."
    ]
    assert '<h1 class="h3 mb-3">Войти</h1>' in response.content.decode()


@pytest.mark.django_db
def test_logout_is_a_post_that_ends_the_session(client, person):
    client.force_login(person)
    assert client.get(reverse("logout")).status_code == 405  # a link cannot log anyone out
    assert logged_in_user_id(client) == str(person.pk)

    response = client.post(reverse("logout"), follow=True)

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert logged_in_user_id(client) is None
    assert client.get(reverse("dashboard")).status_code == 302


@pytest.mark.django_db
def test_profile_edit_saves_the_changes(client, person, districts):
    client.force_login(person)
    response = client.post(
        reverse("profile"),
        {
            "full_name": "Aziz Tursunov-Karimov",
            "phone": "+998935556677",
            "birth_date": "2005-01-30",
            "gender": "male",
            "district": str(districts[0].pk),
            "organisation": "Andijon davlat universiteti",
            "preferred_language": "en",
            "email": "hijack@example.uz",  # not a profile field: ignored
            "is_staff": "on",  # not a profile field: ignored
        },
        follow=True,
    )

    assert response.redirect_chain == [(reverse("profile"), 302)]
    person.refresh_from_db()
    assert person.full_name == "Aziz Tursunov-Karimov"
    assert person.phone == "+998935556677"
    assert person.birth_date == datetime.date(2005, 1, 30)
    assert person.gender == User.Gender.MALE
    assert person.district == districts[0]
    assert person.organisation == "Andijon davlat universiteti"
    assert person.preferred_language == "en"
    assert person.email == "aziz.tursunov@example.uz"
    assert person.is_staff is False
    assert "Profilingiz saqlandi." in response.content.decode()


@pytest.mark.django_db
def test_profile_edit_rejects_a_future_birth_date(client, person):
    client.force_login(person)
    data = {
        "full_name": person.full_name,
        "phone": person.phone,
        "birth_date": "2099-01-01",
        "gender": person.gender,
        "district": str(person.district_id),
        "organisation": person.organisation,
        "preferred_language": "uz",
    }
    response = client.post("/en/account/profile/", data)
    assert response.context["form"].errors == {"birth_date": ["The birth date must be in the past."]}
    person.refresh_from_db()
    assert person.birth_date == datetime.date(2007, 5, 17)


@pytest.mark.django_db
def test_password_change(client, person):
    client.force_login(person)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("password_change_done"), 302)]
    assert "Parolingiz oʻzgartirildi." in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert logged_in_user_id(client) == str(person.pk)  # the session survives the change


@pytest.mark.django_db
def test_password_change_needs_the_old_password(client, person):
    client.force_login(person)
    response = client.post(
        "/en/account/password/change/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.context["form"].errors == {
        "old_password": ["Your old password was entered incorrectly. Please enter it again."]
    }
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


@pytest.mark.django_db
def test_password_reset_by_email_link(client, person, tasks):
    response = client.post(reverse("password_reset"), {"email": "aziz.tursunov@example.uz"}, follow=True)
    assert response.redirect_chain == [(reverse("password_reset_done"), 302)]

    assert mail.outbox == []  # written into the outbox, sent by the worker
    tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aziz.tursunov@example.uz"]
    assert message.subject == "Andijon yoshlar texnoparkida parolni tiklash"
    assert "Siz Andijon yoshlar texnoparkidagi hisobingiz (aziz.tursunov@example.uz) parolini" in message.body
    link = re.search(r"http://127\.0\.0\.1:8000(/account/password/reset/\S+/\S+/)", message.body).group(1)

    response = client.get(link, follow=True)  # Django swaps the token for a session key
    set_password_url = response.redirect_chain[-1][0]
    assert set_password_url.endswith("/set-password/")
    assert response.context["validlink"] is True

    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)

    response = client.post(reverse("login"), {"username": person.email, "password": NEW_PASSWORD})
    assert response["Location"] == reverse("dashboard")
    assert logged_in_user_id(client) == str(person.pk)

    # The link works once only.
    client.logout()
    response = client.get(link, follow=True)
    assert response.context["validlink"] is False
    assert "Havola endi yaroqsiz" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, person, tasks):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.uz"}, follow=True)
    assert response.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert tasks() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_reset_mail_is_in_the_account_holders_language(client, person, tasks):
    # Asked for from a Russian page, for an account whose language is Uzbek: the message is Uzbek.
    client.post("/ru/account/password/reset/", {"email": person.email})
    russian = UserFactory(email="olga.kim@example.uz", preferred_language="ru")
    client.post("/en/account/password/reset/", {"email": russian.email})
    tasks()
    to = {message.to[0]: message for message in mail.outbox}
    assert to[person.email].subject == "Andijon yoshlar texnoparkida parolni tiklash"
    assert "http://127.0.0.1:8000/account/password/reset/" in to[person.email].body
    assert to[russian.email].subject == "Восстановление пароля в Андижанском молодёжном технопарке"
    assert "http://127.0.0.1:8000/ru/account/password/reset/" in to[russian.email].body


@pytest.mark.django_db
def test_ten_wrong_passwords_lock_the_account(client, person):
    login_url = reverse("login")
    for attempt in range(9):
        response = client.post(login_url, {"username": person.email, "password": f"wrong-{attempt}"})
        assert response.status_code == 200, attempt
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == ("aziz.tursunov@example.uz", 9)

    response = client.post(login_url, {"username": person.email, "password": "wrong-10"})
    assert response.status_code == 429
    content = response.content.decode()
    assert "Muvaffaqiyatsiz urinishlar juda koʻp" in content
    assert "bu hisob 30 daqiqaga bloklandi" in content

    # Even the right password is refused now, and nobody is logged in.
    response = client.post(login_url, {"username": person.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Muvaffaqiyatsiz urinishlar juda koʻp" in response.content.decode()
    assert logged_in_user_id(client) is None

    response = client.post("/ru/account/login/", {"username": person.email, "password": PASSWORD})
    assert "Слишком много неудачных попыток" in response.content.decode()


@pytest.mark.django_db
def test_a_successful_login_resets_the_failure_count(client, person):
    for attempt in range(5):
        client.post(reverse("login"), {"username": person.email, "password": f"wrong-{attempt}"})
    client.post(reverse("login"), {"username": person.email, "password": PASSWORD})
    assert logged_in_user_id(client) == str(person.pk)
    assert AccessAttempt.objects.count() == 0


@pytest.mark.django_db
def test_the_lockout_is_per_account_not_per_computer(client, person):
    """A school lab (or every visitor behind the reverse proxy) shares one IP address: one person's
    ten wrong passwords must not lock everybody else out."""
    classmate = UserFactory(email="classmate@example.uz")
    for attempt in range(10):
        client.post(reverse("login"), {"username": person.email, "password": f"wrong-{attempt}"})

    response = client.post(reverse("login"), {"username": classmate.email, "password": PASSWORD})

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(classmate.pk)


@pytest.mark.django_db
def test_the_lockout_counts_case_variants_of_the_email_together(client, person):
    for attempt, typed in enumerate(["AZIZ.TURSUNOV@EXAMPLE.UZ", "aziz.tursunov@example.uz"] * 5):
        client.post(reverse("login"), {"username": typed, "password": f"wrong-{attempt}"})
    response = client.post(reverse("login"), {"username": "Aziz.Tursunov@example.uz", "password": PASSWORD})
    assert response.status_code == 429
    assert logged_in_user_id(client) is None


@pytest.mark.django_db
def test_the_locked_page_states_the_configured_lockout_in_russian(client, person, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=5)
    settings.AXES_FAILURE_LIMIT = 2
    for attempt in range(2):
        response = client.post("/ru/account/login/", {"username": person.email, "password": f"wrong-{attempt}"})
    assert response.status_code == 429
    assert "Этот аккаунт заблокирован на 5 минут после" in response.content.decode()
