"""Traditional Mongolian script from a letter-for-letter Latin transliteration.

``to_script("nam-un salag-a")`` → ``ᠨᠠᠮ ᠤᠨ ᠰᠠᠯᠠᠭ᠎ᠠ``. Used by ``scripts/mongol.py`` (translating the
catalogue) and by the demo (Mongolian names and texts). The text holds only the letters of
the Unicode Mongolian block, U+202F NARROW NO-BREAK SPACE before separated suffixes and
U+180E MONGOLIAN VOWEL SEPARATOR before a separated final vowel; the font does the shaping.

    a e i o u ö ü  ᠠ ᠡ ᠢ ᠣ ᠤ ᠥ ᠦ     E ē → ᠧ (in Chinese loans)
    n ᠨ   ng ᠩ (n|g for the two letters)   b ᠪ  p ᠫ  m ᠮ  l ᠯ  s ᠰ  sh š ᠱ  t ᠲ  d ᠳ
    q k x ᠬ (one letter; the font picks the back or front form)   g γ ᠭ
    c č ᠴ   j ǰ ᠵ   y ᠶ   r ᠷ   w v ᠸ   f ᠹ   K ᠺ   C ᠼ   z Z ᠽ   h H ᠾ
    word-a, word-e     separated final vowel (U+180E before it)
    word-un, 6-aca     separated suffix (U+202F before it)
    ~1 ~2 ~3           free variation selector 1–3 after the preceding letter
    , . :              ᠂ ᠃ (at the end of a sentence) ᠄     `literal` kept as written (Excel)

Placeholders (%(name)s, %d, {name}), HTML tags and entities, paths (/u/150725/) and file
endings (.xlsx) pass through untouched.
"""

from __future__ import annotations

import re

MVS = "\u180e"
NNBSP = "\u202f"
FVS = {"1": "\u180b", "2": "\u180c", "3": "\u180d"}

# longest keys first when matching
LETTERS = {
    "ng": "\u1829",
    "sh": "\u1831",
    "a": "\u1820",
    "e": "\u1821",
    "i": "\u1822",
    "o": "\u1823",
    "u": "\u1824",
    "ö": "\u1825",
    "ü": "\u1826",
    "E": "\u1827",
    "ē": "\u1827",
    "n": "\u1828",
    "b": "\u182a",
    "p": "\u182b",
    "q": "\u182c",
    "k": "\u182c",
    "x": "\u182c",
    "g": "\u182d",
    "γ": "\u182d",
    "m": "\u182e",
    "l": "\u182f",
    "s": "\u1830",
    "š": "\u1831",
    "t": "\u1832",
    "d": "\u1833",
    "c": "\u1834",
    "č": "\u1834",
    "j": "\u1835",
    "ǰ": "\u1835",
    "y": "\u1836",
    "r": "\u1837",
    "w": "\u1838",
    "v": "\u1838",
    "f": "\u1839",
    "K": "\u183a",
    "C": "\u183c",
    "z": "\u183d",
    "Z": "\u183d",
    "h": "\u183e",
    "H": "\u183e",
}
PUNCT = {",": "\u1802", ":": "\u1804"}

# Kept verbatim: placeholders, HTML tags and entities, `literal` runs, URLs.
KEEP = re.compile(
    r"%\([A-Za-z_0-9]+\)[sdif]|%[sdif%]|\{[A-Za-z_0-9]*\}|<[^>]*>|&[A-Za-z#0-9]+;"
    r"|`[^`]*`|https?://\S+|(?<![\w/])/[A-Za-z0-9_./-]*[A-Za-z0-9_/]|(?<!\w)\.[a-z0-9]{2,4}\b"
)
# a suffix written after a number, a placeholder or a quotation: "%(date)s-du", "6-aca"
LOOSE_SUFFIX = re.compile(r"(?<=\S)-(?=[\u1820-\u1842])")
WORD = re.compile(r"[A-Za-zöüēγščǰ~123|]+(?:-[A-Za-zöüēγščǰ~123|]+)*")


def _letters(word: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        ch = word[i]
        if ch == "|":
            i += 1
            continue
        if ch == "~" and i + 1 < len(word) and word[i + 1] in FVS:
            out.append(FVS[word[i + 1]])
            i += 2
            continue
        if ch.isdigit():
            out.append(ch)
            i += 1
            continue
        two = word[i : i + 2]
        if two == "kh":
            raise ValueError(f"'kh' is not written Mongolian (q/k is one letter) in {word!r}")
        if two in LETTERS:
            out.append(LETTERS[two])
            i += 2
            continue
        if ch not in LETTERS:
            raise ValueError(f"no Mongolian letter for {ch!r} in {word!r}")
        out.append(LETTERS[ch])
        i += 1
    return "".join(out)


def _word(token: str) -> str:
    parts = token.split("-")
    out = _letters(parts[0])
    for part in parts[1:]:
        if part in ("a", "e"):
            out += MVS + _letters(part)
        else:
            out += NNBSP + _letters(part)
    return out


def _text(run: str) -> str:
    run = WORD.sub(lambda m: _word(m.group(0)), run)
    run = re.sub(r"\.(?=\s|$)", "\u1803", run)
    for latin, mongolian in PUNCT.items():
        run = run.replace(latin, mongolian)
    return run


def to_script(latin: str) -> str:
    """The traditional-script text for a transliteration (placeholders and tags kept)."""
    out: list[str] = []
    pos = 0
    for m in KEEP.finditer(latin):
        out.append(_text(latin[pos : m.start()]))
        kept = m.group(0)
        out.append(kept[1:-1] if kept.startswith("`") else kept)
        pos = m.end()
    out.append(_text(latin[pos:]))
    return LOOSE_SUFFIX.sub(NNBSP, "".join(out))
