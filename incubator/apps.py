from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncubatorConfig(AppConfig):
    name = "incubator"
    verbose_name = _("InnoX incubator")

    def ready(self):
        from technopark import registry as technopark_registry

        from . import privacy as incubator_privacy

        technopark_registry.register_erasure("incubator", incubator_privacy.erase, order=30)

        from notifications import registry
        from technopark import page_cache

        registry.register_topic("incubator", _("InnoX applications"))
        registry.register_topic("reviews", _("Reviews"))
        # Hourly, so "3 days" and "1 day" before a deadline are meant to the hour; each is sent once.
        registry.register_job("incubator.draft_reminders", "incubator.reminders.draft_reminders", minute="10")
        registry.register_job("incubator.review_reminders", "incubator.reminders.review_reminders", minute="20")
        registry.register_job(
            "incubator.report_reminders", "incubator.reminders.report_reminders", hour="9", minute="30"
        )
        # The Central Bank publishes the day's rates in the morning (Tashkent time).
        registry.register_job(
            "incubator.load_exchange_rates", "incubator.jobs.load_exchange_rates", hour="10", minute="5"
        )

        # Reviews, assignments and drafts are never public: saving a draft in the deadline rush
        # keeps the InnoX pages cached; a submission (counted on the landing) refreshes them.
        page_cache.watch_app(
            self,
            exclude=(
                "Review",
                "ReviewScore",
                "ReviewAssignment",
                "ConflictOfInterest",
                "TeamMember",
                "StatusChange",
                "DecisionTemplate",
                "Mentor",
                "OfficeHourSlot",
                "OfficeHourBooking",
                "Milestone",
            ),
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
        self.register_with_core()

    def register_with_core(self):
        """Dashboard panel, search kind, sitemap sections and demo data (technopark.registry)."""
        from django.urls import reverse

        from technopark import page_cache, registry
        from technopark.search import SearchKind
        from technopark.sitemaps import public_sitemap

        from . import selectors

        registry.register_dashboard_panel(
            "incubator",
            template="incubator/_dashboard.html",
            context=selectors.dashboard_context,
            order=30,
            depends_on=("incubator",),
        )
        # Drafts and mentors leave the public namespace alone but show on the person's panel.
        page_cache.watch_person(self.get_model("Application"), lambda application: [application.applicant_id])
        page_cache.watch_person(self.get_model("Mentor"), lambda mentor: [mentor.user_id])
        # ... and so do a team's members (confirmations) and an application's history, on its page.
        page_cache.watch_person(self.get_model("TeamMember"), _applicant_of)
        page_cache.watch_person(self.get_model("StatusChange"), _applicant_of)
        # The staff ranking is kept while no review changes (selectors.cached_ranking).
        page_cache.watch_models("incubator-reviews", self.get_model("Review"), self.get_model("ReviewScore"))
        # ... and its bulk form (the reviewers to assign to) while nobody joins or leaves a group.
        from django.contrib.auth import get_user_model

        page_cache.watch_models("innox-reviewers", get_user_model().groups.through)
        registry.register_search_kind(
            SearchKind(
                key="startups",
                label=_("Startups"),
                model="incubator.Startup",
                fields={"name": "A", "one_line_pitch": "B", "description": "C"},
                title_field="name",
                headline_fields=("one_line_pitch", "description"),
                key_field="slug",
                url=lambda slug: reverse("incubator:startup_detail", kwargs={"slug": slug}),
                public=selectors.public_startups,
            )
        )
        registry.register_static_pages(
            "incubator", "incubator:index", "incubator:portfolio", "incubator:investor_day_list", order=30
        )
        registry.register_sitemap("startups", public_sitemap(selectors.public_startups))
        registry.register_sitemap("investor-days", public_sitemap(selectors.public_investor_days, changefreq="yearly"))
        registry.register_seed("incubator", "incubator.seed", order=30)
        # Pitch decks and application logos are private: the applicant, deciding staff and the
        # reviewers the application is visible to (technopark.files serves nothing else).
        from .models import Application

        registry.register_private_files("incubator", Application, "pitch_deck", selectors.applications_visible_to)
        registry.register_private_files("incubator", Application, "logo", selectors.applications_visible_to)


def _applicant_of(row) -> list:
    """The applicant of the application a team member or a history row belongs to."""
    from .models import Application

    return list(Application.objects.filter(pk=row.application_id).values_list("applicant_id", flat=True))
