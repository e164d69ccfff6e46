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

from django import template
from django.core.cache.utils import make_template_fragment_key

from technopark import page_cache

register = template.Library()


class FragmentCacheNode(template.Node):
    def __init__(self, nodelist, timeout, name, namespaces, vary_on, push=None):
        self.nodelist = nodelist
        self.timeout = timeout
        self.name = name
        self.namespaces = namespaces
        self.vary_on = vary_on
        self.push = push

    def _render(self, context):
        # ``push=``: the fragment's own context, resolved (a callable is called) only on a miss
        extra = self.push.resolve(context) if self.push is not None else None
        with context.push(extra or {}):
            return self.nodelist.render(context)

    def render(self, context):
        timeout = int(self.timeout.resolve(context))
        name = self.name.resolve(context)
        namespaces = page_cache.expand(n for n in str(self.namespaces.resolve(context)).split(",") if n)
        key = make_template_fragment_key(f"ns-fragment:{name}", [v.resolve(context) for v in self.vary_on])
        return page_cache.cached_fragment(key, namespaces, lambda: self._render(context), timeout)


@register.tag("fragment_cache")
def do_fragment_cache(parser, token):
    """``{% fragment_cache timeout name "ns1,ns2" [vary_on ...] [push=callable] %}…{% endfragment_cache %}``

    ``"*"`` for the namespaces means every one (``page_cache.ALL``).

    ``push=`` names a context variable holding a callable (or a dict) whose dict is added to the
    context inside the fragment: work only the fragment needs (a machine's week) is done only
    when the stored fragment is stale."""
    bits = token.split_contents()
    push = None
    if bits[-1].startswith("push="):
        push = parser.compile_filter(bits.pop()[len("push=") :])
    if len(bits) < 4:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a timeout, a name and the namespaces.")
    nodelist = parser.parse(("endfragment_cache",))
    parser.delete_first_token()
    timeout, name, namespaces, *vary_on = (parser.compile_filter(bit) for bit in bits[1:])
    return FragmentCacheNode(nodelist, timeout, name, namespaces, vary_on, push)
