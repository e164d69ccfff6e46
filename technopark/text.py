"""Text helpers of the core: one Uzbek apostrophe.

The official Uzbek Latin alphabet writes the letters oʻ and gʻ with U+02BB (MODIFIER LETTER
TURNED COMMA) and the tutuq belgisi (the glottal stop in maʼno, sanʼat, Qurʼon) with U+02BC
(MODIFIER LETTER APOSTROPHE). People type any of ' ` ‘ ’ ´ instead. ``fold_uzbek_apostrophes``
maps every variant to the official pair so that "O'zbekiston", "O‘zbekiston" and "Oʻzbekiston"
are one word for search and one spelling in stored names.
"""

import functools
import re

#: The letter oʻ/gʻ mark and the tutuq belgisi, as the official alphabet writes them.
OKINA = "\u02bb"  # ʻ
TUTUQ = "\u02bc"  # ʼ

#: Every character people type for either mark (the two official ones included).
APOSTROPHE_VARIANTS = "'`\u00b4\u2018\u2019\u201b\u2032\u02b9\u02bb\u02bc\u02bd\u02c8"
_VARIANT_CLASS = "[" + re.escape(APOSTROPHE_VARIANTS) + "]"

# o/g followed by any variant is the letter oʻ/gʻ (also word-final: togʻ, bogʻ).
_OG = re.compile(r"(?<=[oOgG])" + _VARIANT_CLASS)
# Between two other letters, any variant is the tutuq belgisi (maʼno, sanʼat, Qurʼon).
_TUTUQ = re.compile(r"(?<=[^\W\d_oOgG])" + _VARIANT_CLASS + r"(?=[^\W\d_])")

#: The spellings the catalogue and demo-content check refuses (o' g' o‘ g‘ o` … and a wrong
#: mark between letters).
WRONG_UZBEK_APOSTROPHE = re.compile(
    r"(?<=[oOgG])[" + re.escape(APOSTROPHE_VARIANTS.replace(OKINA, "")) + r"]"
    r"|(?<=[^\W\d_oOgG])[" + re.escape(APOSTROPHE_VARIANTS.replace(TUTUQ, "")) + r"](?=[^\W\d_])"
)


def fold_uzbek_apostrophes(s: str) -> str:
    """Return ``s`` with every apostrophe variant after o/g as ʻ (U+02BB) and every variant
    between other letters as ʼ (U+02BC). Quotes that do not touch a letter on the left, and
    apostrophes before digits, are left alone.

    >>> fold_uzbek_apostrophes("O'zbekiston, g`alaba, ma’no, Qur'on")
    'Oʻzbekiston, gʻalaba, maʼno, Qurʼon'
    """
    if not s:
        return s
    s = _OG.sub(OKINA, s)
    return _TUTUQ.sub(TUTUQ, s)


# --- Uzbek Latin -> Uzbek Cyrillic ------------------------------------------------------------
#
# The correspondence of the Latin alphabet of 1995 (Oliy Majlis, 24 August 1995) with the
# Cyrillic one, plus the spelling rules that a letter-by-letter mapping cannot know:
#
# - digraphs: sh -> ш, ch -> ч, oʻ -> ў, gʻ -> ғ; ng stays н + г;
# - y + a/o/u/e -> я/ё/ю/е (yoʻl is йўл: y before oʻ stays й);
# - e -> э at the start of a word and after a vowel (ekran, poeziya), е elsewhere;
# - the tutuq belgisi ʼ -> ъ (maʼno -> маъно), but between s and h it only separates the
#   letters (Isʼhoq -> Исҳоқ);
# - ц: the Latin writes it ts after a vowel and s elsewhere. ts -> ц at the start of a word
#   (tsirk), before i + a vowel or y (revolyutsiya, ratsional) and between a vowel and e
#   (litsey, dotsent); k+s and n+s before -iya/-ion -> кц/нц (aksiya, funksiya, stansiya,
#   konferensiya). A ts elsewhere is т + с (ketsa, aytsin); an s for ц elsewhere (sirk, sex,
#   sement, konsert) is in EXCEPTIONS;
# - Russian loanwords whose Cyrillic keeps ь, ъ or я that the Latin drops (sentabr, obyekt,
#   kompyuter) are in EXCEPTIONS; before a suffix the ь is dropped (fevraldagi -> февралдаги);
# - untouched: Cyrillic (and so Russian) text, digits, URLs, e-mail addresses, domain and file
#   names, HTML tags and entities, %(name)s / %s / {name} / {{ }} placeholders, brand names
#   (BRANDS), camel-case names (InnoX, FabLab), acronyms of 2–4 capitals (IT, SMM, CSS) and
#   words with letters the Uzbek Latin alphabet lacks (a c outside ch, w, ph: Backend, Photoshop).

