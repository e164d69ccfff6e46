"""The Uzbek Cyrillic (``uz-cyrl``, locale ``uz_Cyrl``) catalogues, generated from the Latin ones.

Every Uzbek Latin catalogue of the project has a generated Cyrillic twin next to it:

- ``locale/uz`` -> ``locale/uz_Cyrl`` (templates/ and technopark/);
- each app's ``<app>/locale/uz`` -> ``<app>/locale/uz_Cyrl``;
- ``locale/packages/uz`` -> ``locale/packages/uz_Cyrl``, which also carries Django's own Uzbek
  (admin, auth, humanize, …): Django ships no ``uz_Cyrl``, and gettext would otherwise fall back
  to its Latin ``uz``. A msgid that a project catalogue translates is left to that catalogue, so
  the precedence is the one ``uz`` has.

Both gettext domains: ``django`` (templates and Python) and ``djangojs`` (the JavaScript catalogue
that the admin's ``jsi18n`` serves — calendar, clock, "Today", the selection filters and the
actions counter): ``locale/packages/uz_Cyrl/LC_MESSAGES/djangojs.po`` holds the project's
``locale/packages/uz`` djangojs strings and the rest of Django's admin ones, so that no Latin
``uz`` fallback shows through in ``uz-cyrl``.

The msgstrs go through :func:`technopark.text.latin_to_cyrillic` (placeholders, tags and
addresses untouched; ``msgfmt --check-format`` proves it for python-format strings). Only
msgids, contexts, flags and msgstrs are written — no source references — so a generated file
changes only when a translation does. ``manage.py make_cyrillic_catalogues`` writes and compiles
them; tests/i18n/test_cyrillic_catalogues.py fails when they are not current.
"""

from __future__ import annotations

import ast
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings

from technopark.text import latin_to_cyrillic

SOURCE = "uz"
TARGET = "uz_Cyrl"
#: The gettext domains generated: Python and templates, and the JavaScript catalogue (jsi18n).
DOMAINS = ("django", "djangojs")
HEADER_COMMENT = (
    "# Uzbek in Cyrillic, generated from ../../{source}/LC_MESSAGES/{domain}.po by\n"
    "# `manage.py make_cyrillic_catalogues` (technopark/text.py: latin_to_cyrillic).\n"
    "# Do not edit: change the Latin catalogue, or add a TransliterationOverride in the admin.\n"
)


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def read_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """The header's fields and the entries of a .po file (obsolete ``#~`` entries left out)."""
    entries: list[Entry] = []
    header: dict[str, str] = {}
    current: dict = {}
    key = None

    def flush():
        nonlocal current, key
        if "msgid" in current:
            entry = Entry(**current)
            if entry.msgid == "" and entry.msgctxt is None:
                for line in entry.msgstr.get(0, "").splitlines():
                    name, _sep, value = line.partition(":")
                    header[name.strip()] = value.strip()
            else:
                entries.append(entry)
        current, key = {}, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                flush()
            continue
        if line.startswith("#,"):
            if "msgid" in current:
                flush()
            current.setdefault("flags", []).extend(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if line.startswith("#"):
            if "msgid" in current:
                flush()
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, tuple):
                current["msgstr"][key[1]] += value
            else:
                current[key] += value
            continue
        word, _sep, rest = line.partition(" ")
        value = ast.literal_eval(rest.strip())
        if word in ("msgctxt", "msgid") and "msgid" in current and (word == "msgctxt" or key != "msgctxt"):
            flush()
        if word.startswith("msgstr"):
            index = int(word[7:-1]) if word.startswith("msgstr[") else 0
            current.setdefault("msgstr", {})[index] = value
            key = ("msgstr", index)
        else:
            current[word] = value
            key = word
    flush()
    return header, entries


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    return '"' + escaped.replace("\n", "\\n") + '"'


def _field(name: str, text: str) -> str:
    lines = text.splitlines(keepends=True)
    if len(lines) <= 1:
        return f"{name} {_quote(text)}\n"
    return f'{name} ""\n' + "".join(_quote(line) + "\n" for line in lines)


def write_po(header: dict[str, str], entries: list[Entry], comment: str) -> str:
    head = "".join(f"{name}: {value}\n" for name, value in header.items())
    out = [comment, 'msgid ""\n', _field("msgstr", head)]
    for entry in entries:
        out.append("\n")
        flags = [f for f in entry.flags if f != "fuzzy"]
        if flags:
            out.append("#, " + ", ".join(flags) + "\n")
        if entry.msgctxt is not None:
            out.append(_field("msgctxt", entry.msgctxt))
        out.append(_field("msgid", entry.msgid))
        if entry.msgid_plural is not None:
            out.append(_field("msgid_plural", entry.msgid_plural))
            for index in sorted(entry.msgstr):
                out.append(_field(f"msgstr[{index}]", entry.msgstr[index]))
        else:
            out.append(_field("msgstr", entry.msgstr.get(0, "")))
    return "".join(out)


