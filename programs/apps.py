from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Training programmes")

    def ready(self):
        from technopark import page_cache

        # Seats left, schedules, certificates and masterclass figures are all public.
        page_cache.watch_app(self)
        page_cache.cache_routes(
            "programs:index",
            "programs:direction_detail",
            "programs:course_detail",
            "programs:future",
            "programs:future_schools",
            "certificates:verify",
            depends_on=["programs"],
        )
