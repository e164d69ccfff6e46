"""Argon2id with OWASP's parameters, and older hashes upgraded at the next sign-in (item 7).

The test settings keep the fast MD5 hasher for speed; these tests switch to the real list."""

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from technopark import settings as real_settings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Qovun-pishdi-2025"


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = real_settings.PASSWORD_HASHERS
    return settings


def _sign_in(client, email):
    return client.post(reverse("login"), {"username": email, "password": PASSWORD})


def test_new_passwords_are_argon2id_with_owasp_parameters(real_hashers):
    assert real_settings.PASSWORD_HASHERS[0] == "technopark.hashers.OwaspArgon2idPasswordHasher"
    encoded = make_password(PASSWORD)
    algorithm, variant, version, params, _salt, _hash = encoded.split("$")
    assert (algorithm, variant, version, params) == ("argon2", "argon2id", "v=19", "m=19456,t=2,p=1")


@pytest.mark.parametrize(
    ("old_hasher", "algorithm"),
    [
        ("django.contrib.auth.hashers.PBKDF2PasswordHasher", "pbkdf2_sha256"),  # Django's default until now
        ("django.contrib.auth.hashers.Argon2PasswordHasher", "argon2"),  # Argon2 with Django's costs
    ],
)
def test_an_older_hash_is_upgraded_at_the_next_sign_in(client, real_hashers, old_hasher, algorithm):
    real_hashers.PASSWORD_HASHERS = [*real_settings.PASSWORD_HASHERS, old_hasher]
    person = UserFactory()
    person.password = make_password(PASSWORD, hasher=algorithm)
    person.save(update_fields=["password"])
    before = person.password
    assert "m=19456,t=2,p=1" not in before

    assert _sign_in(client, person.email).status_code == 302
    person.refresh_from_db()
    assert person.password != before
    assert person.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    # and the upgraded hash still signs the person in
    client.logout()
    assert _sign_in(client, person.email).status_code == 302


def test_a_wrong_password_does_not_upgrade_the_hash(client, real_hashers):
    person = UserFactory()
    person.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    person.save(update_fields=["password"])
    before = person.password
    response = client.post(reverse("login"), {"username": person.email, "password": "not-the-password"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.password == before
