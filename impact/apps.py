from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = _("Impact and reporting")

    def ready(self):
        from technopark import page_cache

        # The impact page counts rows of every app (its figures have their own cache as well).
        page_cache.cache_routes("impact:index", depends_on=[page_cache.ALL])
        self.register_with_core()

    def register_with_core(self):
        """The home page's figures, the sitemap entry and seed_demo's closing report (technopark.registry)."""
        from technopark import registry

        from . import selectors

        registry.register_home_context("impact", lambda: {"figures": selectors.impact_figures()})
        registry.register_static_pages("impact", "impact:index", order=50)
        registry.register_seed_report("impact", selectors.seed_report)
