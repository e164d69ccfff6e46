"""Whole-page cache for anonymous visitors, kept exact by a version per namespace.

An anonymous visitor's public page carries nothing personal (no CSRF token, no name; the
language switcher is plain links), so the finished response is stored per URL — the path
holds the language prefix — and served from the cache to the next anonymous visitor.

Namespaces. Every app whose models public pages show owns a *namespace* (its app label) with
a version in the cache. The app connects its own receivers in ``AppConfig.ready()`` through
:func:`watch_app`; a save, delete or M2M change of one of its public models raises that
namespace's version **after the transaction commits** (``transaction.on_commit``), so another
request can never store the old page under the new version. Sessions, login attempts (axes),
users' ``last_login`` and refused requests (a POST without a CSRF token, a wrong password)
change no public model and therefore empty nothing. Management commands and the admin save
models, so the same receivers raise the version for them; code that writes in bulk
(``bulk_create``/``update`` send no signals) calls :func:`bump` itself.

Declarations. A page is stored only when its view declares what it depends on: either the
:func:`depends_on` decorator on the view, or :func:`cache_routes` from the app's ``ready()``
naming URL names (``"programs:course_detail"``). A stored page is valid while the versions of
its namespaces are the ones read *before* it was rendered.

HTTP. Stored pages carry ``ETag`` (a hash of the body), ``Last-Modified`` (the time of the
last change of their namespaces), ``Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE`` and
``Vary: Cookie`` (plus ``Accept-Language`` where Django adds it), so nginx or a CDN may serve
repeats; ``If-None-Match``/``If-Modified-Since`` get 304.

Faults. Every cache access is guarded: with the cache unreachable, pages are rendered
afresh and nothing is stored (see also :mod:`technopark.cache`).

What is stored: GET/HEAD requests without a session or messages cookie or Authorization,
answered 200 with HTML, setting no cookie and not marked private, no-store or no-cache.
``PAGE_CACHE_SECONDS`` bounds time-dependent content such as countdowns; ``0`` turns the
cache off.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.safestring import mark_safe

logger = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD")
ALL = "*"

# namespace -> app label; filled by watch_app() in each AppConfig.ready()
NAMESPACES: dict[str, str] = {}
# URL name ("programs:course_detail") -> namespaces it depends on; filled by cache_routes()
ROUTES: dict[str, tuple[str, ...]] = {}


# --- Versions -----------------------------------------------------------------------------


def _ns_key(namespace: str) -> str:
    return f"page-cache:ns:{namespace}"


def _new_version() -> str:
    """A version is the time of the change plus a random part: unique across processes, and
    the time is the page's Last-Modified."""
    return f"{time.time():.6f}:{secrets.token_hex(4)}"


def _version_time(version: str) -> float:
    try:
        return float(version.split(":", 1)[0])
    except (AttributeError, ValueError):
        return 0.0


def bump(*namespaces: str) -> None:
    """Make the pages of these namespaces (all when none given) stale, now."""
    names = namespaces or tuple(NAMESPACES)
    try:
        cache.set_many({_ns_key(name): _new_version() for name in names}, timeout=None)
    except Exception:  # the cache being down only means nothing is served from it
        logger.warning("page cache: could not raise %s", names, exc_info=True)


def bump_on_commit(namespace: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise the namespace after the current transaction commits (at once outside one).

    One callback per namespace per (sub)transaction: a bulk import saving a thousand rows
    raises the version once. A test case's own transaction never commits (tests capture the
    callbacks instead), so callbacks queued directly in it are not reused."""
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and not getattr(connection.atomic_blocks[-1], "_from_testcase", False):
        level = set(connection.savepoint_ids)
        for sids, func, _robust in connection.run_on_commit:
            if sids == level and getattr(func, "page_cache_namespace", None) == namespace:
                return

    def callback():
        bump(namespace)

    callback.page_cache_namespace = namespace
    transaction.on_commit(callback, using=using, robust=True)


def current_versions(namespaces: Iterable[str]) -> dict[str, str]:
    keys = {_ns_key(name): name for name in namespaces}
    found = cache.get_many(list(keys))
    versions = {keys[key]: value for key, value in found.items()}
    missing = [name for name in keys.values() if name not in versions]
    for name in missing:  # first use (or evicted): start a version, keeping one another process set
        cache.add(_ns_key(name), _new_version(), timeout=None)
    if missing:
        versions.update({keys[k]: v for k, v in cache.get_many([_ns_key(n) for n in missing]).items()})
    return versions


# --- Receivers (connected by each app) ------------------------------------------------------


def _connect(model, receiver, uid: str) -> None:
    """Call ``receiver`` after ``model`` is saved or deleted, or (a through model) after an M2M
    change; ``receiver`` is kept alive (``weak=False``) and connected once per ``uid``."""
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}:save")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
    # m2m_changed's sender is the through model (get_models(include_auto_created=True) lists them)
    m2m_changed.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}:m2m")


def _after_the_change(kwargs) -> bool:
    """False for m2m_changed's ``pre_*`` signals: a receiver reacts once, after the change."""
    action = kwargs.get("action")
    return action is None or action.startswith("post_")


