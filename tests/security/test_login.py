"""Password spraying is stopped per address; passwords shorter than 10 characters, common or
made of the portal's names are refused."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.technopark.conftest import signup_data  # noqa: F401 (fixture)
from tests.technopark.test_signup import field_errors, signup_url


@pytest.mark.django_db
def test_thirteen_wrong_passwords_to_thirteen_accounts_from_one_address_lock_that_address(client):
    accounts = [UserFactory(email=f"pupil{i}@example.uz") for i in range(14)]
    statuses = [
        client.post(reverse("login"), {"username": a.email, "password": "Spring2026!"}, REMOTE_ADDR="203.0.113.7")
        for a in accounts[:13]
    ]
    assert statuses[0].status_code == 200
    assert statuses[-1].status_code == 429

    # The fourteenth account's right password is refused from that address...
    response = client.post(
        reverse("login"), {"username": accounts[13].email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 429
    assert client.session.get("_auth_user_id") is None
    # ...and still accepted from another one.
    response = client.post(
        reverse("login"), {"username": accounts[13].email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.4"
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_logging_in_to_an_own_account_does_not_clear_the_address_count(client):
    own = UserFactory(email="sprayer@example.uz")
    victims = [UserFactory(email=f"victim{i}@example.uz") for i in range(12)]
    for i, victim in enumerate(victims):
        client.post(reverse("login"), {"username": victim.email, "password": f"Guess-{i}-2026"})
        if i == 5:
            client.post(reverse("login"), {"username": own.email, "password": PASSWORD})
            client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": own.email, "password": PASSWORD})
    assert response.status_code == 429


@pytest.mark.parametrize(
    "password",
    ["technopark", "Technopark2025!", "texnopark123", "Andijan-2026", "short-1A", "password123", "qwertyuiop"],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["technopark-demo-2025", "Andijan-Robot-2025", "a-Strong-pass-2025"])
def test_the_demo_and_test_passwords_still_pass(password):
    validate_password(password)


@pytest.mark.django_db
def test_signup_refuses_technopark_as_password_in_uzbek(client, signup_data):  # noqa: F811
    signup_data["password1"] = signup_data["password2"] = "technopark"
    response = client.post(signup_url(), signup_data)
    assert response.status_code == 200
    errors = " ".join(field_errors(response, "password2"))
    assert errors, response.content.decode()[:2000]
    assert not client.session.get("_auth_user_id")


@pytest.mark.parametrize("password", ["madina.qodirova", "MadinaQodirova2026", "qodirova.madina"])
def test_a_password_like_the_persons_name_or_email_is_refused(password):
    from technopark.models import User

    person = User(email="madina.qodirova@example.uz", full_name="Madina Qodirova")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=person)
    assert "password_too_similar" in [e.code for e in refused.value.error_list]


@pytest.mark.django_db
def test_signup_refuses_a_password_made_of_the_persons_name(client, signup_data):  # noqa: F811
    signup_data["password1"] = signup_data["password2"] = "LayloKarimova2008"
    response = client.post(signup_url(), signup_data)
    assert response.status_code == 200
    assert field_errors(response, "password2"), response.content.decode()[:2000]
    assert not client.session.get("_auth_user_id")
