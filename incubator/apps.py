from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncubatorConfig(AppConfig):
    name = "incubator"
    verbose_name = _("InnoX incubator")

    def ready(self):
        from technopark import page_cache

        # Reviews, assignments and drafts are never public: saving a draft in the deadline rush
        # keeps the InnoX pages cached; a submission (counted on the landing) refreshes them.
        page_cache.watch_app(
            self,
            exclude=("Review", "ReviewScore", "ReviewAssignment", "ConflictOfInterest", "TeamMember", "StatusChange"),
            ignore={"Application": lambda application: application.status == "draft"},
        )
        page_cache.cache_routes(
            "incubator:index",
            "incubator:portfolio",
            "incubator:startup_detail",
            "incubator:investor_day_list",
            "incubator:investor_day_detail",
            depends_on=["incubator"],
        )
