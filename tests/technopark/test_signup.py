"""Sign-up: a newcomer is asked to confirm the address; every bad input is explained next to its field."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from technopark.models import User
from tests.factories import UserFactory

PASSWORD = "Andijan-Robot-2025"


def signup_url(lang="uz"):
    with translation.override(lang):
        return reverse("signup")


def field_errors(response, field):
    """The error texts crispy renders right after the field's input (id="error_<n>_id_<field>")."""
    content = response.content.decode()
    found = re.findall(rf'<[a-z]+ id="error_\d+_id_{field}"[^>]*><strong>(.*?)</strong>', content, re.S)
    return [html.unescape(text) for text in found]


@pytest.mark.django_db
def test_signup_creates_the_account_and_asks_to_confirm_the_address(client, signup_data, districts):
    response = client.post(signup_url(), signup_data, follow=True)

    assert response.redirect_chain == [(reverse("signup_done"), 302)]
    user = User.objects.get()
    assert user.email == "laylo.karimova@example.uz"
    assert user.full_name == "Laylo Karimova"
    assert user.phone == "+998901112233"
    assert user.birth_date == datetime.date(2008, 4, 12)
    assert user.gender == User.Gender.FEMALE
    assert user.district == districts[3]
    assert user.organisation == "Asaka 12-maktab"
    assert user.preferred_language == "ru"
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert user.email_confirmed_at is None
    assert "_auth_user_id" not in client.session  # logged in only by the person who owns the address
    content = response.content.decode()
    assert "Elektron pochtangizni tekshiring" in content
    assert "laylo.karimova@example.uz" in content


@pytest.mark.django_db
def test_signup_normalises_the_email_to_lower_case(client, signup_data):
    signup_data["email"] = "Laylo.Karimova@Example.UZ"
    client.post(signup_url(), signup_data)
    assert list(User.objects.values_list("email", flat=True)) == ["laylo.karimova@example.uz"]


def _future():
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


# (field, value, language, expected message next to the field)
BAD_INPUT = [
    ("password2", "password123", "en", "This password is too common."),
    ("password2", "xk7Qp", "en", "This password is too short. It must contain at least 10 characters."),
    ("password2", "8462917530", "en", "This password is entirely numeric."),
    ("password2", "xk7Qp", "ru", "Введённый пароль слишком короткий. Он должен состоять из как минимум 10 символов."),
    (
        "password2",
        "Technopark2025",
        "en",
        "This password is made of the technopark's own names; choose one that others cannot guess.",
    ),
    ("phone", "+99890123456", "en", "Enter the phone number as +998 followed by 9 digits, e.g. +998901234567."),
    ("phone", "+7 901 234 56 78", "en", "Enter the phone number as +998 followed by 9 digits, e.g. +998901234567."),
    ("phone", "998901234567", "ru", "Введите номер телефона в формате +998 и 9 цифр, например +998901234567."),
    (
        "phone",
        "+9989012345678",
        "uz",
        "Telefon raqamini +998 va undan keyin 9 ta raqam koʻrinishida kiriting, masalan: +998901234567.",
    ),
    ("birth_date", _future, "en", "The birth date must be in the past."),
    ("birth_date", _future, "ru", "Дата рождения должна быть в прошлом."),
    ("birth_date", _future, "uz", "Tugʻilgan sana oʻtgan kunlardan biri boʻlishi kerak."),
    ("full_name", "", "en", "This field is required."),
    ("phone", "", "ru", "Обязательное поле."),
    ("organisation", "", "uz", "Ushbu maydon toʻldirilishi shart."),
    ("district", "", "en", "This field is required."),
    ("gender", "", "en", "This field is required."),
    ("birth_date", "", "en", "This field is required."),
    ("email", "", "en", "This field is required."),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "lang", "message"), BAD_INPUT)
def test_bad_signup_input_is_explained_next_to_the_field_and_saves_nothing(
    client, signup_data, field, value, lang, message
):
    existing = UserFactory(email="laylo.karimova@example.uz")
    signup_data["email"] = "another.person@example.uz"
    if field == "password2":
        signup_data["password1"] = value
    signup_data[field] = value() if callable(value) else value

    response = client.post(signup_url(lang), signup_data)

    assert response.status_code == 200
    assert lang == response.wsgi_request.LANGUAGE_CODE
    assert field_errors(response, field) == [message]
    assert list(User.objects.all()) == [existing]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signup_accepts_a_phone_typed_with_spaces_and_stores_it_compact(client, signup_data):
    signup_data["phone"] = "+998 90 111-22-33"
    client.post(signup_url(), signup_data)
    assert list(User.objects.values_list("phone", flat=True)) == ["+998901112233"]
