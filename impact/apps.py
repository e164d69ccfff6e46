from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = _("Impact and reporting")

    def ready(self):
        from technopark import page_cache

        # The impact page counts rows of every app (its figures have their own cache as well).
        page_cache.cache_routes("impact:index", depends_on=[page_cache.ALL])
