"""Every page of the site, found from the URL resolver, with example arguments from the demo data.

A page without URL arguments is found on its own. A page with arguments needs a line in
``EXAMPLES`` (how to find an object for it in the demo data); ``test_every_page_is_covered``
fails for a new page that has neither an example nor a place in ``NOT_PAGES``. The English-leak,
the Cyrillic, the Nu HTML validity and the accessibility tests use this list.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

# Addresses that are not pages a person reads. Files and feeds:
FILES_AND_FEEDS = {
    "healthz",
    "sitemap",
    "robots_txt",
    "news_feed_rss",
    "news_feed_atom",
    "certificates:qr",
    "fablab:my_bookings_ics",
    "fablab:ics_feed",
    "incubator:export_applications",
    "incubator:export_reviews",
    "incubator:pitch_deck",
    "private_file",
    "programs:certificate_pdf",
}
# Redirects (a GET only sends the person on); none at present: the language switcher links to
# the page's address in the other language.
REDIRECTS: set[str] = set()
# POST-only actions: a form on another page posts here and is sent back; a GET answers 405
# (test_pages.py checks that, as the superuser, who passes every permission check).
POST_ONLY = {
    "telegram_webhook",
    "logout",
    "notifications:telegram_unlink",
    "programs:offer_accept",
    "programs:offer_decline",
    "programs:session_material_add",
    "incubator:review_pick",
    "incubator:carry_over",
    "incubator:mentor_note",
    "incubator:office_hour_book",
    "incubator:office_hour_cancel",
    "incubator:milestone_add",
    "incubator:milestone_done",
    "fablab:training_sign_up",
    "fablab:training_cancel",
    "fablab:staff_training_mark",
    "fablab:staff_fault_handle",
}
NOT_PAGES = FILES_AND_FEEDS | REDIRECTS | POST_ONLY


def _first(model_path, **filters):
    from django.apps import apps

    model = apps.get_model(model_path)
    obj = model.objects.filter(**filters).order_by("pk").first()
    if obj is None:
        raise NoExample(f"the demo data has no {model_path} with {filters}")
    return obj


class NoExample(LookupError):
    """The demo data has no object for a page's example arguments (the page is reported, not checked)."""


def _youth():
    from technopark.seed import YOUTH_EMAIL

    return _first("technopark.User", email=YOUTH_EMAIL)


def _reviewer_assignment():
    return _first("incubator.ReviewAssignment", reviewer__email="reviewer@technopark.uz")


# URL name -> (kwargs from the demo data, who opens it). "signed-in" pages are opened by the demo
# young person; staff pages by the superuser and by the role that uses them.
EXAMPLES = {
    "news_detail": lambda: {"slug": _first("technopark.NewsArticle").slug},
    "confirm_email": lambda: {"token": "not-a-valid-token"},
    "password_reset_confirm": lambda: {"uidb64": "MQ", "token": "not-a-valid-token"},
    "programs:direction_detail": lambda: {"slug": _first("programs.Direction").slug},
    "programs:course_detail": lambda: {"slug": _first("programs.Course").slug},
    "programs:enrol": lambda: {"pk": _first("programs.Intake").pk},
    "programs:withdraw": lambda: {"pk": _first("programs.Enrolment", user=_youth()).pk},
    "programs:intake_attendance": lambda: {"pk": _first("programs.Session").intake_id},
    "programs:session_attendance": lambda: {"pk": _first("programs.Session").pk},
    "programs:feedback": lambda: {"pk": _first("programs.Enrolment", user=_youth()).pk},
    "programs:feedback_intake": lambda: {"pk": _first("programs.Session").intake_id},
    "programs:certificate_print": lambda: {"code": _first("programs.Certificate").code},
    "certificates:verify": lambda: {"code": _first("programs.Certificate").code},
    "incubator:startup_detail": lambda: {"slug": _first("incubator.Startup").slug},
    "incubator:investor_day_detail": lambda: {"pk": _first("incubator.InvestorDay").pk},
    "incubator:my_application": lambda: {"pk": _first("incubator.Application", applicant=_youth()).pk},
    "incubator:withdraw": lambda: {"pk": _first("incubator.Application", applicant=_youth()).pk},
    "incubator:team_confirm": lambda: {"token": "not-a-valid-token"},
    "incubator:review_detail": lambda: {"pk": _reviewer_assignment().application_id},
    "incubator:declare_conflict": lambda: {"pk": _reviewer_assignment().application_id},
    "incubator:ranking": lambda: {"number": _first("incubator.Season").number},
    "incubator:review_progress": lambda: {"number": _first("incubator.Season").number},
    "incubator:decision_template_preview": lambda: {"pk": _first("incubator.DecisionTemplate").pk},
    "incubator:monthly_report": lambda: {"slug": _first("incubator.Startup").slug},
    "incubator:startup_create": lambda: {"pk": _first("incubator.Application").pk},
    "fablab:equipment_detail": lambda: {"slug": _first("fablab.Equipment").slug},
    "fablab:booking_create": lambda: {"slug": _first("fablab.Equipment").slug},
    "fablab:funding_detail": lambda: {"slug": _first("fablab.FundingProject").slug},
    "fablab:solution_detail": lambda: {"slug": _first("fablab.EngineeringSolution").slug},
    "fablab:booking_cancel": lambda: {"pk": _first("fablab.Booking", user=_youth()).pk},
    "fablab:staff_decide": lambda: {"pk": _first("fablab.Booking").pk},
    # a machine of a category the demo young person holds a clearance for (the form, not the refusal)
    "fablab:fault_report": lambda: {"slug": _first("fablab.Equipment", category__clearances__user=_youth()).slug},
    # the past session of the seed: results marked, one person still to mark, a clearance granted
    "fablab:staff_training": lambda: {"pk": _first("fablab.TrainingSession", signups__status="passed").pk},
    "impact:season_report": lambda: {"number": _first("incubator.Season").number},
    "impact:equipment_report": lambda: {"slug": _first("fablab.FundingProject").slug},
}

