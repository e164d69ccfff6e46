"""Ўзбекча: the site in Uzbek Cyrillic (``uz-cyrl``, at ``/uz-cyrl/``).

The interface arrives in Cyrillic from the generated catalogues (technopark/cyrillic_catalogues.py).
The content — titles and descriptions from modeltranslation fields, seeded texts, names — has no
Cyrillic column: modeltranslation's languages stay uz, ru and en, and for ``uz-cyrl`` it reads
the Uzbek Latin value (its ``get_language()`` maps an unknown ``uz-cyrl`` to ``uz``). This module
writes that content in Cyrillic at render time:

- :class:`CyrillicUzbekMiddleware` rewrites the text of ``text/html`` responses in ``uz-cyrl``:
  text nodes and the ``title``, ``alt``, ``placeholder`` and ``aria-label`` attributes (and the
  ``content`` of the description and Open Graph meta tags, a submit button's label), never ``<script>``, ``<style>``,
  ``<code>``, ``<pre>``, ``<textarea>`` (a form's value), other attributes (input values, links),
  nor an element marked with another ``lang`` (the language switcher's "Oʻzbekcha") or
  ``translate="no"``. Cyrillic text — the interface, and Russian names — is left as it is
  (:func:`technopark.text.latin_to_cyrillic` does not touch it).
- :func:`transliterate` / :func:`transliterate_html` do the same for e-mails and Telegram messages
  (notifications.services.render_message).
- Staff corrections (:class:`technopark.models.TransliterationOverride`) are applied before the
  rules; they are read once per version of the page cache's ``technopark`` namespace, and saving
  one makes every cached page stale.
- :func:`cyrillic_to_latin` goes the other way for what people type: the site search
  (technopark.search.query_words) and the admin's search boxes (technopark.admin_site) read a
  query typed in Cyrillic ("робототехника", "Веб дастурлаш") in the Latin the content is stored in.

It sits inside the anonymous page cache (after it in MIDDLEWARE), so a cached ``/uz-cyrl/`` page
is stored already in Cyrillic and the cache key is the path, which holds the language prefix.
"""

from __future__ import annotations

import html
import logging
import re

from django.db import transaction
from django.utils import translation

from technopark.text import (
    _SUFFIXES,
    ABBREVIATIONS,
    EXCEPTIONS,
    OKINA,
    TUTUQ,
    fold_uzbek_apostrophes,
    latin_to_cyrillic,
)

logger = logging.getLogger(__name__)

CYRILLIC_UZBEK = "uz-cyrl"


def is_cyrillic_uzbek(language: str | None) -> bool:
    return (language or "").lower() == CYRILLIC_UZBEK


# --- Staff overrides -----------------------------------------------------------------------

_compiled: dict[str, tuple] = {}  # namespace version -> (latin regex, cyrillic regex, mappings)


def _overrides():
    """(latin pattern, generated-cyrillic pattern, latin->cyrillic, generated->cyrillic) or None."""
    from technopark import page_cache

    try:
        version = page_cache.current_versions(["technopark"]).get("technopark") or ""
    except Exception:  # the cache down: read the table every time
        version = ""
    if version and version in _compiled:
        return _compiled[version]
    from technopark.models import TransliterationOverride

    rows = list(TransliterationOverride.objects.values_list("latin", "cyrillic"))
    compiled = _compile(rows)
    if version:
        _compiled.clear()
        _compiled[version] = compiled
    return compiled


def _compile(rows):
    if not rows:
        return None
    latin = {}
    generated = {}
    for source, target in rows:
        source = fold_uzbek_apostrophes(source)
        latin[source.lower()] = target
        rule = latin_to_cyrillic(source)
        if rule != target:
            generated[rule.lower()] = target

    def pattern(keys):
        if not keys:
            return None
        alternatives = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
        return re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)", re.IGNORECASE)

    return pattern(latin), pattern(generated), latin, generated


def _case_like(source: str, target: str) -> str:
    if len(source) > 1 and source.isupper():
        return target.upper()
    if source[:1].isupper() and target[:1].islower():
        return target[:1].upper() + target[1:]
    return target


