"""Fragments of signed-in pages cached under the page cache's namespace versions.

A signed-in person's page is never stored whole (it carries their name, a CSRF token, their own
enrolments), but most of it is often the same as the anonymous page: the catalogue, a machine's
week. Such a part is wrapped in ``{% fragment_cache %}`` naming the namespaces it shows
(``technopark.page_cache``) and what else it varies on::

    {% load fragment_cache %}
    {% fragment_cache 120 "programs-index" "programs" LANGUAGE_CODE request.get_full_path %}
      …
    {% endfragment_cache %}

It is stored with the versions of its namespaces and served while they are unchanged, so a
change to a course or a booking makes it stale exactly when it makes the anonymous pages stale;
the timeout bounds what depends on the clock. The stored fragment and the versions are read in
one round trip to the cache. With the cache unreachable the fragment is rendered every time.
"""

import logging

from django import template
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.utils.safestring import mark_safe

from technopark import page_cache

logger = logging.getLogger(__name__)
register = template.Library()


class FragmentCacheNode(template.Node):
    def __init__(self, nodelist, timeout, name, namespaces, vary_on):
        self.nodelist = nodelist
        self.timeout = timeout
        self.name = name
        self.namespaces = namespaces
        self.vary_on = vary_on

    def render(self, context):
        timeout = int(self.timeout.resolve(context))
        name = self.name.resolve(context)
        namespaces = [n for n in str(self.namespaces.resolve(context)).split(",") if n]
        key = make_template_fragment_key(f"ns-fragment:{name}", [v.resolve(context) for v in self.vary_on])
        ns_keys = {page_cache._ns_key(n): n for n in namespaces}
        try:
            found = cache.get_many([key, *ns_keys])
            versions = {n: found.get(k) for k, n in ns_keys.items()}
            if None in versions.values():  # first use of a namespace, or evicted
                versions.update(page_cache.current_versions(n for n, v in versions.items() if v is None))
        except Exception:
            logger.warning("fragment cache unavailable; rendering %s", name, exc_info=True)
            return self.nodelist.render(context)
        entry = found.get(key)
        if entry is not None and entry[0] == versions:
            return mark_safe(entry[1])
        html = self.nodelist.render(context)
        if None not in versions.values():
            try:
                cache.set(key, (versions, str(html)), timeout)
            except Exception:
                logger.warning("fragment cache: could not store %s", name, exc_info=True)
        return html


@register.tag("fragment_cache")
def do_fragment_cache(parser, token):
    """``{% fragment_cache timeout name "ns1,ns2" [vary_on ...] %}…{% endfragment_cache %}``"""
    bits = token.split_contents()
    if len(bits) < 4:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a timeout, a name and the namespaces.")
    nodelist = parser.parse(("endfragment_cache",))
    parser.delete_first_token()
    timeout, name, namespaces, *vary_on = (parser.compile_filter(bit) for bit in bits[1:])
    return FragmentCacheNode(nodelist, timeout, name, namespaces, vary_on)
