"""The generated uz_Cyrl catalogues (manage.py make_cyrillic_catalogues) are current, compiled,
keep every placeholder, tag and address, and leave no Uzbek Latin behind."""

import gettext
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from technopark import cyrillic_catalogues
from technopark.text import latin_to_cyrillic

BASE = Path(settings.BASE_DIR)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr%]|\{[\w.]*\}|<[^>]+>|https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _generated() -> list[Path]:
    return sorted(BASE.glob("locale/uz_Cyrl/LC_MESSAGES/django.po")) + sorted(
        p for p in BASE.glob("*/locale/uz_Cyrl/LC_MESSAGES/django.po") if ".venv" not in p.parts
    )


def test_every_uzbek_catalogue_has_a_cyrillic_twin():
    latin = {
        p.parent.parent.parent
        for p in BASE.glob("**/locale/uz/LC_MESSAGES/django.po")
        if ".venv" not in p.parts and "var" not in p.relative_to(BASE).parts[:1]
    }
    cyrillic = {p.parent.parent.parent for p in BASE.glob("**/locale/uz_Cyrl/LC_MESSAGES/django.po")}
    assert latin <= cyrillic, "run: manage.py make_cyrillic_catalogues"
    assert len(_generated()) >= 6


def test_the_committed_catalogues_are_current(tmp_path):
    call_command("make_cyrillic_catalogues", output_dir=str(tmp_path), stdout=io.StringIO())
    fresh = sorted(tmp_path.rglob("django.po"))
    assert fresh
    stale = []
    for path in fresh:
        relative = path.relative_to(tmp_path)
        committed = BASE / relative
        if not committed.is_file() or committed.read_text(encoding="utf-8") != path.read_text(encoding="utf-8"):
            stale.append(str(relative))
    assert stale == [], "not current — run: manage.py make_cyrillic_catalogues (and commit the .po and .mo)"


@pytest.mark.parametrize("po", _generated() + [BASE / "locale/packages/uz_Cyrl/LC_MESSAGES/django.po"], ids=str)
def test_compiled_and_faithful(po):
    _header, entries = cyrillic_catalogues.read_po(po)
    source = {e.key: e for e in cyrillic_catalogues.read_po(po.parents[2] / "uz" / "LC_MESSAGES" / "django.po")[1]}
    with open(po.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in entries:
        if not entry.msgstr or not all(entry.msgstr.values()) or "fuzzy" in entry.flags:
            continue
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            assert compiled._catalog.get(key) == entry.msgstr[0], f".mo is older than .po: {entry.msgid!r}"
        else:
            assert compiled._catalog.get((key, 0)) == entry.msgstr[0]
        for text in entry.msgstr.values():
            # no Uzbek Latin left: the rules change nothing more
            assert latin_to_cyrillic(text) == text
        latin = source.get(entry.key)
        if latin is not None and latin.msgstr:
            for index, text in entry.msgstr.items():
                assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(latin.msgstr[index])), text


def test_round_trip_of_the_po_writer(tmp_path):
    po = BASE / "locale" / "uz" / "LC_MESSAGES" / "django.po"
    header, entries = cyrillic_catalogues.read_po(po)
    copy = tmp_path / "copy.po"
    copy.write_text(cyrillic_catalogues.write_po(header, entries, "# copy\n"), encoding="utf-8")
    header2, entries2 = cyrillic_catalogues.read_po(copy)
    assert [(e.key, e.msgid_plural, e.msgstr) for e in entries2] == [(e.key, e.msgid_plural, e.msgstr) for e in entries]
    assert header2["Plural-Forms"] == header["Plural-Forms"]


def test_transliterated_entries_keep_placeholders_tags_and_addresses():
    entry = cyrillic_catalogues.Entry(
        msgid="x",
        msgstr={
            0: '%(name)s, <a href="https://technopark.uz/uz/">saytga</a> kiring yoki info@technopark.uz ga '
            "yozing: {count} ta %s joy"
        },
        flags=["python-format"],
    )
    text = cyrillic_catalogues.transliterated(entry).msgstr[0]
    assert text == (
        '%(name)s, <a href="https://technopark.uz/uz/">сайтга</a> киринг ёки info@technopark.uz га '
        "ёзинг: {count} та %s жой"
    )
