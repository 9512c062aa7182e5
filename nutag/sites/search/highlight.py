"""Highlighting: the query's words marked in titles and snippets."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from nutag.core.text import to_simplified
from nutag.sites.models import Article
from nutag.sites.search.base import SNIPPET_CHARS
from nutag.sites.search.segment import _HAN, _HAN_RANGES, _SPACES, _fold_char, fold, html_to_text

# --- Highlighting ---------------------------------------------------------------------------

Parts = tuple[tuple[str, bool], ...]
_NON_HAN_WORD_CHAR = f"[^\\W_{_HAN_RANGES}]"


def parts_html(parts: Parts) -> SafeString:
    """``(text, marked)`` pairs as escaped HTML with ``<mark>`` around marked text."""
    return mark_safe(  # noqa: S308 - every piece of text is escaped here
        "".join(
            f"<mark>{escape(text)}</mark>" if marked else str(escape(text))
            for text, marked in parts
        )
    )


class Highlighter:
    """Finds the searched words in an article's own text (whatever its characters) and
    cuts a window around the first one."""

    SNIPPET_FIELDS = ("summary", "body", "summary_mn", "body_mn", "title_mn")

    def __init__(self, words: Sequence[str]) -> None:
        alternatives = []
        for word in sorted(set(words), key=len, reverse=True):
            if _HAN.search(word):
                alternatives.append(re.escape(word))
            else:  # a Latin or Mongolian word is marked whole, not inside a longer word
                alternatives.append(
                    f"(?<!{_NON_HAN_WORD_CHAR}){re.escape(word)}(?!{_NON_HAN_WORD_CHAR})"
                )
        self.pattern = re.compile("|".join(alternatives)) if alternatives else None

    @staticmethod
    def _folded_with_map(text: str) -> tuple[str, list[int]] | tuple[str, range]:
        """``fold(text)`` with the original index of every folded character."""
        folded = fold(text)
        if len(folded) == len(text):
            # The usual case (full-width punctuation, case, traditional characters all fold
            # one to one). A decomposition offset by a composition elsewhere would shift a
            # mark by a character: cosmetic, and not worth a slower path for every text.
            return folded, range(len(text))
        pieces = [_fold_char(char) for char in text]
        origin = [i for i, piece in enumerate(pieces) for _ in piece]
        folded = "".join(pieces)
        simplified = to_simplified(folded)
        if len(simplified) != len(folded):  # a phrase changed length: convert char by char
            simplified = "".join(c2 if len(c2 := to_simplified(c)) == 1 else c for c in folded)
        return simplified, origin

    def _spans(self, text: str) -> tuple[list[tuple[int, int]], int]:
        """Marked spans of ``text`` (original indices), and the text's length."""
        if not self.pattern or not text:
            return [], len(text)
        folded, origin = self._folded_with_map(text)
        spans: list[tuple[int, int]] = []
        for found in self.pattern.finditer(folded):
            if found.end() <= found.start():
                continue
            start, end = origin[found.start()], origin[found.end() - 1] + 1
            if spans and start <= spans[-1][1]:  # touching or overlapping: one mark
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
        return spans, len(text)

    def parts(self, text: str, *, window: int | None) -> Parts:
        """``text`` (whitespace collapsed) as ``(text, marked)`` pairs; with ``window``, only
        about that many characters around the first match, "…" where cut. Empty when
        ``window`` is set and nothing matches."""
        text = _SPACES.sub(" ", text or "").strip()
        if not text:
            return ()
        spans, length = self._spans(text)
        start, end = 0, length
        if window is not None:
            if not spans:
                return ()
            if length > window:
                start = max(0, spans[0][0] - window // 4)
                end = min(length, start + window)
                start = max(0, end - window)
        out: list[tuple[str, bool]] = []
        if start > 0:
            out.append(("…", False))
        cursor = start
        for s, e in spans:
            if e <= start or s >= end:
                continue
            s, e = max(s, start), min(e, end)
            if s > cursor:
                out.append((text[cursor:s], False))
            out.append((text[s:e], True))
            cursor = e
        if cursor < end:
            out.append((text[cursor:end], False))
        if end < length:
            out.append(("…", False))
        return tuple(out)

    def snippet(self, article: Article) -> tuple[Parts, bool]:
        """The snippet of ``article``: the first field, in reading order, where a searched
        word occurs; else the start of its summary or text. Also: is it Mongolian?"""
        for field in self.SNIPPET_FIELDS:
            value = getattr(article, field) or ""
            text = html_to_text(value) if field.startswith("body") else value
            found = self.parts(text, window=SNIPPET_CHARS)
            if found:
                return found, field.endswith("_mn")
        text = _SPACES.sub(" ", article.summary or html_to_text(article.body)).strip()
        if not text:
            return (), False
        if len(text) > SNIPPET_CHARS:
            return ((text[:SNIPPET_CHARS], False), ("…", False)), False
        return ((text, False),), False
