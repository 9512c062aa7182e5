"""Normalising what people type or paste: full-width digits, traditional characters, pinyin."""

from __future__ import annotations

import functools
import random
import re

from pypinyin import Style, lazy_pinyin

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space


def to_halfwidth(text: str) -> str:
    """'１３８０００' → '138000'; full-width letters and punctuation likewise."""
    return text.translate(_FULLWIDTH)


@functools.lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """'陳巴爾虎旗' → '陈巴尔虎旗'."""
    if not text:
        return text
    return str(_t2s().convert(text))


_SPACES = re.compile(r"\s+")


def clean_name(text: str) -> str:
    """A person's or unit's name as stored: half-width, simplified, single spaces."""
    return _SPACES.sub(" ", to_simplified(to_halfwidth(text))).strip()


def name_pinyin(name: str) -> str:
    """Sort key: full pinyin in lower case ('zhang san')."""
    return " ".join(lazy_pinyin(name, errors="default")).lower()


def name_initials(name: str) -> str:
    """Pinyin initials for search ('张三' → 'zs')."""
    letters = (p[:1] for p in lazy_pinyin(name, style=Style.FIRST_LETTER))
    return "".join(c for c in letters if c.isalnum()).lower()


def clean_phone(text: str) -> str:
    """Digits only, with the +86 / 0086 prefix removed."""
    digits = re.sub(r"[^0-9]", "", to_halfwidth(text))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def sample_names(rng: random.Random, size: int = 2000) -> list[tuple[str, str, str]]:
    """A pool of plausible local names with their pinyin and initials, for generated data
    (the province generator and the benchmarks): names, not people, so nothing real leaks."""
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗包白宝韩"
    given = "伟强磊军勇杰涛斌超明芳娜敏静丽艳娟霞秀玲巴特尔其木格乌兰图雅苏和孟"
    out = []
    for _ in range(size):
        name = rng.choice(surnames) + "".join(
            rng.choice(given) for _ in range(rng.choice([1, 2, 2, 3]))
        )
        out.append((name, name_pinyin(name), name_initials(name)))
    return out
