"""sitemap.xml: every public page in every language (with hreflang alternates).

One Sitemap class per kind of public page; ``SITEMAPS`` lists those whose app exists.
"""

from django.apps import apps
from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse

from .models import NewsArticle


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    protocol = None  # the request's scheme


class StaticPagesSitemap(I18nSitemap):
    """Fixed pages: home, about, the section indexes, news list, impact."""

    changefreq = "weekly"
    names = [
        "home",
        "about",
        "news_list",
        "programs:index",
        "programs:future",
        "programs:future_schools",
        "incubator:index",
        "incubator:portfolio",
        "incubator:investor_day_list",
        "fablab:index",
        "fablab:funding_list",
        "fablab:solution_list",
        "impact:index",
    ]

    def items(self):
        found = []
        for name in self.names:
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


class ModelSitemap(I18nSitemap):
    """Public objects of an app model that has ``get_absolute_url``; skipped while the app has none."""

    model_label = ""
    changefreq = "weekly"
    priority = 0.5

    def queryset(self, model):
        return model._default_manager.all()

    def items(self):
        try:
            model = apps.get_model(self.model_label)
        except LookupError:
            return []
        return self.queryset(model).order_by("pk")


class DirectionSitemap(ModelSitemap):
    model_label = "programs.Direction"


class CourseSitemap(ModelSitemap):
    model_label = "programs.Course"

    def queryset(self, model):
        return model._default_manager.filter(is_active=True).only("slug")


class StartupSitemap(ModelSitemap):
    model_label = "incubator.Startup"

    def queryset(self, model):
        return model._default_manager.filter(is_public=True).only("slug")


class InvestorDaySitemap(ModelSitemap):
    model_label = "incubator.InvestorDay"
    changefreq = "yearly"


class EquipmentSitemap(ModelSitemap):
    model_label = "fablab.Equipment"

    def queryset(self, model):
        return model._default_manager.exclude(status="retired").only("slug")


class FundingProjectSitemap(ModelSitemap):
    model_label = "fablab.FundingProject"
    changefreq = "yearly"


class SolutionSitemap(ModelSitemap):
    model_label = "fablab.EngineeringSolution"
    changefreq = "monthly"


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "news": NewsSitemap,
    "directions": DirectionSitemap,
    "courses": CourseSitemap,
    "startups": StartupSitemap,
    "investor-days": InvestorDaySitemap,
    "equipment": EquipmentSitemap,
    "funding-projects": FundingProjectSitemap,
    "solutions": SolutionSitemap,
}


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