OKINA_LETTERS = {"o": "ў", "g": "ғ"}
_LETTERS = {
    "a": "а", "b": "б", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "ҳ", "i": "и", "j": "ж",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "қ", "r": "р", "s": "с",
    "t": "т", "u": "у", "v": "в", "x": "х", "y": "й", "z": "з",
}  # fmt: skip
_IOTATED = {"a": "я", "o": "ё", "u": "ю", "e": "е"}
_VOWELS = set("aeiou")

#: Whole words (or the stem of a word followed by Uzbek suffixes) whose Cyrillic spelling the
#: rules cannot derive. A trailing ь is dropped before a suffix.
EXCEPTIONS = {
    # months: the Cyrillic keeps Russian spelling
    "yanvar": "январь", "fevral": "февраль", "aprel": "апрель", "iyun": "июнь", "iyul": "июль",
    "sentabr": "сентябрь", "oktabr": "октябрь", "noyabr": "ноябрь", "dekabr": "декабрь",
    # ц written s in the Latin
    "sirk": "цирк", "sex": "цех", "sement": "цемент", "sentner": "центнер", "sentr": "центр",
    "sikl": "цикл", "silindr": "цилиндр", "sitata": "цитата", "sivilizatsiya": "цивилизация",
    "konsert": "концерт", "konsepsiya": "концепция", "konsern": "концерн",
    "konsentratsiya": "концентрация", "prinsip": "принцип", "fransuz": "француз",
    "opsiya": "опция", "sitrus": "цитрус",
    # an -nsiya that is -нсия in Russian (the rule gives -нция)
    "pensiya": "пенсия", "pensioner": "пенсионер", "ekspansiya": "экспансия",
    # ъ and ь the Latin drops
    "obyekt": "объект", "subyekt": "субъект", "obyektiv": "объектив", "podyezd": "подъезд",
    "kompyuter": "компьютер", "intervyu": "интервью",
    # yo that is йо
    "rayon": "район", "mayonez": "майонез", "batalyon": "батальон", "yod": "йод",
    "yogurt": "йогурт",
    # Uzbek abbreviations (other words of 2–4 capitals are taken for Latin acronyms)
    "aqsh": "ақш", "bmt": "бмт", "otm": "отм", "mchj": "мчж",
}  # fmt: skip
#: Month abbreviations (Django's calendar and date formats): июн/июл as the months, not ийн/ийл.
ABBREVIATIONS = {"iyn": "июн", "iyl": "июл", "noy": "ноя"}
EXCEPTIONS.update(ABBREVIATIONS)

#: Names written the same in both scripts (matched whatever their case).
BRANDS = frozenset(
    name.lower()
    for name in (
        "InnoX", "FabLab", "IT", "SMM", "Python", "Django", "JavaScript", "HTML", "CSS", "PHP",
        "Java", "Kotlin", "Swift", "Flutter", "React", "Vue", "Node", "Linux", "Windows",
        "Android", "iOS", "Arduino", "Raspberry", "LEGO", "Scratch", "Figma", "Canva", "Blender",
        "AutoCAD", "SolidWorks", "Fusion", "Photoshop", "Illustrator", "Excel", "PowerPoint",
        "Unity", "GitHub", "Git", "Google", "YouTube", "Instagram", "Facebook", "Telegram",
        "Zoom", "Click", "Payme", "Uzcard", "Humo", "Bootstrap", "Chrome", "PostgreSQL",
        # acronyms (also kept inside text written in capitals)
        "PDF", "STEM", "QR", "ID", "CV", "AI", "API", "UZS", "USD", "EUR", "JSON", "SQL", "UX",
        "UI", "IoT", "AR", "VR", "ICT", "CNC", "PCB", "CAD", "GPS", "SMS", "URL", "USB", "PC",
    )
)  # fmt: skip

