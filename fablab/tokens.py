"""The secret address of a person's .ics feed, so a phone calendar can subscribe without a login.

The token is an HMAC (keyed by SECRET_KEY) of the person's id and password hash: it needs no table,
and changing the password (or rotating SECRET_KEY) makes every old address stop working.
"""

from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "fablab.ics-feed"


def ics_token(user) -> str:
    return salted_hmac(SALT, f"{user.pk}:{user.password}", algorithm="sha256").hexdigest()[:32]


def ics_token_valid(user, token: str) -> bool:
    return constant_time_compare(ics_token(user), token)


def ics_feed_path(user) -> str:
    return reverse("fablab:ics_feed", kwargs={"user_id": user.pk, "token": ics_token(user)})
