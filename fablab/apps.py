from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FablabConfig(AppConfig):
    name = "fablab"
    verbose_name = _("FabLab")

    def ready(self):
        from technopark import page_cache

        # Machines, their calendars (bookings, maintenance), projects and solutions are public;
        # safety clearances are not.
        page_cache.watch_app(self, exclude=("Clearance",))
        page_cache.cache_routes(
            "fablab:index",
            "fablab:equipment_detail",
            "fablab:funding_list",
            "fablab:funding_detail",
            "fablab:solution_list",
            "fablab:solution_detail",
            depends_on=["fablab"],
        )