def transliterate(text: str, overrides=None) -> str:
    """Plain text (or a catalogue-like string) in Uzbek Cyrillic, staff overrides first."""
    if not text:
        return text
    compiled = _overrides() if overrides is None else overrides
    if not compiled:
        return latin_to_cyrillic(text)
    latin_re, generated_re, latin, generated = compiled
    text = fold_uzbek_apostrophes(text)
    out = []
    position = 0
    for match in latin_re.finditer(text) if latin_re else ():
        out.append(latin_to_cyrillic(text[position : match.start()]))
        out.append(_case_like(match.group(0), latin[match.group(0).lower()]))
        position = match.end()
    out.append(latin_to_cyrillic(text[position:]))
    result = "".join(out)
    if generated_re:  # interface strings arrive already in the rules' Cyrillic
        result = generated_re.sub(lambda m: _case_like(m.group(0), generated[m.group(0).lower()]), result)
    return result


# --- Cyrillic -> Latin (what people type) ---------------------------------------------------
#
# The 1995 correspondence read backwards: ш -> sh, ч -> ch, ў -> oʻ, ғ -> gʻ, ё/ю/я -> yo/yu/ya;
# е -> ye at the start of a word and after a vowel, ъ or ь (ер, Абдуллаева, объект), e elsewhere;
# э -> e; ц -> ts after a vowel (милиция), s elsewhere (цирк, функция); ъ -> ʼ (маъно), dropped
# before е/ё/ю/я (объект -> obyekt); ь dropped (before о it is y: батальон -> batalyon); сҳ ->
# sʼh (Исҳоқ), so that it is not read as ш. Russian letters the Uzbek alphabet lacks: ы -> i,
# щ -> sh. The stems of EXCEPTIONS the rules would not give back (сентябрь -> sentabr, концерт
# -> konsert) are read as the Latin writes them, with the same suffixes. Anything that is not
# Cyrillic (Latin, digits, punctuation) is left as it is.

_CYRILLIC_RUN = re.compile(r"[\u0400-\u04ff]+")
_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ж": "j", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "x", "ч": "ch", "ш": "sh", "щ": "sh", "ы": "i", "э": "e", "ё": "yo",
    "ю": "yu", "я": "ya", "ў": "o" + OKINA, "қ": "q", "ғ": "g" + OKINA, "ҳ": "h",
}  # fmt: skip
_CYRILLIC_VOWELS = set("аеёиоуэюяўы")
_IOTATED_CYRILLIC = set("еёюя")


def _letters_to_latin(word: str, initial: bool = True) -> str:
    """Letter by letter, for a run of Cyrillic letters (see the rules above)."""
    lower = word.lower()
    all_caps = len(word) > 1 and word.isupper()
    out = []
    for i, (c, low) in enumerate(zip(word, lower, strict=True)):
        prev = lower[i - 1] if i else ""
        nxt = lower[i + 1] if i + 1 < len(lower) else ""
        start = initial and i == 0
        if low == "е":
            latin = "ye" if start or prev in _CYRILLIC_VOWELS or prev in "ъь" else "e"
        elif low == "ц":
            latin = "ts" if not start and prev in _CYRILLIC_VOWELS else "s"
        elif low == "ъ":
            latin = "" if nxt in _IOTATED_CYRILLIC else TUTUQ
        elif low == "ь":
            latin = "y" if nxt == "о" else ""
        elif low == "с" and nxt == "ҳ":
            latin = "s" + TUTUQ
        else:
            latin = _TO_LATIN.get(low, c)
        if c != low and latin:
            latin = latin.upper() if all_caps else latin[0].upper() + latin[1:]
        out.append(latin)
    return "".join(out)


def _latin_stems() -> dict[str, str]:
    """Cyrillic stem -> Latin, for the EXCEPTIONS the rules do not give back (with and without ь)."""
    stems = {}
    for latin, cyrillic in EXCEPTIONS.items():
        if latin in ABBREVIATIONS or _letters_to_latin(cyrillic) == latin:
            continue
        stems[cyrillic] = latin
        stems.setdefault(cyrillic.removesuffix("ь"), latin)
    return stems