def watch_app(
    app_config,
    namespace: str | None = None,
    exclude: Iterable[str] = (),
    ignore: dict[str, Callable] | None = None,
) -> None:
    """Raise ``namespace`` (the app label by default) after commit whenever a model of this app
    is saved, deleted or has an M2M change — except the models named in ``exclude`` (models no
    public page shows) and instances for which ``ignore[model_name](instance)`` is true."""
    namespace = namespace or app_config.label
    NAMESPACES[namespace] = app_config.label
    excluded = {name.lower() for name in exclude}
    predicates = {name.lower(): fn for name, fn in (ignore or {}).items()}

    def receiver(sender, instance=None, using=DEFAULT_DB_ALIAS, **kwargs):
        if not _after_the_change(kwargs):
            return
        predicate = predicates.get(sender._meta.model_name)
        if predicate is not None and instance is not None and predicate(instance):
            return
        bump_on_commit(namespace, using=using or DEFAULT_DB_ALIAS)

    for model in app_config.get_models(include_auto_created=True):
        if model._meta.model_name not in excluded:
            _connect(model, receiver, f"page-cache:{namespace}:{model._meta.label_lower}")
    # Migrations may change data: every page is stale after `migrate`.
    post_migrate.connect(_after_migrate, sender=app_config, weak=False, dispatch_uid=f"page-cache:{namespace}:migrate")


def watch_models(namespace: str, *models) -> None:
    """Raise ``namespace`` after commit whenever one of ``models`` is saved or deleted (or, a
    through model, has an M2M change): for data that no public page shows but a cached staff view
    does (the reviews behind a ranking, the reviewers' group behind its form)."""

    def receiver(sender, instance=None, using=DEFAULT_DB_ALIAS, **kwargs):
        if _after_the_change(kwargs):
            bump_on_commit(namespace, using=using or DEFAULT_DB_ALIAS)

    for model in models:
        _connect(model, receiver, f"page-cache:{namespace}:{model._meta.label_lower}")


def _after_migrate(sender, **kwargs):
    bump(*(name for name, label in NAMESPACES.items() if label == sender.label))


# --- A person's own namespace ---------------------------------------------------------------


def person_namespace(user_id) -> str:
    """The namespace of one person's own rows (their drafts, clearances, messages): raised when
    they change, so a part of a signed-in page cached for that person (see
    :func:`cached_fragment`) is stale exactly then."""
    return f"person:{user_id}"


