from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class TechnoparkConfig(AppConfig):
    name = "technopark"
    verbose_name = _("Technopark")

    def ready(self):
        from technopark import page_cache

        # News (and districts) are public; people are not: a sign-in saves User.last_login and
        # must keep every page cached.
        page_cache.watch_app(self, exclude=("User", "User_groups", "User_user_permissions"))
        page_cache.cache_routes("news_list", "news_detail", depends_on=["technopark"])
        page_cache.cache_routes("about", depends_on=[])
        page_cache.cache_routes("home", "search", depends_on=[page_cache.ALL])

        from . import registry, search

        registry.register_search_kind(search.news_search_kind())

        # A staff correction of the Cyrillic may appear on any page: all of them go stale.
        from django.db.models.signals import post_delete, post_save

        from . import transliteration
        from .models import TransliterationOverride

        for signal in (post_save, post_delete):
            signal.connect(
                transliteration.override_changed,
                sender=TransliterationOverride,
                dispatch_uid=f"transliteration-override:{signal is post_save}",
            )
        registry.register_seed("technopark", "technopark.seed", order=0)


class TechnoparkAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site (technopark.admin_site): every admin search box
    reads Uzbek typed in Cyrillic."""

    default = False  # "technopark" stays TechnoparkConfig
    default_site = "technopark.admin_site.TechnoparkAdminSite"
