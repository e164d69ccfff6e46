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


@register.simple_tag(takes_context=True)
def dashboard_panel(context, panel):
    request = context["request"]
    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 0)
    csrf_secret = request.META.get("CSRF_COOKIE")
    if not seconds or not csrf_secret or not request.user.is_authenticated:
        return _render(context, panel)
    csrf = hashlib.sha256(csrf_secret.encode()).hexdigest()[:16]
    day = timezone.localdate().isoformat()
    key = f"dashboard:{panel.key}:{request.user.pk}:{translation.get_language()}:{day}:{csrf}"
    namespaces = (*panel.depends_on, page_cache.person_namespace(request.user.pk))
    return page_cache.cached_fragment(key, namespaces, lambda: _render(context, panel), seconds)
