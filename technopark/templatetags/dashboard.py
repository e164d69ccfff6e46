"""``{% dashboard_panel panel %}``: one section of "My technopark", kept per person.

A panel (``technopark.registry.DashboardPanel``) is rendered, with its app's context, only when
the stored copy for this person is stale: while the versions of the namespaces the panel
declares (``depends_on``, e.g. ``"programs"``: any change to a course, intake, enrolment or
session) and the person's own namespace (``page_cache.person_namespace``: their drafts,
clearances, messages) are unchanged, the stored HTML is served. The key holds the language, the
day (what "upcoming" and "due" mean) and a digest of the person's CSRF secret (the panels' forms
carry a token for it); ``DASHBOARD_CACHE_SECONDS`` bounds everything else that moves with the
clock (an open call that opens at noon). ``0`` renders every time.
"""

import hashlib

from django import template
from django.conf import settings
from django.utils import timezone, translation

from technopark import page_cache

register = template.Library()


def _render(context, panel) -> str:
    request = context["request"]
    with context.push(panel.context(request.user)):
        return context.template.engine.get_template(panel.template).render(context)


def _key(request, panel) -> tuple[str, tuple[str, ...]]:
    csrf = hashlib.sha256(request.META["CSRF_COOKIE"].encode()).hexdigest()[:16]
    day = timezone.localdate().isoformat()
    key = f"dashboard:{panel.key}:{request.user.pk}:{translation.get_language()}:{day}:{csrf}"
    return key, (*panel.depends_on, page_cache.person_namespace(request.user.pk))


def _prefetched(context, request) -> page_cache.Read | None:
    """All the page's panels and their versions, read in one round trip by the first panel."""
    if _PREFETCHED not in context.render_context:
        panels = context.get("dashboard_panels") or ()
        context.render_context[_PREFETCHED] = page_cache.prefetch(_key(request, p) for p in panels)
    return context.render_context[_PREFETCHED]


_PREFETCHED = "dashboard-prefetched"


@register.simple_tag(takes_context=True)
def dashboard_panel(context, panel):
    request = context["request"]
    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 0)
    if not seconds or not request.META.get("CSRF_COOKIE") or not request.user.is_authenticated:
        return _render(context, panel)
    key, namespaces = _key(request, panel)
    render = lambda: _render(context, panel)  # noqa: E731
    return page_cache.cached_fragment(key, namespaces, render, seconds, _prefetched(context, request))