def transliterated(entry: Entry) -> Entry:
    return Entry(
        msgid=entry.msgid,
        msgctxt=entry.msgctxt,
        msgid_plural=entry.msgid_plural,
        msgstr={index: latin_to_cyrillic(text) for index, text in entry.msgstr.items()},
        flags=list(entry.flags),
    )


def _header(source: dict[str, str]) -> dict[str, str]:
    plural = source.get("Plural-Forms", "nplurals=1; plural=0;")
    return {
        "Project-Id-Version": "technopark 1.0",
        "Language": TARGET,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural,
    }


def _is_project(path: Path) -> bool:
    return path.is_relative_to(settings.BASE_DIR) and "site-packages" not in path.parts


def _project_locale_dirs(domain: str = "django") -> list[Path]:
    """The project's locale directories holding an Uzbek Latin catalogue: locale/ and each app's."""
    base = Path(settings.BASE_DIR)
    found = [base / "locale"]
    for config in apps.get_app_configs():
        path = Path(config.path)
        if _is_project(path) and (path / "locale").is_dir():
            found.append(path / "locale")
    return [d for d in dict.fromkeys(found) if (d / SOURCE / "LC_MESSAGES" / f"{domain}.po").is_file()]


def _upstream_catalogues(domain: str = "django") -> list[Path]:
    """Django's own Uzbek catalogues and those of the installed packages (not the project's)."""
    import django

    paths = [Path(django.__file__).parent / "conf" / "locale"]
    for config in apps.get_app_configs():
        path = Path(config.path)
        if not _is_project(path):
            paths.append(path / "locale")
    catalogues = (p / SOURCE / "LC_MESSAGES" / f"{domain}.po" for p in dict.fromkeys(paths))
    return [c for c in catalogues if c.is_file()]


def build() -> dict[Path, str]:
    """Every generated catalogue, of every domain: path relative to BASE_DIR -> .po text."""
    generated: dict[Path, str] = {}
    for domain in DOMAINS:
        generated.update(_build_domain(domain))
    return generated


def _build_domain(domain: str) -> dict[Path, str]:
    base = Path(settings.BASE_DIR)
    generated: dict[Path, str] = {}
    project_keys: set[tuple[str | None, str]] = set()
    for locale_dir in _project_locale_dirs(domain):
        source = locale_dir / SOURCE / "LC_MESSAGES" / f"{domain}.po"
        header, entries = read_po(source)
        project_keys.update(e.key for e in entries if e.msgstr and all(e.msgstr.values()) and "fuzzy" not in e.flags)
        target = locale_dir / TARGET / "LC_MESSAGES" / f"{domain}.po"
        comment = HEADER_COMMENT.format(source=SOURCE, domain=domain)
        generated[target.relative_to(base)] = write_po(_header(header), [transliterated(e) for e in entries], comment)

    # locale/packages: its own overrides first, then what Django's and the packages' catalogues
    # translate and no project catalogue does (the Latin would otherwise show through).
    packages = base / "locale" / "packages" / SOURCE / "LC_MESSAGES" / f"{domain}.po"
    header, own = read_po(packages) if packages.is_file() else ({}, [])
    merged: dict[tuple[str | None, str], Entry] = {e.key: e for e in own if e.msgstr and all(e.msgstr.values())}
    for upstream in _upstream_catalogues(domain):
        _header_ignored, entries = read_po(upstream)
        for entry in entries:
            if entry.key in merged or entry.key in project_keys or "fuzzy" in entry.flags:
                continue
            if entry.msgstr and all(entry.msgstr.values()):
                merged[entry.key] = entry
    if not merged and domain != "django":
        return generated
    target = base / "locale" / "packages" / TARGET / "LC_MESSAGES" / f"{domain}.po"
    comment = (
        "# Uzbek in Cyrillic for Django's and the packages' strings, generated from\n"
        f"# ../../uz/LC_MESSAGES/{domain}.po and their own Uzbek catalogues by\n"
        "# `manage.py make_cyrillic_catalogues` (technopark/text.py: latin_to_cyrillic).\n"
        "# Do not edit: change the Latin catalogue, or add a TransliterationOverride in the admin.\n"
    )
    entries = sorted(merged.values(), key=lambda e: (e.msgctxt or "", e.msgid))
    generated[target.relative_to(base)] = write_po(_header(header), [transliterated(e) for e in entries], comment)
    return generated


def write(generated: dict[Path, str], root: Path) -> list[Path]:
    written = []
    for relative, text in generated.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def compile_po(path: Path) -> None:
    """``msgfmt --check-format``, as Django's compilemessages runs it: a placeholder the
    transliteration broke fails here."""
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(path.with_suffix(".mo")), str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
