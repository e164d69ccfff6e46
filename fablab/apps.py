from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FablabConfig(AppConfig):
    name = "fablab"
    verbose_name = _("FabLab")

    def ready(self):
        from technopark import registry as technopark_registry

        from . import privacy as fablab_privacy

        technopark_registry.register_erasure("fablab", fablab_privacy.erase, order=20)

        from notifications import registry as outbox
        from technopark import page_cache

        # Booking receipts and reminders, safety-clearance reminders; the scheduler's jobs.
        outbox.register_topic("fablab", _("FabLab bookings and safety clearances"))
        outbox.register_job("fablab.booking_tomorrow", "fablab.jobs.booking_tomorrow", hour="8-20", minute="0")
        outbox.register_job("fablab.clearance_expiring", "fablab.jobs.clearance_expiring", hour="9", minute="30")
        outbox.register_job("fablab.complete_past_bookings", "fablab.jobs.complete_past_bookings", minute="15")
        outbox.register_job("fablab.mark_no_shows", "fablab.jobs.mark_no_shows", minute="*/5")

        # Machines, their calendars (bookings, maintenance), trainings (seats left), projects and
        # solutions are public; safety clearances and fault reports are not.
        page_cache.watch_app(self, exclude=("Clearance", "FaultReport"))
        page_cache.cache_routes(
            "fablab:index",
            "fablab:equipment_detail",
            "fablab:funding_list",
            "fablab:funding_detail",
            "fablab:solution_list",
            "fablab:solution_detail",
            depends_on=["fablab"],
        )
        # The About page shows the FabLab's opening hours (templatetags/fablab_hours.py).
        page_cache.cache_routes("about", depends_on=[*page_cache.ROUTES.get("about", ()), "fablab"])
        self.register_with_core()

    def register_with_core(self):
        """Dashboard panel, search kinds, sitemap sections and demo data (technopark.registry)."""
        from django.urls import reverse

        from technopark import page_cache, registry
        from technopark.search import SearchKind
        from technopark.sitemaps import public_sitemap

        from . import selectors

        registry.register_dashboard_panel(
            "fablab",
            template="fablab/_dashboard.html",
            context=selectors.dashboard_context,
            order=40,
            depends_on=("fablab",),
        )
        # Clearances are no public page's business (excluded from the namespace) but the panel shows them.
        page_cache.watch_person(self.get_model("Clearance"), lambda clearance: [clearance.user_id])
        registry.register_search_kind(
            SearchKind(
                key="equipment",
                label=_("Equipment"),
                model="fablab.Equipment",
                fields={"name": "A", "model": "B", "purpose": "C"},
                title_field="name",
                headline_fields=("purpose",),
                key_field="slug",
                url=lambda slug: reverse("fablab:equipment_detail", kwargs={"slug": slug}),
                public=selectors.public_equipment,
            )
        )
        registry.register_search_kind(
            SearchKind(
                key="solutions",
                label=_("Engineering solutions"),
                model="fablab.EngineeringSolution",
                fields={"title": "A", "team": "C", "description": "B"},
                title_field="title",
                headline_fields=("description",),
                key_field="slug",
                url=lambda slug: reverse("fablab:solution_detail", kwargs={"slug": slug}),
                public=selectors.public_solutions,
            )
        )
        registry.register_static_pages(
            "fablab", "fablab:index", "fablab:funding_list", "fablab:solution_list", order=40
        )
        registry.register_sitemap("equipment", public_sitemap(selectors.public_equipment))
        registry.register_sitemap(
            "funding-projects", public_sitemap(selectors.public_funding_projects, changefreq="yearly")
        )
        registry.register_sitemap("solutions", public_sitemap(selectors.public_solutions, changefreq="monthly"))
        registry.register_seed("fablab", "fablab.seed", order=40)
        # Fault photos are for the staff (and the person who reported): technopark.files serves them.
        from .models import FaultReport

        registry.register_private_files("fablab", FaultReport, "photo", selectors.fault_reports_visible_to)
