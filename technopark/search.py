"""Site search: PostgreSQL full-text search over the public content of every app.

Each searchable kind is one ``SearchKind``, registered by the app that owns it from its
``AppConfig.ready()`` (``technopark.registry.register_search_kind``) with that app's own public
queryset; the core registers only its news. A search runs in the current language: the text columns of that
language (``title_ru`` …, from django-modeltranslation) are turned into a weighted
``tsvector`` with the language's text-search configuration (Uzbek has none in PostgreSQL, so
``simple``), matched against a prefix query built from the words typed, ranked, and given a
highlighted excerpt (``ts_headline``). All kinds are combined with ``UNION ALL`` into one
ranked list, so a page of results costs two queries (count + page) whatever the number of kinds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import registry

# PostgreSQL text-search configuration for each site language.
SEARCH_CONFIGS = {"uz": "simple", "ru": "russian", "en": "english"}
MAX_QUERY_WORDS = 8
MIN_RANK = 0.0

# ts_headline wraps matches in these markers (private-use characters that real text does not
# contain and that HTML escaping leaves alone); they become <mark> after the text is escaped.
_START, _STOP = "\ue000", "\ue001"
# Letters and digits only: "_" is a \w character but no lexeme, so "___" must count as no word.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class SearchKind:
    """One kind of searchable public object.

    ``fields`` maps a translated field name (without language suffix) to its weight (A–D);
    ``headline_fields`` are the fields the highlighted excerpt is cut from; ``key_field`` is what
    ``url`` needs to build the object's address (a slug or the primary key).
    """

    key: str
    label: str
    model: str  # "app_label.ModelName"
    fields: dict[str, str]
    title_field: str
    headline_fields: tuple[str, ...]
    url: Callable[[str], str]
    public: Callable[[], models.QuerySet]  # the app's public queryset (its selectors' rule)
    key_field: str = "pk"

    def available(self) -> bool:
        try:
            model = apps.get_model(self.model)
        except LookupError:
            return False
        names = {f.name for f in model._meta.get_fields()}
        return all(name in names for name in [*self.fields, self.title_field, *self.headline_fields])

    @staticmethod
    def column(model, name: str, lang: str) -> str:
        """``name_<lang>`` for a translated field (django-modeltranslation), else ``name``."""
        translated = f"{name}_{lang}"
        try:
            model._meta.get_field(translated)
        except FieldDoesNotExist:  # the field is not translated
            return name
        return translated

    def _headline_source(self, lang: str):
        parts = []
        for name in self.headline_fields:
            if parts:
                parts.append(models.Value(" … "))
            parts.append(models.F(self.column(apps.get_model(self.model), name, lang)))
        return parts[0] if len(parts) == 1 else Concat(*parts, output_field=models.TextField())

    def queryset(self, query: SearchQuery, lang: str) -> models.QuerySet:
        config = SEARCH_CONFIGS.get(lang, "simple")
        model = apps.get_model(self.model)
        vector = None
        for name, weight in self.fields.items():
            part = SearchVector(self.column(model, name, lang), weight=weight, config=config)
            vector = part if vector is None else vector + part
        return (
            self.public()
            .annotate(search=vector)
            .filter(search=query)
            .annotate(
                s_kind=models.Value(self.key, output_field=models.CharField()),
                s_key=Cast(self.key_field, output_field=models.CharField()),
                s_title=models.F(self.column(model, self.title_field, lang)),
                s_headline=SearchHeadline(
                    self._headline_source(lang),
                    query,
                    config=config,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
                s_rank=SearchRank(vector, query),
            )
            .order_by()
            .values_list("s_kind", "s_key", "s_title", "s_headline", "s_rank")
        )


def registered_kinds() -> list[SearchKind]:
    """The kinds the installed apps registered (whose models exist)."""
    return [kind for kind in registry.search_kinds() if kind.available()]


def build_query(text: str, lang: str) -> SearchQuery | None:
    """A prefix query (``word:* & word:*``) from the words typed; None when nothing is left.

    Only runs of letters and digits reach the raw tsquery, so no user input can break its syntax.
    """
    words = _WORD.findall(text or "")[:MAX_QUERY_WORDS]
    if not words:
        return None
    raw = " & ".join(f"{word.lower()}:*" for word in words)
    return SearchQuery(raw, search_type="raw", config=SEARCH_CONFIGS.get(lang, "simple"))


@dataclass(frozen=True)
class SearchResult:
    kind: SearchKind
    key: str
    title: str
    headline: SafeString
    rank: float

    @property
    def url(self) -> str:
        return self.kind.url(self.key)


def highlight(text: str) -> SafeString:
    """Escape everything, then turn the ts_headline markers into <mark> elements."""
    safe = escape((text or "").replace("\n", " "))
    return mark_safe(safe.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308 - escaped above


def search(text: str, *, kind: str = "", lang: str | None = None) -> models.QuerySet | None:
    """The ranked UNION of every kind's matches (rows of kind, key, title, headline, rank).

    Returns None when the text has no words. Paginate the result; wrap rows with ``to_results``.
    """
    lang = (lang or get_language() or "uz").split("-")[0]
    if lang not in SEARCH_CONFIGS:
        lang = "uz"
    query = build_query(text, lang)
    if query is None:
        return None
    kinds = [k for k in registered_kinds() if not kind or k.key == kind]
    if not kinds:
        return None
    first, *rest = (k.queryset(query, lang) for k in kinds)
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by("-s_rank", "s_title", "s_key")


def to_results(rows) -> list[SearchResult]:
    by_key = {k.key: k for k in registry.search_kinds()}
    return [
        SearchResult(kind=by_key[kind], key=key, title=title, headline=highlight(headline), rank=rank)
        for kind, key, title, headline, rank in rows
    ]


# --- The core's own kind ------------------------------------------------------------------


def news_search_kind() -> SearchKind:
    from .models import NewsArticle

    return SearchKind(
        key="news",
        label=_("News"),
        model="technopark.NewsArticle",
        fields={"title": "A", "lead": "B", "body": "C"},
        title_field="title",
        headline_fields=("lead", "body"),
        key_field="slug",
        url=lambda slug: reverse("news_detail", kwargs={"slug": slug}),
        public=NewsArticle.objects.published,
    )


# --- The page ---------------------------------------------------------------------------

RESULTS_PER_PAGE = 10


def search_view(request):
    """/search/?q=…&kind=…: ranked, highlighted results in the current language, paginated."""
    from urllib.parse import urlencode

    from django.core.paginator import Paginator
    from django.shortcuts import render

    text = (request.GET.get("q") or "").strip()[:200]
    kinds = registered_kinds()
    kind = request.GET.get("kind", "")
    if kind not in {k.key for k in kinds}:
        kind = ""
    rows = search(text, kind=kind)
    page_obj = results = None
    if rows is not None:
        page_obj = Paginator(rows, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        results = to_results(page_obj.object_list)
    filters = {k: v for k, v in (("q", text), ("kind", kind)) if v}
    return render(
        request,
        "technopark/search.html",
        {
            "q": text,
            "kind": kind,
            "kinds": kinds,
            "page_obj": page_obj,
            "results": results,
            "query_string": urlencode(filters),
        },
    )