# The suffixes after which an EXCEPTIONS stem still counts as that word.
_SUFFIXES = re.compile(
    r"(?:lar)?(?:imiz|ingiz|miz|ngiz|im|ing|si|i|m|ng)?"
    r"(?:ning|ni|ga|ka|qa|dagi|dan|da|gacha|cha|dek|day|lik|chi)?"
)

# Spans left as they are: tags and entities, placeholders, addresses.
_PROTECTED = re.compile(
    r"<[^<>]*>"
    r"|&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);"
    r"|%\([^()\s]*\)[-#0+]*\d*(?:\.\d+)?[a-zA-Z]|%[-#0+]*\d*(?:\.\d+)?[sdifrxXeEgGcuo%]"
    r"|\{\{.*?\}\}|\{%.*?%\}|\{[A-Za-z0-9_.!:\[\]]*\}"
    r"|(?:https?|ftp)://[^\s<>\"']+|www\.[^\s<>\"']+|mailto:[^\s<>\"']+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w@])@[A-Za-z0-9_]{3,}"
    r"|\b[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.(?:uz|com|org|net|ru|io|dev|gov|info|edu)\b(?:/[^\s<>\"']*)?"
    r"|\b[\w-]+\.(?:pdf|docx?|xlsx?|pptx?|png|jpe?g|svg|webp|csv|ics|zip|json|xml)\b"
    r"|\b[eE]-?mail\b|\bWi-?Fi\b"
    r"|\b(?:[A-Z]+\d|\d+[A-Z])[A-Z0-9]*\b"  # codes: 3D, K7M3Q9XP
)
_WORD = re.compile(r"[A-Za-z][A-Za-z" + OKINA + TUTUQ + r"]*")
_CAMEL = re.compile(r"[a-z][A-Z]")
_FOREIGN = re.compile(r"c(?!h)|w|ph", re.IGNORECASE)


def _apply_case(source: str, cyrillic: str) -> str:
    letters = [ch for ch in source if ch.isalpha() and ch not in (OKINA, TUTUQ)]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return cyrillic.upper()
    if letters and letters[0].isupper():
        return cyrillic[:1].upper() + cyrillic[1:]
    return cyrillic


def _untouched(word: str, capitals: bool) -> bool:
    if word.lower() in BRANDS or _CAMEL.search(word) or _FOREIGN.search(word):
        return True
    # Other acronyms: 2–4 capitals (not words with oʻ/gʻ or the tutuq belgisi: OʻZ is a word),
    # unless the whole text is written in capitals (YANGI KURS VA IT: VA is a word there).
    return not capitals and 2 <= len(word) <= 4 and word.isupper() and word.isalpha() and word.isascii()


