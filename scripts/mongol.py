"""Write traditional Mongolian script from a Latin transliteration, and fill mn_Mong with it.

    .venv/bin/python scripts/mongol.py dump [--all] [--size 150]   msgids → locale/mn_Mong/romanized/todo-NN.json
    .venv/bin/python scripts/mongol.py load                         romanized/*.json → django.po (+ compile)
    .venv/bin/python scripts/mongol.py show "nam-un salaγ-a"         print the script for a phrase

The translator writes written (classical) Mongolian in a Latin transliteration close to the
scholarly one, letter for letter, and this script turns it into Unicode Mongolian (U+1800–U+18AF).
The font does the shaping (initial, medial, final forms); the text holds only the letters, the
narrow no-break space before separated suffixes and the Mongolian vowel separator:

    a e i o u ö ü  ᠠ ᠡ ᠢ ᠣ ᠤ ᠥ ᠦ     E → ᠧ (ē, in Chinese loans)
    n ᠨ   ng ᠩ (n|g for the two letters)   b ᠪ  p ᠫ  m ᠮ  l ᠯ  s ᠰ  sh/š ᠱ  t ᠲ  d ᠳ
    q k x ᠬ (one letter; the font picks the back or front form)   g γ ᠭ
    c č ᠴ   j ǰ ᠵ   y ᠶ   r ᠷ   w ᠸ   f ᠹ   K ᠺ   C ᠼ   z Z ᠽ   h H ᠾ
    word-a, word-e     final separated vowel: U+180E MONGOLIAN VOWEL SEPARATOR before it
    word-un, word-yin  a separated suffix: U+202F NARROW NO-BREAK SPACE before it
    ~1 ~2 ~3           free variation selector 1–3 after the preceding letter
    , . : ;            ᠂ ᠃ (at the end of a sentence) ᠄ ;   `literal`  kept as written (Excel, QR)

Placeholders (%(name)s, %d, {name}), HTML tags and entities pass through untouched.
locale/mn_Mong/LC_MESSAGES/django.po stays the source of truth: strings added later may be
written there directly in the script; the romanized files are the working files of this pass.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
WORK = LOCALE / "mn_Mong" / "romanized"

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


def _key(entry) -> str:  # type: ignore[no-untyped-def]
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def dump(*, everything: bool, size: int) -> None:
    import polib

    zh = {_key(e): e.msgstr for e in polib.pofile(str(LOCALE / "zh_Hans/LC_MESSAGES/django.po"))}
    done: set[str] = set()
    for path in WORK.glob("batch-*.json"):
        done |= set(json.loads(path.read_text()))
    po = polib.pofile(str(LOCALE / "mn_Mong/LC_MESSAGES/django.po"))
    todo = [
        e
        for e in po
        if not e.obsolete and _key(e) not in done and (everything or not e.translated() or e.fuzzy)
    ]
    WORK.mkdir(parents=True, exist_ok=True)
    for n in range(0, len(todo), size):
        chunk = {
            _key(e): {"zh": zh.get(_key(e), ""), "plural": e.msgid_plural or None}
            for e in todo[n : n + size]
        }
        path = WORK / f"todo-{n // size:02d}.json"
        path.write_text(json.dumps(chunk, ensure_ascii=False, indent=1))
        print(path, len(chunk))  # noqa: T201


def load() -> None:
    import polib

    latin: dict[str, str | list[str]] = {}
    for path in sorted(WORK.glob("batch-*.json")):
        latin.update(json.loads(path.read_text()))
    po_path = LOCALE / "mn_Mong/LC_MESSAGES/django.po"
    po = polib.pofile(str(po_path))
    used = 0
    for entry in po:
        text = latin.get(_key(entry))
        if text is None:
            continue
        used += 1
        if entry.msgid_plural:
            forms = text if isinstance(text, list) else [text]
            entry.msgstr_plural = {
                i: to_script(forms[min(i, len(forms) - 1)]) for i in range(len(entry.msgstr_plural))
            }
        else:
            assert isinstance(text, str)
            entry.msgstr = to_script(text)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgctxt = None
    po.save()
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"mn_Mong: {used} entries written, {po.percent_translated()}% translated")  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--all", action="store_true")
    d.add_argument("--size", type=int, default=150)
    sub.add_parser("load")
    s = sub.add_parser("show")
    s.add_argument("text")
    args = parser.parse_args()
    if args.command == "dump":
        dump(everything=args.all, size=args.size)
    elif args.command == "load":
        load()
    else:
        sys.stdout.write(to_script(args.text) + "\n")


if __name__ == "__main__":
    main()