_LATIN_STEMS = _latin_stems()


def _word_to_latin(word: str, initial: bool) -> str:
    if initial:
        lower = word.lower()
        for length in range(len(lower), 2, -1):
            stem = _LATIN_STEMS.get(lower[:length])
            if stem is None:
                continue
            rest = _letters_to_latin(word[length:], initial=False)
            if not _SUFFIXES.fullmatch(rest.lower()):
                continue
            if len(word) > 1 and word.isupper():
                return (stem + rest).upper()
            if word[:1].isupper():
                stem = stem[:1].upper() + stem[1:]
            return stem + rest
    return _letters_to_latin(word, initial)


def cyrillic_to_latin(text: str) -> str:
    """Uzbek typed in Cyrillic as the Latin the content is stored in (the rules above).

    Latin, digits and punctuation are left as they are, so the function is idempotent; the
    apostrophes are the catalogues' (ʻ in oʻ/gʻ, ʼ for the tutuq belgisi).

    >>> cyrillic_to_latin("Веб-дастурлаш ва робототехника, 1-сентябрдан")
    'Veb-dasturlash va robototexnika, 1-sentabrdan'
    """
    if not text or not _CYRILLIC_RUN.search(text):
        return text

    def replace(match):
        # a run glued to Latin letters before it (SMMʼдан) is a suffix, not the start of a word
        before = text[match.start() - 1] if match.start() else ""
        return _word_to_latin(match.group(0), initial=not (before.isalpha() or before in (OKINA, TUTUQ)))

    return _CYRILLIC_RUN.sub(replace, text)


def has_cyrillic(text: str) -> bool:
    return bool(text and _CYRILLIC_RUN.search(text))


# --- HTML ----------------------------------------------------------------------------------

