"""Whole-page cache for anonymous visitors.

An anonymous visitor's public page carries nothing personal (no CSRF token, no name; the
language switcher is plain links), so the finished response is stored per URL — the path
holds the language prefix — and served from the cache to the next anonymous visitor.

What is stored:
    GET/HEAD requests without a session or messages cookie, answered 200 with HTML,
    setting no cookie and not marked private or no-store.

When it is thrown away (exact figures such as seats left must not go stale):
    every page is keyed with a version number; any model saved or deleted, any M2M change
    and any successful POST/PUT/PATCH/DELETE raises the version, so the next request
    renders afresh. ``PAGE_CACHE_SECONDS`` bounds time-dependent content such as
    countdowns; ``0`` turns the cache off.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "page-cache:version"
SAFE_METHODS = ("GET", "HEAD")


def current_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def invalidate(**kwargs) -> None:
    """Make every cached page stale (signal receiver and plain function)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version stored yet: nothing is cached under a version either
        cache.set(VERSION_KEY, 2, timeout=None)


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(invalidate, dispatch_uid=f"page-cache-{signal!r}")


def _cache_key(request, version: int) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page-cache:{version}:{request.method}:{request.get_host()}:{digest}"


def _cacheable_request(request) -> bool:
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.META.get("HTTP_AUTHORIZATION")
    )


def _cacheable_response(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not getattr(response, "streaming", False)
        and "private" not in cache_control
        and "no-store" not in cache_control
        and "no-cache" not in cache_control
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        connect_signals()

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not _cacheable_request(request):
            response = self.get_response(request)
            if request.method not in SAFE_METHODS and response.status_code < 500:
                invalidate()
            return response

        key = _cache_key(request, current_version())
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if _cacheable_response(response):
            cache.set(key, response, seconds)
            response["X-Page-Cache"] = "miss"
        return response
