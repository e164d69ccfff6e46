"""sitemap.xml: every public page in every language (with hreflang alternates).

The core lists its own pages (home, about, news); every other section is registered by its app
from ``AppConfig.ready()`` (``technopark.registry.register_sitemap`` and
``register_static_pages``), with the app's own public queryset. ``SITEMAPS`` is read from the
registry on each request, so the core names no app.
"""

from collections.abc import Callable, Mapping

from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse

from . import registry
from .models import NewsArticle

#: hreflang values in BCP 47's usual case where the language code differs (script subtag: Cyrl).
HREFLANG = {"uz-cyrl": "uz-Cyrl"}


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    protocol = None  # the request's scheme

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            for alternate in url.get("alternates") or ():
                alternate["lang_code"] = HREFLANG.get(alternate["lang_code"], alternate["lang_code"])
        return urls


class StaticPagesSitemap(I18nSitemap):
    """Fixed pages: the core's home, about and news list, then those the apps registered."""

    changefreq = "weekly"
    core_names = ["home", "about", "news_list"]

    def items(self):
        found = []
        for name in [*self.core_names, *registry.static_page_names()]:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            found.append(name)
        return found

    def location(self, item):
        return reverse(item)

    def priority(self, item):
        return 1.0 if item == "home" else 0.6


class NewsSitemap(I18nSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return NewsArticle.objects.published().only("slug", "published_at").order_by("-published_at", "-id")

    def lastmod(self, item):
        return item.published_at


def public_sitemap(public: Callable, *, changefreq: str = "weekly", priority: float = 0.5) -> type[I18nSitemap]:
    """A sitemap section of an app's public objects (``public()`` returns its public queryset;
    the objects have ``get_absolute_url``)."""

    class PublicSitemap(I18nSitemap):
        def items(self):
            return public().order_by("pk")

    PublicSitemap.changefreq = changefreq
    PublicSitemap.priority = priority
    return PublicSitemap


class _RegisteredSitemaps(Mapping):
    """The core's sections, then the registered ones, looked up when the sitemap is served."""

    def _all(self):
        return {"pages": StaticPagesSitemap, "news": NewsSitemap, **registry.sitemaps()}

    def __getitem__(self, key):
        return self._all()[key]

    def __iter__(self):
        return iter(self._all())

    def __len__(self):
        return len(self._all())


SITEMAPS = _RegisteredSitemaps()


def robots_txt(request):
    """robots.txt: keep crawlers out of accounts, staff and personal pages; point to the sitemap."""
    from django.http import HttpResponse

    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    private = ["/admin/", "/account/", "/my/", "/search/"]
    lines = ["User-agent: *"]
    for prefix in private:
        lines += [f"Disallow: {prefix}", f"Disallow: /ru{prefix}", f"Disallow: /en{prefix}"]
    lines += ["", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
