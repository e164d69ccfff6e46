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


class MalformedInputMiddleware:
    """A request carrying a NUL byte or bytes that are not UTF-8 (in the path, the query string,
    a form field's name or value, an uploaded file's name or a cookie) answers 400 (Bad Request)
    with the error page in the visitor's language, instead of reaching code (and PostgreSQL, which
    refuses NUL in text) that would fail with a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._malformed(request):
            from django.core.exceptions import SuspiciousOperation

            # Turned into the 400 page (handler400) by Django's exception handling.
            raise SuspiciousOperation("NUL byte or undecodable bytes in the request")
        return self.get_response(request)

    @staticmethod
    def _bad_bytes(raw: bytes) -> bool:
        if b"\x00" in raw:
            return True
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False

    @staticmethod
    def _bad_text(text: str) -> bool:
        # Django decodes undecodable form input with U+FFFD (replacement) or lone surrogates.
        return "\x00" in text or any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)

    @staticmethod
    def _huge_date_part(query) -> bool:
        # The admin's date hierarchy (``?start__year=...``) turns a year, month or day too large
        # for a C long into an OverflowError (a 500) instead of its "invalid filter" answer.
        for key, values in query.lists():
            if key.endswith(("__year", "__month", "__day")):
                for value in values:
                    digits = value.strip().lstrip("+-")
                    if digits.isdigit() and len(digits) > 9:
                        return True
        return False

    def _malformed(self, request) -> bool:
        from urllib.parse import unquote_to_bytes

        meta = request.META
        path_raw = meta.get("PATH_INFO", "")
        try:
            path_bytes = path_raw.encode("latin-1")
        except UnicodeEncodeError:
            path_bytes = path_raw.encode("utf-8", "surrogateescape")
        if self._bad_text(path_raw) or self._bad_bytes(path_bytes):
            return True
        query = meta.get("QUERY_STRING", "")
        if query:
            try:
                raw_query = query.encode("latin-1")  # WSGI hands the bytes over as latin-1 text
            except UnicodeEncodeError:
                raw_query = query.encode("utf-8", "surrogateescape")
            if self._bad_bytes(unquote_to_bytes(raw_query)):
                return True
            if self._huge_date_part(request.GET):
                return True
        if any(self._bad_text(key) or self._bad_text(value) for key, value in request.COOKIES.items()):
            return True
        if request.method in ("POST", "PUT", "PATCH"):
            content_type = meta.get("CONTENT_TYPE", "")
            if content_type.startswith("application/x-www-form-urlencoded"):
                body = request.body.replace(b"+", b" ")
                if self._bad_bytes(unquote_to_bytes(body)):
                    return True
            elif content_type.startswith("multipart/form-data"):
                for key, values in request.POST.lists():
                    if self._bad_text(key) or any(self._bad_text(v) or "\ufffd" in v for v in values):
                        return True
                for key, files in request.FILES.lists():
                    if self._bad_text(key) or any(self._bad_text(f.name or "") for f in files):
                        return True
        return False
