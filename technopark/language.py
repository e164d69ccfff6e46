"""A signed-in person's preferred language follows the language they choose on the site."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language_from_path


class PreferredLanguageMiddleware:
    """The language switcher is a set of plain links to the same page under another language's
    prefix (so pages stay cacheable). Following one is a choice: a GET whose Referer is this site's
    same page in another language. Then the signed-in person's preferred language becomes the new
    one, and every later e-mail and Telegram message is written in it. Any other request costs no
    query and no session write."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        referer = request.headers.get("Referer", "")
        if request.method == "GET" and referer and user is not None and user.is_authenticated:
            language = translation.get_language()
            if language in self.codes and user.preferred_language != language and self._is_switch(request, referer):
                get_user_model().objects.filter(pk=user.pk).update(preferred_language=language)
                user.preferred_language = language
        return self.get_response(request)

    @staticmethod
    def _is_switch(request, referer: str) -> bool:
        parts = urlsplit(referer)
        if parts.netloc and parts.netloc != request.get_host():
            return False
        # The page the person came from, read in its own language and translated into this one.
        language = translation.get_language()
        with translation.override(get_language_from_path(parts.path) or settings.LANGUAGE_CODE):
            translated = translate_url(parts.path, language)
        return translated != parts.path and translated == request.path