#: Attributes people read (the rest — href, value, name, data-* — are left alone).
TEXT_ATTRIBUTES = frozenset({"title", "alt", "placeholder", "aria-label"})
#: Elements whose content is not running text, or is a form's value.
SKIPPED_ELEMENTS = frozenset({"script", "style", "code", "pre", "textarea", "kbd", "samp", "svg", "math"})
_RAW_TEXT = frozenset({"script", "style", "textarea"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_META_TEXT = frozenset({"description", "og:title", "og:description", "twitter:title", "twitter:description"})

_TOKEN = re.compile(r"<!--.*?-->|<![^>]*>|<\?[^>]*>|</?[A-Za-z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.DOTALL)
_TAG_NAME = re.compile(r"</?([A-Za-z][^\s/>]*)")
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
_LATIN = re.compile(r"[A-Za-z]")
_APOSTROPHE_ENTITY = re.compile(r"&(?:#0*39|#[xX]0*27|apos|rsquo|lsquo|#0*821[67]|#[xX]0*201[89]);")


def _text(text: str, overrides) -> str:
    """A run of HTML text: apostrophes written as entities (Django escapes ' as &#x27;) are
    read as apostrophes, so O&#x27;zbekiston is one word."""
    if not (overrides and overrides[1]) and not _LATIN.search(_APOSTROPHE_ENTITY.sub("", text)):
        return text  # nothing to do: no Latin, and no override of a generated Cyrillic word
    plain = _APOSTROPHE_ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    result = transliterate(plain, overrides)
    return result.replace("'", "&#x27;") if "'" in result else result


def _attribute_value(quoted: str, overrides) -> str:
    if quoted[:1] in "\"'":
        return quoted[0] + _text(quoted[1:-1], overrides) + quoted[-1]
    return _text(quoted, overrides)


def _tag(tag: str, overrides) -> str:
    name = _TAG_NAME.match(tag).group(1).lower()
    attributes = {m.group(1).lower(): m.group(3).strip("\"'") for m in _ATTRIBUTE.finditer(tag)}
    meta_text = name == "meta" and (attributes.get("name") or attributes.get("property") or "") in _META_TEXT
    button = name == "input" and attributes.get("type", "").lower() in ("submit", "button", "reset")

    def replace(match):
        attribute = match.group(1).lower()
        if (
            attribute in TEXT_ATTRIBUTES
            or (meta_text and attribute == "content")
            or (button and attribute == "value")  # a button's label, not a form's value
        ):
            return match.group(1) + match.group(2) + _attribute_value(match.group(3), overrides)
        return match.group(0)

    return _TAG_NAME.match(tag).group(0) + _ATTRIBUTE.sub(replace, tag[len(_TAG_NAME.match(tag).group(0)) :])


def _skips(name: str, tag: str) -> bool:
    if name in SKIPPED_ELEMENTS:
        return True
    attributes = {m.group(1).lower(): m.group(3).strip("\"'").lower() for m in _ATTRIBUTE.finditer(tag)}
    lang = attributes.get("lang")
    if lang is not None and name != "html" and lang != CYRILLIC_UZBEK:
        return True
    return attributes.get("translate") == "no"


def transliterate_html(document: str, overrides=None) -> str:
    """An HTML page or fragment with its readable text in Uzbek Cyrillic (see the module's doc)."""
    if not document:
        return document
    if overrides is None:
        overrides = _overrides()
    out = []
    position = 0
    skipping: list[list] = []  # [element name, depth] of the element whose content is left alone
    length = len(document)
    while position < length:
        match = _TOKEN.search(document, position)
        end = match.start() if match else length
        if end > position:
            chunk = document[position:end]
            out.append(chunk if skipping else _text(chunk, overrides))
        if not match:
            break
        tag = match.group(0)
        position = match.end()
        if tag.startswith("<!") or tag.startswith("<?"):
            out.append(tag)
            continue
        name = _TAG_NAME.match(tag).group(1).lower()
        closing = tag.startswith("</")
        if skipping:
            out.append(tag)
            if name == skipping[-1][0]:
                if closing:
                    skipping[-1][1] -= 1
                    if skipping[-1][1] == 0:
                        skipping.pop()
                elif not tag.endswith("/>"):
                    skipping[-1][1] += 1
            if name in _RAW_TEXT and not closing:
                position = _raw_text_end(document, position, name, out)
            continue
        if closing:
            out.append(tag)
            continue
        out.append(_tag(tag, overrides))
        if name in _RAW_TEXT:
            position = _raw_text_end(document, position, name, out)
        elif name not in _VOID and not tag.endswith("/>") and _skips(name, tag):
            skipping.append([name, 1])
    return "".join(out)


def _raw_text_end(document: str, position: int, name: str, out: list) -> int:
    """Copy a <script>/<style>/<textarea> body as it is; return where its end tag starts."""
    found = re.compile(r"</" + name + r"\s*>", re.IGNORECASE).search(document, position)
    end = found.start() if found else len(document)
    out.append(document[position:end])
    return end


class CyrillicUzbekMiddleware:
    """Rewrites ``text/html`` responses made in ``uz-cyrl`` (see the module's doc). Placed right
    after LocaleMiddleware, inside the page cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_cyrillic_uzbek(getattr(request, "LANGUAGE_CODE", None) or translation.get_language()):
            return response
        if getattr(response, "streaming", False) or not response.get("Content-Type", "").startswith("text/html"):
            return response
        if response.get("Content-Encoding"):
            return response
        charset = getattr(response, "charset", None) or "utf-8"
        try:
            document = response.content.decode(charset)
        except UnicodeDecodeError:
            return response
        response.content = transliterate_html(document).encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response


# --- Page cache --------------------------------------------------------------------------------


def override_changed(sender, **kwargs):
    """Every page may show the changed word: after the commit, all of them are stale (and the
    ``technopark`` namespace, which keys the compiled overrides, moves too)."""
    from technopark import page_cache

    transaction.on_commit(page_cache.bump, using=kwargs.get("using") or "default", robust=True)
