"""Site search: PostgreSQL full-text and trigram search over the public content of every app.

Each searchable kind is one ``SearchKind``, registered by the app that owns it from its
``AppConfig.ready()`` (``technopark.registry.register_search_kind``) with that app's own public
queryset; the core registers only its news.

A search runs in the current language:

- **Stored vectors.** Each searchable model has a ``search_<lang>`` column per language, a
  ``GENERATED ALWAYS … STORED`` tsvector (``stored_search_vector``) that PostgreSQL keeps
  current on every insert and update, with a GIN index (``search_indexes``). The weighted text
  columns of that language (``title_ru`` …, from django-modeltranslation) go in with the
  language's text-search configuration (Uzbek has none in PostgreSQL, so ``simple``).
- **Typos and near-matches.** The title is also matched by trigram word similarity
  (``pg_trgm``: ``robototexnka`` finds "LEGO robototexnikasi"), through a GIN trigram index on
  the lower-cased, folded title.
- **One Uzbek apostrophe.** ' ` ´ ‘ ’ ʻ ʼ … are folded into ʻ in the stored vectors, the trigram
  index and the words typed, so ``o'quv``, ``o‘quv`` and ``oʻquv`` are one word.
- **Uzbek typed in Cyrillic.** The Uzbek content is stored in Latin (``uz-cyrl`` reads it and
  writes it in Cyrillic at render time). In Uzbek (``uz`` and ``uz-cyrl``) a word typed in
  Cyrillic is also looked for in Latin (``technopark.transliteration.cyrillic_to_latin``):
  ``робототехника`` finds "LEGO robototexnikasi", ``Веб дастурлаш`` finds "Veb dasturlash". In
  Russian the words are looked for as typed.
- **Highlights for the page shown only.** The ranked ``UNION ALL`` of every kind gives kind,
  key, title and rank (count + page: two queries whatever the number of kinds); the
  ``ts_headline`` excerpts are then computed for the page's rows alone, in one more query.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.functions import Cast, Concat, Lower
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import registry
from .text import APOSTROPHE_VARIANTS, OKINA
from .transliteration import cyrillic_to_latin, has_cyrillic

# PostgreSQL text-search configuration for each site language.
SEARCH_CONFIGS = {"uz": "simple", "ru": "russian", "en": "english"}
LANGUAGES = tuple(SEARCH_CONFIGS)
MAX_QUERY_WORDS = 8
# A fuzzy title match counts this much of its word similarity (0–1) in the rank, so that exact
# full-text matches come first.
TRIGRAM_RANK_WEIGHT = 0.5

# ts_headline wraps matches in these markers (private-use characters that real text does not
# contain and that HTML escaping leaves alone); they become <mark> after the text is escaped.
_START, _STOP = "\ue000", "\ue001"
# Letters and digits only: "_" is a \w character but no lexeme, so "___" must count as no word.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_FOLD_TABLE = str.maketrans({c: OKINA for c in APOSTROPHE_VARIANTS})


# --- Folding: one apostrophe, in Python and in SQL -----------------------------------------


def fold_for_search(text: str) -> str:
    """Every Uzbek apostrophe variant as ʻ (the stored vectors and trigram index do the same in SQL).

    Search needs one character where ``technopark.text.fold_uzbek_apostrophes`` keeps the two
    official marks apart: people type either mark for either sound."""
    return (text or "").translate(_FOLD_TABLE)


class Fold(models.Func):
    """SQL ``translate(text, <variants>, <ʻ…>)``: immutable, so usable in generated columns and indexes."""

    function = "translate"
    output_field = models.TextField()

    def __init__(self, expression, **extra):
        super().__init__(
            expression,
            models.Value(APOSTROPHE_VARIANTS),
            models.Value(OKINA * len(APOSTROPHE_VARIANTS)),
            **extra,
        )


def folded_title(column: str):
    """The expression the trigram index is built on and the search filters on (they must match)."""
    return Lower(Fold(models.F(column)))


def stored_search_vector(lang: str, **weights: str) -> models.GeneratedField:
    """A ``search_<lang>`` column: the weighted, folded tsvector of the given columns, kept
    current by PostgreSQL (``GENERATED ALWAYS AS (…) STORED``).

    ``stored_search_vector("ru", title_ru="A", description_ru="B")``"""
    config = SEARCH_CONFIGS[lang]
    vector = None
    for column, weight in weights.items():
        part = SearchVector(Fold(models.F(column)), weight=weight, config=config)
        vector = part if vector is None else vector + part
    return models.GeneratedField(expression=vector, output_field=SearchVectorField(), db_persist=True)


def search_indexes(prefix: str, **titles: str) -> list[models.Index]:
    """GIN indexes for a searchable model: the stored vector of each language and a trigram
    index on each distinct title column. ``search_indexes("programs_course", uz="title_uz", …)``"""
    indexes: list[models.Index] = [
        GinIndex(fields=[f"search_{lang}"], name=f"{prefix}_search_{lang}") for lang in titles
    ]
    seen = set()
    for lang, column in titles.items():
        if column in seen:
            continue
        seen.add(column)
        indexes.append(GinIndex(OpClass(folded_title(column), name="gin_trgm_ops"), name=f"{prefix}_trgm_{lang}"))
    return indexes


# --- Kinds -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchKind:
    """One kind of searchable public object.

    ``fields`` maps a field name (without language suffix) to its weight (A–D): what the stored
    ``search_<lang>`` columns hold (and what is computed per query for a model without them);
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

    def _model(self):
        return apps.get_model(self.model)

    def vector(self, lang: str):
        """The stored ``search_<lang>`` column; computed (and folded) for a model without one."""
        model = self._model()
        try:
            model._meta.get_field(f"search_{lang}")
        except FieldDoesNotExist:
            config = SEARCH_CONFIGS[lang]
            vector = None
            for name, weight in self.fields.items():
                part = SearchVector(Fold(models.F(self.column(model, name, lang))), weight=weight, config=config)
                vector = part if vector is None else vector + part
            return vector
        return models.F(f"search_{lang}")

    def _headline_source(self, lang: str):
        parts = []
        for name in self.headline_fields:
            if parts:
                parts.append(models.Value(" … "))
            parts.append(models.F(self.column(self._model(), name, lang)))
        return parts[0] if len(parts) == 1 else Concat(*parts, output_field=models.TextField())

    def _tagged(self, queryset):
        return queryset.annotate(
            s_kind=models.Value(self.key, output_field=models.CharField()),
            s_key=Cast(self.key_field, output_field=models.CharField()),
        )

    def queryset(self, query: SearchQuery, words: str, lang: str) -> models.QuerySet:
        """Matches of this kind: rows of (kind, key, title, rank) — no excerpt (see ``headlines``)."""
        vector = self.vector(lang)
        title = self.column(self._model(), self.title_field, lang)
        similarity = TrigramWordSimilarity(models.Value(words), folded_title(title))
        matches = models.Q(s_vector=query) | models.Q(s_folded_title__trigram_word_similar=words)
        return (
            self._tagged(self.public().annotate(s_vector=vector, s_folded_title=folded_title(title)).filter(matches))
            .annotate(
                s_title=models.F(title),
                s_rank=SearchRank(vector, query) + TRIGRAM_RANK_WEIGHT * similarity,
            )
            .order_by()
            .values_list("s_kind", "s_key", "s_title", "s_rank")
        )

    def headlines(self, keys: list[str], query: SearchQuery, lang: str) -> models.QuerySet:
        """Rows of (kind, key, excerpt) for the given keys only: the page being shown."""
        return (
            self._tagged(self.public().filter(**{f"{self.key_field}__in": keys}))
            .annotate(
                s_headline=SearchHeadline(
                    self._headline_source(lang),
                    query,
                    config=SEARCH_CONFIGS[lang],
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
            )
            .order_by()
            .values_list("s_kind", "s_key", "s_headline")
        )


def registered_kinds() -> list[SearchKind]:
    """The kinds the installed apps registered (whose models exist)."""
    return [kind for kind in registry.search_kinds() if kind.available()]


def _words(text: str) -> list[str]:
    words = (word.strip(OKINA).lower() for word in _WORD.findall(fold_for_search(text)))
    return [word for word in words if word]


def _typed_and_latin(text: str, lang: str | None) -> list[tuple[str, str]]:
    """(word as typed, the word the search looks for) for each word typed, folded and lower-cased.

    In Uzbek a word typed in Cyrillic is looked for in Latin, the script of the stored content:
    this is the one place where the text typed is normalised for the search."""
    pairs = []
    for word in _words(text)[:MAX_QUERY_WORDS]:
        latin = word
        if _language(lang) == "uz" and has_cyrillic(word):
            latin = " ".join(_words(cyrillic_to_latin(word))) or word
        pairs.append((word, latin))
    return pairs


def query_words(text: str, lang: str | None = None) -> list[str]:
    """The words looked for, folded and lower-cased: runs of letters and digits (ʻ counts as a
    letter inside a word; an apostrophe alone is no word); in Uzbek, Cyrillic read as Latin."""
    return [latin for _typed, latin in _typed_and_latin(text, lang)]


def build_query(text: str, lang: str) -> SearchQuery | None:
    """A prefix query (``word:* & word:*``) from the words typed; None when nothing is left. A
    word typed in Cyrillic in Uzbek is matched as typed or in Latin (``(робот:* | robot:*)``).

    Only runs of letters and digits reach the raw tsquery, so no user input can break its syntax.
    """
    pairs = _typed_and_latin(text, lang)
    if not pairs:
        return None
    terms = []
    for typed, latin in pairs:
        latin_term = " & ".join(f"{part}:*" for part in latin.split())
        terms.append(latin_term if typed == latin else f"({typed}:* | {latin_term})")
    raw = " & ".join(terms)
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


def _language(lang: str | None) -> str:
    lang = (lang or get_language() or "uz").split("-")[0]
    return lang if lang in SEARCH_CONFIGS else "uz"


def search(text: str, *, kind: str = "", lang: str | None = None) -> models.QuerySet | None:
    """The ranked UNION of every kind's matches (rows of kind, key, title, rank).

    Returns None when the text has no words. Paginate the result; wrap the page's rows with
    ``to_results``, which adds the excerpts.
    """
    lang = _language(lang)
    query = build_query(text, lang)
    if query is None:
        return None
    kinds = [k for k in registered_kinds() if not kind or k.key == kind]
    if not kinds:
        return None
    words = " ".join(query_words(text, lang))
    first, *rest = (k.queryset(query, words, lang) for k in kinds)
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by("-s_rank", "s_title", "s_key")


def to_results(rows, text: str, *, lang: str | None = None) -> list[SearchResult]:
    """The page's rows as results, with highlighted excerpts: one query for the whole page."""
    rows = list(rows)
    lang = _language(lang)
    by_key = {k.key: k for k in registry.search_kinds()}
    query = build_query(text, lang)
    excerpts: dict[tuple[str, str], str] = {}
    wanted: dict[str, list[str]] = {}
    for kind, key, _title, _rank in rows:
        wanted.setdefault(kind, []).append(key)
    if wanted and query is not None:
        first, *rest = (by_key[kind].headlines(keys, query, lang) for kind, keys in wanted.items())
        combined = first.union(*rest, all=True) if rest else first
        excerpts = {(kind, key): headline for kind, key, headline in combined}
    return [
        SearchResult(
            kind=by_key[kind], key=key, title=title, headline=highlight(excerpts.get((kind, key), "")), rank=rank
        )
        for kind, key, title, rank in rows
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

    def found():
        rows = search(text, kind=kind)
        if rows is None:
            return {"page_obj": None, "results": None}
        page_obj = Paginator(rows, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        return {"page_obj": page_obj, "results": to_results(page_obj.object_list, text)}

    filters = {k: v for k, v in (("q", text), ("kind", kind)) if v}
    # The results are the same for everyone: read only when their fragment, kept under every
    # namespace's version (any public model may match), is stale (push=).
    return render(
        request,
        "technopark/search.html",
        {
            "q": text,
            "kind": kind,
            "kinds": kinds,
            "found": found,
            "query_string": urlencode(filters),
        },
    )
