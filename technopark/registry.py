"""What the domain apps contribute to the core's pages, registered from their ``AppConfig.ready()``.

The core (``technopark``) knows no domain app: "My technopark", the home page's figures, site
search, sitemap.xml and ``seed_demo`` are built from what the installed apps register here.
An app that is not installed simply contributes nothing. Each app defines its own "public"
queryset (in its ``selectors.py``) and passes it to its search kind and sitemap, so one rule
decides what the public may see, on its pages, in search and in the sitemap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from django.contrib.sitemaps import Sitemap

    from .search import SearchKind


@dataclass(frozen=True)
class DashboardPanel:
    """A section of "My technopark": ``context(user)`` fills ``template``. The rendered panel is
    kept per person (``technopark.templatetags.dashboard``) while the page-cache namespaces in
    ``depends_on`` and the person's own namespace are unchanged: an app registering a panel
    declares what its panel shows, and watches (``page_cache.watch_person``) the person's rows
    its public namespace leaves out."""

    key: str
    template: str
    context: Callable[[Any], dict]
    order: int = 100
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class SeedStep:
    """One app's part of the demo data: ``<module>.run(stdout=…, scale=…)``, in its own
    transaction (imported only when the demo data is loaded)."""

    key: str
    module: str
    order: int = 100

    def run(self, **kwargs) -> None:
        import_module(self.module).run(**kwargs)


_dashboard: dict[str, DashboardPanel] = {}
_search: dict[str, SearchKind] = {}
_sitemaps: dict[str, type[Sitemap]] = {}
_static_pages: dict[str, tuple[tuple[str, ...], int]] = {}
_seeds: dict[str, SeedStep] = {}
_home: dict[str, Callable[[], dict]] = {}
_seed_reports: dict[str, Callable[[], list[tuple[str, Any]]]] = {}
_private_files: dict[str, tuple[Any, str, Callable[[Any], Any]]] = {}


def _sorted(items):
    return sorted(items, key=lambda item: (item.order, item.key))


# --- "My technopark" ---------------------------------------------------------------------


def register_dashboard_panel(
    key: str,
    *,
    template: str,
    context: Callable[[Any], dict],
    order: int = 100,
    depends_on: tuple[str, ...] = (),
) -> None:
    _dashboard[key] = DashboardPanel(
        key=key, template=template, context=context, order=order, depends_on=tuple(depends_on)
    )


def dashboard_panels() -> list[DashboardPanel]:
    return _sorted(_dashboard.values())


# --- Home page ---------------------------------------------------------------------------


def register_home_context(key: str, context: Callable[[], dict]) -> None:
    """Extra context of the home page (e.g. the impact figures: ``{"figures": …}``)."""
    _home[key] = context


def home_context() -> dict:
    context: dict = {}
    for key in sorted(_home):
        context.update(_home[key]())
    return context


# --- Search ------------------------------------------------------------------------------


def register_search_kind(kind: SearchKind) -> SearchKind:
    _search[kind.key] = kind
    return kind


def search_kinds() -> list[SearchKind]:
    return list(_search.values())


# --- sitemap.xml -------------------------------------------------------------------------


def register_sitemap(key: str, sitemap: type[Sitemap]) -> None:
    """A sitemap section (a ``Sitemap`` class whose ``items()`` is the app's public queryset)."""
    _sitemaps[key] = sitemap


def register_static_pages(key: str, *url_names: str, order: int = 100) -> None:
    """Fixed pages of an app (URL names without arguments) listed in the sitemap's "pages"."""
    _static_pages[key] = (url_names, order)


def sitemaps() -> dict[str, type[Sitemap]]:
    return dict(_sitemaps)


def static_page_names() -> list[str]:
    ordered = sorted(_static_pages.items(), key=lambda item: (item[1][1], item[0]))
    return [name for _key, (names, _order) in ordered for name in names]


# --- Private files -----------------------------------------------------------------------


def register_private_files(key: str, model, field_name: str, visible_to: Callable[[Any], Any]) -> None:
    """A private file field: ``visible_to(user)`` is the queryset of rows whose file that person
    may open (``technopark.files`` serves nothing else)."""
    _private_files[f"{key}.{field_name}"] = (model, field_name, visible_to)


def private_file_rules() -> list[tuple[Any, str, Callable[[Any], Any]]]:
    return [_private_files[key] for key in sorted(_private_files)]


# --- Demo data ---------------------------------------------------------------------------


def register_seed(key: str, module: str, *, order: int = 100) -> None:
    """``module`` (e.g. "programs.seed") has ``run(*, stdout, scale)``; lower ``order`` runs first."""
    _seeds[key] = SeedStep(key=key, module=module, order=order)


def seed_steps() -> list[SeedStep]:
    return _sorted(_seeds.values())


def register_seed_report(key: str, report: Callable[[], list[tuple[str, Any]]]) -> None:
    """Lines (label, value) ``seed_demo`` prints after loading, e.g. the headline figures."""
    _seed_reports[key] = report


def seed_reports() -> list[Callable[[], list[tuple[str, Any]]]]:
    return [_seed_reports[key] for key in sorted(_seed_reports)]


# --- A person's own data -------------------------------------------------------------------

_erasure_steps: dict[str, tuple[Callable[[Any], None], int]] = {}


def register_erasure(key: str, step: Callable[[Any], None], *, order: int = 100) -> None:
    """What an app does when a person asks for deletion, before the account is anonymised: e.g.
    cancel their future bookings, withdraw open enrolments, delete drafts (through its services).
    Records the technopark must keep (certificates, investments) stay, pointing at the anonymised account."""
    _erasure_steps[key] = (step, order)


def erasure_steps() -> list[Callable[[Any], None]]:
    return [step for _key, (step, _order) in sorted(_erasure_steps.items(), key=lambda item: (item[1][1], item[0]))]
