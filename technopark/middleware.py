"""Small request middlewares of the core."""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.utils.encoding import escape_uri_path


class DefaultLanguagePrefixRedirectMiddleware:
    """Uzbek, the default language, lives at unprefixed addresses (``/news/``). A person or a
    link that adds the prefix (``/uz/news/``) is sent there permanently instead of to a 404.

    GET and HEAD get a 301; other methods a 308, so a form posted to ``/uz/...`` keeps its body.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = f"/{settings.LANGUAGE_CODE}/"

    def __call__(self, request):
        path = request.path
        if path == self.prefix[:-1] or path.startswith(self.prefix):
            target = escape_uri_path("/" + path[len(self.prefix) :])
            query = request.META.get("QUERY_STRING", "")
            if query:
                target = f"{target}?{query}"
            response = HttpResponsePermanentRedirect(target)
            if request.method not in ("GET", "HEAD"):
                response.status_code = 308
            return response
        return self.get_response(request)
