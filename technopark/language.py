"""A signed-in person's preferred language follows the language they choose on the site."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

SESSION_KEY = "_site_language"


class PreferredLanguageMiddleware:
    """The language switcher is a set of plain links (the pages stay cacheable), so the choice is
    seen as a change of the page's language within a session: the first language of a session is
    only noted, and when the person moves to another one, it becomes their preferred language,
    in which every later e-mail and Telegram message is written."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.method == "GET" and user is not None and user.is_authenticated:
            language = translation.get_language()
            if language in self.codes:
                seen = request.session.get(SESSION_KEY)
                if seen != language:
                    request.session[SESSION_KEY] = language
                    if seen is not None and user.preferred_language != language:
                        get_user_model().objects.filter(pk=user.pk).update(preferred_language=language)
                        user.preferred_language = language
        return self.get_response(request)


def remember_language(request, language: str) -> None:
    """Note the language a person just chose (sign-up, profile), so it is not taken for a switch."""
    request.session[SESSION_KEY] = language
