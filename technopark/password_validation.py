"""A password made of the portal's own names (``technopark``, ``Andijan2025!``) is the first one an
attacker tries here, although no general list of common passwords holds it."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SITE_WORDS = (
    "technopark",
    "texnopark",
    "tehnopark",
    "технопарк",
    "andijan",
    "andijon",
    "андижан",
    "андижон",
    "innox",
    "fablab",
    "yoshlar",
    "youth",
    "молодежь",
    "молодёжь",
)
_ONLY_SITE_WORDS = re.compile("(?:" + "|".join(map(re.escape, SITE_WORDS)) + ")+")


class SiteNameValidator:
    """Refuses a password whose letters are nothing but the portal's names (digits and symbols
    around them do not count)."""

    def validate(self, password, user=None):
        letters = "".join(ch for ch in password.lower() if ch.isalpha())
        if letters and _ONLY_SITE_WORDS.fullmatch(letters):
            raise ValidationError(
                _("This password is made of the technopark's own names; choose one that others cannot guess."),
                code="password_site_name",
            )

    def get_help_text(self):
        return _("Your password cannot be the technopark's name or the city's name.")
