"""The English strings of Django and of the installed packages, and a finder of those that a page
still shows untranslated."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils import translation

from .pofile import read_po

SITE_PACKAGES = Path(translation.__file__).resolve().parents[3]
DJANGO = SITE_PACKAGES / "django"


# Catalogues whose msgids are the English of what Django and the packages show.
def _catalogue_dirs():
    from django.apps import apps

    contrib = [
        p / "locale"
        for p in sorted((DJANGO / "contrib").iterdir())
        if (p / "locale").is_dir() and apps.is_installed(f"django.contrib.{p.name}")
    ]
    return [
        DJANGO / "conf" / "locale",
        *contrib,
        SITE_PACKAGES / "import_export" / "locale",
        SITE_PACKAGES / "axes" / "locale",
        SITE_PACKAGES / "django_otp" / "locale",
    ]


# Packages without catalogues: their gettext calls are read from the source.
SOURCE_PACKAGES = ["django_tasks", "django_tasks_db", "crispy_forms", "crispy_bootstrap5", "modeltranslation"]
_CALL = re.compile(
    r"""\b(?:gettext_lazy|gettext|_|gettext_noop)\(\s*"(?P<id>[^"]+)"\s*\)"""
    r"""|\bpgettext(?:_lazy)?\(\s*"(?P<ctx>[^"]+)"\s*,\s*"(?P<id2>[^"]+)["]"""
)
# Apps whose models are named in English without gettext (django-otp's devices, which the admin
# shows): their models' and fields' names and help are read from the models.
UNMARKED_MODEL_APPS = ["otp_totp", "otp_static"]
_FIELDSET = re.compile(r"""\(\s*['"](?P<name>[^'"]+)['"],\s*\{\s*['"]fields['"]""")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdrfi]|%[sdrfi]|\{\w*\}")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Msg:
    msgid: str
    context: str | None
    source: str

    def translated_to(self, lang: str) -> str:
        with translation.override(lang):
            if self.context:
                return translation.pgettext(self.context, self.msgid)
            return translation.gettext(self.msgid)

    @property
    def words(self) -> int:
        return len(_PLACEHOLDER.sub("", self.msgid).split())


@cache
def english_messages() -> tuple[Msg, ...]:
    found: dict[tuple, Msg] = {}
    for directory in _catalogue_dirs():
        source = str(directory.parent.relative_to(SITE_PACKAGES))
        for po in sorted(directory.glob("*/LC_MESSAGES/django.po")):
            for entry in read_po(po):
                for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
                    found.setdefault((entry.msgctxt, msgid), Msg(msgid, entry.msgctxt, source))
    for package in SOURCE_PACKAGES:
        root = SITE_PACKAGES / package
        for path in sorted(root.rglob("*.py")):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            for m in _CALL.finditer(path.read_text(encoding="utf-8")):
                msgid, context = (m["id"], None) if m["id"] else (m["id2"], m["ctx"])
                found.setdefault((context, msgid), Msg(msgid, context, package))
    for text, source in _unmarked_model_texts():
        found.setdefault((None, text), Msg(text, None, source))
    return tuple(found.values())


def _unmarked_model_texts():
    """(English, app label) for the names of the models of UNMARKED_MODEL_APPS and the verbose
    names and help texts of their fields, as the package wrote them (not as the project renames
    them at run time: security.apps)."""
    from django.apps import apps
    from django.utils.text import camel_case_to_spaces, capfirst

    for label in UNMARKED_MODEL_APPS:
        for model in apps.get_app_config(label).get_models():
            opts = model._meta
            singular = str(opts.original_attrs.get("verbose_name") or camel_case_to_spaces(opts.object_name))
            yield singular, label
            plural = str(opts.original_attrs.get("verbose_name_plural") or f"{singular}s")
            yield plural, label
            yield capfirst(singular), label
            yield capfirst(plural), label
            for field in opts.get_fields():
                if field.concrete and not field.auto_created:
                    yield str(field.verbose_name), label
                    yield capfirst(str(field.verbose_name)), label  # labels and column headers
                    if field.help_text:
                        yield str(field.help_text), label
        # The admin's fieldset names ("Identity", "Throttling"), plain strings in its admin module.
        admin_module = Path(apps.get_app_config(label).path) / "admin.py"
        if admin_module.is_file():
            for m in _FIELDSET.finditer(admin_module.read_text(encoding="utf-8")):
                yield m["name"], label


def _pattern(text: str) -> str:
    """A regular expression for a msgid as it is shown: tags dropped, placeholders filled (a
    number for %d, any short text otherwise)."""
    text = " ".join(_TAG.sub(" ", text).split())
    out, last = [], 0
    for m in _PLACEHOLDER.finditer(text):
        out.append(r"\s+".join(re.escape(w) for w in text[last : m.start()].split(" ")))
        out.append(r"[\d\s.,\xa0]{1,20}" if m.group().endswith(("d", "i")) else r"[^\n]{1,120}?")
        last = m.end()
    out.append(r"\s+".join(re.escape(w) for w in text[last:].split(" ")))
    return "".join(out)


@cache
def _finders(lang: str):
    """(msg, whole-line regex, inside-line regex or None) for every message that the language
    translates into something else (a msgid spelt the same in the language is no leak)."""
    finders = []
    for msg in english_messages():
        shown = " ".join(_TAG.sub(" ", msg.msgid).split())
        if not re.search(r"[A-Za-z]{2}", _PLACEHOLDER.sub("", shown)):
            continue  # "%(a)s %(b)s", "…", "IPv4" — nothing English to see
        if re.search(
            r"(?:%\(\w+\)[sdrfi]|%[sdrfi]|\{\w*\})[A-Za-z]|[A-Za-z](?:%\(\w+\)[sdrfi]|%[sdrfi]|\{\w*\})", shown
        ):
            continue  # "{}st" (an ordinal suffix) would match any word ending in "st"
        translated = msg.translated_to(lang)
        if translated.casefold() == msg.msgid.casefold() and (translated != msg.msgid or msg.msgid in IDENTICAL):
            continue  # spelt the same in the language ("may", "Import", "Format")
        pattern = _pattern(msg.msgid)
        whole = re.compile(r"^\s*" + pattern + r"\s*:?\s*$")
        inside = re.compile(r"(?<![A-Za-z])" + pattern + r"(?![A-Za-z])") if msg.words >= 4 else None
        finders.append((msg, whole, inside))
    return finders


#: msgids whose Uzbek or Russian is spelt exactly like the English (gettext cannot tell them from
#: an untranslated msgid).
IDENTICAL = {"Format", "Import", "Malay", "IPv4", "IPv6", "HTTP Accept", "%(value)s million", "Export", "Python"}


def english_leaks(lines: list[str], lang: str) -> list[tuple[str, str]]:
    """(line, msgid) for each visible line that shows an English msgid: the whole line (a button,
    a column header, a label), or, for a msgid of four words or more, a part of it."""
    leaks = []
    for line in lines:
        if not re.search(r"[A-Za-z]{2}", line):
            continue
        for msg, whole, inside in _finders(lang):
            if whole.match(line) or (inside is not None and inside.search(line)):
                leaks.append((line, msg.msgid))
                break
    return leaks