# Who opens a page besides the visitor, the young person and the superuser (the role that uses it).
ROLE_OF_NAMESPACE = {
    "programs": "coordinator@technopark.uz",
    "certificates": "coordinator@technopark.uz",
    "incubator": "innox@technopark.uz",
    "fablab": "fablab@technopark.uz",
    "impact": "innox@technopark.uz",
}
REVIEWER_PAGES = {
    "incubator:review_assignments",
    "incubator:review_pool",
    "incubator:review_detail",
    "incubator:declare_conflict",
}
STAFF_EMAILS = [
    "coordinator@technopark.uz",
    "innox@technopark.uz",
    "reviewer@technopark.uz",
    "fablab@technopark.uz",
    "editor@technopark.uz",
]


def url_names() -> list[tuple[str, bool]]:
    """(name, takes arguments) of every named URL outside the admin."""
    found = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace]))
                if ns.startswith("admin"):
                    continue
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                name = ":".join(filter(None, [namespace, p.name]))
                found.append((name, bool(p.pattern.regex.groupindex)))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # in Uzbek (no prefix); path_in(lang) for the others
    users: tuple[str | None, ...]  # e-mails; None is the anonymous visitor
    method: str = "get"
    data: tuple = ()

    def path_in(self, lang: str) -> str:
        return self.path if lang == "uz" else f"/{lang}{self.path}"


def site_pages() -> list[Page]:
    """The public, signed-in and staff pages (the demo data must be loaded)."""
    pages = []
    for name, takes_args in url_names():
        if name in NOT_PAGES or (takes_args and name not in EXAMPLES):
            continue
        try:
            with translation.override("uz"):
                path = reverse(name, kwargs=EXAMPLES[name]() if takes_args else None)
        except NoExample as e:
            print(f"not checked: {name}: {e}")
            continue
        namespace = name.split(":")[0] if ":" in name else None
        if name in REVIEWER_PAGES:
            users = ("reviewer@technopark.uz", "admin@technopark.uz")
        else:
            users = (None, "youth@technopark.uz", "admin@technopark.uz")
            if namespace in ROLE_OF_NAMESPACE:
                users += (ROLE_OF_NAMESPACE[namespace],)
        pages.append(Page(name, path, users))
    return pages


def admin_pages() -> list[Page]:
    with translation.override("uz"):
        return _admin_pages()


def _admin_pages() -> list[Page]:
    """The admin's index, each app's index, and for every registered model its changelist, add
    form, change form, history, delete confirmation and export page (where it has one). The
    superuser opens them all; each staff role opens the index and the changelists it may view."""
    from django.contrib.auth import get_user_model

    pages = [Page("admin:index", reverse("admin:index"), ("admin@technopark.uz", *STAFF_EMAILS))]
    staff = {u.email: u for u in get_user_model().objects.filter(email__in=STAFF_EMAILS)}
    apps_seen = set()
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        info = (opts.app_label, opts.model_name)
        if opts.app_label not in apps_seen:
            apps_seen.add(opts.app_label)
            pages.append(
                Page("admin:app_list", reverse("admin:app_list", args=[opts.app_label]), ("admin@technopark.uz",))
            )
        viewers = tuple(e for e, u in staff.items() if u.has_perm(f"{opts.app_label}.view_{opts.model_name}"))
        pages.append(
            Page("admin:changelist", reverse("admin:{}_{}_changelist".format(*info)), ("admin@technopark.uz", *viewers))
        )
        if model_admin.has_add_permission(_FakeRequest()):
            pages.append(Page("admin:add", reverse("admin:{}_{}_add".format(*info)), ("admin@technopark.uz",)))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            for view in ("change", "history", "delete"):
                pages.append(
                    Page(
                        f"admin:{view}", reverse(f"admin:%s_%s_{view}" % info, args=[obj.pk]), ("admin@technopark.uz",)
                    )
                )
        try:
            export = reverse("admin:{}_{}_export".format(*info))
        except Exception:  # noqa: BLE001 - the model has no export page
            export = None
        if export:
            pages.append(Page("admin:export", export, ("admin@technopark.uz", *viewers)))
    return pages


class _FakeRequest:
    """The superuser's request, for the admin's permission hooks."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        self.user = get_user_model().objects.get(email="admin@technopark.uz")
        self.GET = {}
        self.POST = {}
        self.method = "GET"
        self.path = "/admin/"
        self.META = {}
        self.COOKIES = {}
        self.resolver_match = None