def bump_people_on_commit(user_ids: Iterable, using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise these people's namespaces after commit; code writing their rows in bulk (``update``
    sends no signal) calls it itself."""
    for user_id in set(user_ids):
        if user_id:
            bump_on_commit(person_namespace(user_id), using=using)


def watch_person(model, people: Callable[[object], Iterable]) -> None:
    """Raise, after commit, the namespaces of the people ``people(instance)`` names whenever an
    instance of ``model`` is saved or deleted: for a person's rows that the app's public
    namespace leaves out (see :func:`watch_app`'s ``exclude`` and ``ignore``)."""

    def receiver(sender, instance=None, using=DEFAULT_DB_ALIAS, **kwargs):
        if instance is not None and _after_the_change(kwargs):
            bump_people_on_commit(people(instance), using=using or DEFAULT_DB_ALIAS)

    _connect(model, receiver, f"page-cache:person:{model._meta.label_lower}")


# --- Fragments ------------------------------------------------------------------------------


class Read(NamedTuple):
    """What one round trip to the cache found: stored entries by key, and namespace versions."""

    keys: frozenset  # the keys asked for (found or not)
    found: dict
    versions: dict


def read(entries: Iterable[tuple[str, Iterable[str]]]) -> Read:
    """Read several stored values (``(key, namespaces)`` pairs, as :func:`cached` takes them)
    and all their namespaces' versions in one round trip, for a page made of several cached
    parts (the dashboard's panels); pass the result to :func:`cached` as ``prefetched``.
    Raises when the cache is unreachable."""
    entries = list(entries)
    ns_keys = {_ns_key(n): n for _, namespaces in entries for n in namespaces}
    found = cache.get_many([*(key for key, _ in entries), *ns_keys])
    versions = {n: found.get(k) for k, n in ns_keys.items()}
    if None in versions.values():  # first use of a namespace, or evicted
        versions.update(current_versions(n for n, v in versions.items() if v is None))
    return Read(frozenset(key for key, _ in entries), found, versions)


def prefetch(entries: Iterable[tuple[str, Iterable[str]]]) -> Read | None:
    """:func:`read` for a page's kept parts, or None when the cache is down (each part then finds
    out, and is computed, by itself in :func:`cached`)."""
    try:
        return read(entries)
    except Exception:
        logger.warning("cache unavailable; the page's parts are computed", exc_info=True)
        return None


def expand(namespaces: Iterable[str]) -> tuple[str, ...]:
    """The namespaces named, with ``ALL`` standing for every one."""
    namespaces = tuple(namespaces)
    return tuple(NAMESPACES) if ALL in namespaces else namespaces


def cached(
    key: str,
    namespaces: Iterable[str],
    compute: Callable[[], object],
    timeout: int,
    prefetched: Read | None = None,
):
    """A value stored under ``key`` with the versions of ``namespaces``, read together with them
    in one round trip (or taken from ``prefetched``, see :func:`read`) and served while they are
    unchanged (``timeout`` bounds what depends on the clock). ``compute()`` is called only on a
    miss; with the cache unreachable, every time."""
    namespaces = tuple(namespaces)
    try:
        if prefetched is None or key not in prefetched.keys or not set(namespaces) <= prefetched.versions.keys():
            prefetched = read([(key, namespaces)])
    except Exception:
        logger.warning("cache unavailable; computing %s", key, exc_info=True)
        return compute()
    versions = {n: prefetched.versions.get(n) for n in namespaces}
    entry = prefetched.found.get(key)
    if entry is not None and entry[0] == versions:
        return entry[1]
    value = compute()
    if None not in versions.values():
        try:
            cache.set(key, (versions, value), timeout)
        except Exception:
            logger.warning("cache: could not store %s", key, exc_info=True)
    return value


def cached_fragment(
    key: str, namespaces: Iterable[str], render: Callable[[], str], timeout: int, prefetched: Read | None = None
) -> str:
    """A part of a page (HTML), kept like :func:`cached`."""
    html = cached(key, namespaces, lambda: str(render()), timeout, prefetched)
    return mark_safe(html)  # noqa: S308 - our own HTML


# --- Declarations ---------------------------------------------------------------------------


def _normalise(namespaces: Iterable[str]) -> tuple[str, ...]:
    return tuple(namespaces)


def depends_on(*namespaces: str):
    """Decorator: this view's page may be cached for anonymous visitors and depends on these
    namespaces (``page_cache.ALL`` for every one; none for a page showing no model)."""

    def decorator(view):
        view.page_cache_depends_on = _normalise(namespaces)
        return view

    return decorator


def cache_routes(*url_names: str, depends_on: Iterable[str]) -> None:
    """Declare, from an app's ``ready()``, URL names whose pages may be cached and what they show."""
    for name in url_names:
        ROUTES[name] = _normalise(depends_on)


def _declared(request) -> tuple[str, ...] | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    declared = getattr(match.func, "page_cache_depends_on", None)
    if declared is None:
        declared = ROUTES.get(match.view_name)
    if declared is None:
        return None
    return expand(declared)


# --- Middleware -----------------------------------------------------------------------------


def _cache_key(request) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page-cache:page:{request.method}:{request.get_host()}:{digest}"


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


def _conditional(request, response, entry):
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["last_modified"], response=response
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)

        key = _cache_key(request)
        try:
            # One round trip: the stored page and every namespace's version, read before
            # rendering so that a change committed meanwhile leaves the new page unstored.
            found = cache.get_many([key, *(_ns_key(n) for n in NAMESPACES)])
            entry = found.pop(key, None)
            versions = {name: found.get(_ns_key(name)) for name in NAMESPACES}
            if None in versions.values():  # first request after a flush or an outage
                versions.update(current_versions(n for n, v in versions.items() if v is None))
        except Exception:
            logger.warning("page cache unavailable; serving uncached", exc_info=True)
            return self.get_response(request)

        if entry is not None and all(versions.get(n) == v for n, v in entry["versions"].items()):
            response = entry["response"]
            response["X-Page-Cache"] = "hit"
            return _conditional(request, response, entry)

        response = self.get_response(request)
        declared = _declared(request)
        if declared is None or not _cacheable_response(response):
            return response
        if any(versions.get(n) is None for n in declared):
            return response  # a namespace nobody watches, or no version could be started
        try:
            entry = self._entry(response, {n: versions[n] for n in declared})
            cache.set(key, entry, seconds)
        except Exception:
            logger.warning("page cache: could not store %s", request.path, exc_info=True)
            return response
        response["X-Page-Cache"] = "miss"
        return _conditional(request, response, entry)

    @staticmethod
    def _entry(response, versions: dict[str, str]) -> dict:
        etag = quote_etag(hashlib.md5(response.content, usedforsecurity=False).hexdigest())
        changed = max((_version_time(v) for v in versions.values()), default=0.0) or time.time()
        last_modified = int(changed)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
        patch_vary_headers(response, ("Cookie",))
        return {"versions": versions, "response": response, "etag": etag, "last_modified": last_modified}