def _rules(word: str, initial: bool = True) -> str:
    """Letter by letter, for a word of Latin letters, ʻ and ʼ."""
    lower = word.lower()
    all_caps = len(word) > 1 and word.isupper()
    out = []
    i, n = 0, len(word)
    prev_vowel = False
    while i < n:
        c, low = word[i], lower[i]
        nxt = lower[i + 1] if i + 1 < n else ""
        after = lower[i + 2] if i + 2 < n else ""
        start = initial and i == 0
        vowel = False
        step = 1
        if low in OKINA_LETTERS and nxt == OKINA:
            ch, step, vowel = OKINA_LETTERS[low], 2, low == "o"
        elif low == "s" and nxt == "h":
            ch, step = "ш", 2
        elif low == "c" and nxt == "h":
            ch, step = "ч", 2
        elif low == "y" and nxt in _IOTATED and not (nxt == "o" and after == OKINA):
            ch, step, vowel = _IOTATED[nxt], 2, True
        elif (
            low == "t"
            and nxt == "s"
            and (start or (after == "i" and i + 3 < n and lower[i + 3] in "aeiouy") or (prev_vowel and after == "e"))
        ):
            ch, step = "ц", 2
        elif low == "s" and i > 0 and lower[i - 1] in "kn" and lower[i + 1 : i + 4] in ("iya", "ion"):
            ch = "ц"
        elif low == "e":
            ch, vowel = ("э" if start or prev_vowel else "е"), True
        elif c == TUTUQ:
            # Isʼhoq: between s and h the mark only keeps the letters apart
            separator = i > 0 and lower[i - 1] == "s" and nxt == "h"
            ch = "" if separator else ("Ъ" if all_caps else "ъ")
        elif low in _LETTERS:
            ch, vowel = _LETTERS[low], low in _VOWELS
        else:
            ch = c
        out.append(ch.upper() if c.isupper() else ch)
        prev_vowel = vowel
        i += step
    return "".join(out)


def _exception(word: str) -> str | None:
    lower = word.lower()
    for length in range(len(lower), 2, -1):
        stem = EXCEPTIONS.get(lower[:length])
        if stem is None:
            continue
        rest = word[length:]
        if not _SUFFIXES.fullmatch(rest.lower()):
            continue
        if not rest:
            return _apply_case(word, stem)
        stem = stem.removesuffix("ь")
        converted = _apply_case(word[:length], stem) + _rules(rest, initial=False)
        return converted.upper() if word.isupper() else converted
    return None


def _brand_with_suffix(word: str) -> str | None:
    """FabLabda -> FabLabда, InnoXʼga -> InnoXʼга: the name kept, the Uzbek suffix converted."""
    lower = word.lower()
    for length in range(len(word) - 1, 1, -1):
        if lower[:length] in BRANDS:
            rest = word[length:]
            mark = rest[:1] if rest[:1] == TUTUQ else ""
            suffix = rest[len(mark) :]
            if suffix and _SUFFIXES.fullmatch(suffix.lower()):
                return word[:length] + mark + _rules(suffix, initial=False)
            return None
    return None


@functools.lru_cache(maxsize=20_000)
def _word(word: str, capitals: bool = False) -> str:
    if word.endswith(TUTUQ):  # SMMʼ|дан: a mark before a suffix already in Cyrillic
        return _word(word[:-1], capitals) + TUTUQ
    found = _exception(word)
    if found is None:
        found = _brand_with_suffix(word)
    if found is not None:
        return found
    if _untouched(word, capitals):
        return word
    return _rules(word)


def _words(text: str, capitals: bool) -> str:
    return _WORD.sub(lambda m: _word(m.group(0), capitals), text)


def latin_to_cyrillic(text: str) -> str:
    """Uzbek in Latin letters as Uzbek in Cyrillic (the rules above).

    Apostrophe variants are folded first (``O'zbekiston`` and ``O‘zbekiston`` are one word).
    Text with no Latin letters — Cyrillic, so Russian too — comes back unchanged, which makes
    the function idempotent.

    >>> latin_to_cyrillic("Oʻzbekiston yoshlari: IT va robototexnika, 1-sentabr")
    'Ўзбекистон ёшлари: IT ва робототехника, 1-сентябрь'
    """
    if not text or not _HAS_LATIN.search(text):
        return text
    text = fold_uzbek_apostrophes(text)
    # Text written in capitals (no lower-case letter in any script outside addresses and tags):
    # its short words are words, not acronyms.
    capitals = len(_WORD.findall(text)) > 1 and not any(ch.islower() for ch in _PROTECTED.sub(" ", text))
    out = []
    position = 0
    for match in _PROTECTED.finditer(text):
        out.append(_words(text[position : match.start()], capitals))
        out.append(match.group(0))
        position = match.end()
    out.append(_words(text[position:], capitals))
    return "".join(out)


_HAS_LATIN = re.compile(r"[A-Za-z]")
