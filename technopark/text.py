"""Text helpers of the core: one Uzbek apostrophe.

The official Uzbek Latin alphabet writes the letters oʻ and gʻ with U+02BB (MODIFIER LETTER
TURNED COMMA) and the tutuq belgisi (the glottal stop in maʼno, sanʼat, Qurʼon) with U+02BC
(MODIFIER LETTER APOSTROPHE). People type any of ' ` ‘ ’ ´ instead. ``fold_uzbek_apostrophes``
maps every variant to the official pair so that "O'zbekiston", "O‘zbekiston" and "Oʻzbekiston"
are one word for search and one spelling in stored names.
"""

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
