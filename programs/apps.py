from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Training programmes")

    def ready(self):
        from technopark import registry as technopark_registry

        from . import privacy as programs_privacy

        technopark_registry.register_erasure("programs", programs_privacy.erase, order=10)

        from notifications import registry
        from technopark import page_cache

        # Receipts of enrolments, the waitlist and certificates, and the course-start reminder.
        registry.register_topic("programs", _("Courses and enrolments"))
        registry.register_job("programs.intake_starting", "programs.reminders.intake_starting", hour="9", minute="0")
        # Waitlist offers lapse after their deadline (the seat passes on); surveys when an intake ends.
        registry.register_job("programs.lapse_offers", "programs.jobs.lapse_offers", minute="*/10")
        registry.register_job("programs.course_surveys", "programs.jobs.course_surveys", hour="10", minute="0")

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
        self.register_with_core()

    def register_with_core(self):
        """Dashboard panel, search kind, sitemap sections and demo data (technopark.registry)."""
        from django.urls import reverse

        from technopark import registry
        from technopark.search import SearchKind
        from technopark.sitemaps import public_sitemap

        from . import selectors

        registry.register_dashboard_panel(
            "programs",
            template="programs/_dashboard.html",
            context=selectors.dashboard_context,
            order=20,
            depends_on=("programs",),  # every programs model raises it: enrolments, sessions, marks
        )
        registry.register_search_kind(
            SearchKind(
                key="courses",
                label=_("Courses"),
                model="programs.Course",
                fields={"title": "A", "description": "B"},
                title_field="title",
                headline_fields=("description",),
                key_field="slug",
                url=lambda slug: reverse("programs:course_detail", kwargs={"slug": slug}),
                public=selectors.public_courses,
            )
        )
        registry.register_static_pages(
            "programs", "programs:index", "programs:future", "programs:future_schools", order=20
        )
        registry.register_sitemap("directions", public_sitemap(selectors.public_directions))
        registry.register_sitemap("courses", public_sitemap(selectors.public_courses))
        registry.register_seed("programs", "programs.seed", order=20)
        # Session materials: only the intake's students and its staff open the files.
        from .models import SessionMaterial

        registry.register_private_files("programs", SessionMaterial, "file", selectors.materials_visible_to)
