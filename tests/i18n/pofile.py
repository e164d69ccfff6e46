"""A small reader of gettext .po files (the project has no polib): what the i18n checks need."""

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def translated(self) -> bool:
        return "fuzzy" not in self.flags and bool(self.msgstr) and all(self.msgstr.values())


def read_po(path: Path | str) -> list[Entry]:
    """The entries of a .po file (the header and obsolete ``#~`` entries left out)."""
    entries: list[Entry] = []
    current: dict = {}
    key = None

    def flush():
        nonlocal current
        if "msgid" in current and current["msgid"] != "":
            entries.append(Entry(**current))
        current = {}

    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if "msgid" in current:
                flush()
            if line.startswith("#,"):
                current.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith(("msgctxt ", "msgid ")) and "msgid" in current:
            flush()
        if line.startswith("msgctxt "):
            key, current["msgctxt"] = "msgctxt", ast.literal_eval(line[8:])
        elif line.startswith("msgid_plural "):
            key, current["msgid_plural"] = "msgid_plural", ast.literal_eval(line[13:])
        elif line.startswith("msgid "):
            key, current["msgid"] = "msgid", ast.literal_eval(line[6:])
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            key = index
            current.setdefault("msgstr", {})[index] = ast.literal_eval(line[line.index("]") + 2 :])
        elif line.startswith("msgstr "):
            key = 0
            current.setdefault("msgstr", {})[0] = ast.literal_eval(line[7:])
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, int):
                current["msgstr"][key] += value
            else:
                current[key] += value
    flush()
    return entries
