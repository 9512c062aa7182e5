"""Segmentation: folding text and cutting it into index words (jieba for Chinese)."""

from __future__ import annotations

import functools
import html
import logging
import os
import re
import tempfile
import threading
import unicodedata
import warnings
from typing import Any

from django.utils.html import strip_tags

from nutag.core.text import to_simplified
from nutag.sites.models import Article
from nutag.sites.search.base import MAX_FIELD_CHARS, MAX_QUERY_CHARS, MAX_QUERY_TOKENS

# --- Segmentation ---------------------------------------------------------------------------

# Words of this domain that jieba's dictionary lacks. Changing the list changes how texts are
# cut: run ``manage.py reindex_search`` afterwards.
DOMAIN_WORDS = (
    "五老",
    "关工委",
    "嘎查",
    "苏木",
    "牧民",
    "党建",
    "三会一课",
    "流动党员",
    "微支部",
    "乡村振兴",
    "精准扶贫",
    "结对帮扶",
    "四纳入",
    "四到位",
    "陈巴尔虎旗",
    "呼伦贝尔",
)

_tokenizer: Any = None
_tokenizer_lock = threading.Lock()


def _jieba() -> Any:
    """The process's jieba tokenizer, loaded on first use (about half a second), once."""
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # jieba imports pkg_resources
                    import jieba
                # jieba logs "Building prefix dict…" to stderr while loading: keep it quiet.
                logging.getLogger("jieba").setLevel(logging.WARNING)
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                cache_dir = _jieba_cache_dir()
                if cache_dir:
                    tokenizer.tmp_dir = cache_dir
                tokenizer.initialize()
                for word in DOMAIN_WORDS:
                    tokenizer.add_word(word, freq=None)
                _tokenizer = tokenizer
    return _tokenizer


def preload_tokenizer() -> None:
    """Load the tokenizer now (at worker start, ``nutag.core.preload``): the first publish
    or search in each worker otherwise pays for it."""
    _jieba()


def _jieba_cache_dir() -> str | None:
    """A private directory for jieba's dictionary cache (not the shared /tmp itself)."""
    path = os.path.join(tempfile.gettempdir(), f"nutag-jieba-{os.getuid()}")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.stat(path)
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return path


# Characters that only steer shaping or joining: Mongolian free variation selectors, the
# zero-width (non-)joiners and spaces, the soft hyphen.
_IGNORABLE = dict.fromkeys([0x00AD, 0x180B, 0x180C, 0x180D, 0x180F, 0x200B, 0x200C, 0x200D, 0xFEFF])
_HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN = re.compile(f"[{_HAN_RANGES}]")
_WORD_RUN = re.compile(r"[^\W_]+")  # letters and digits of any script


def fold(text: str) -> str:
    """Text as it is indexed and searched: NFKC, no shaping marks, lower case, simplified."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_IGNORABLE).lower()
    return to_simplified(text)


@functools.lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    return unicodedata.normalize("NFKC", char).translate(_IGNORABLE).lower()


def _han_words(run: str, *, for_query: bool) -> list[str]:
    tokenizer = _jieba()
    if for_query:
        return [w for w in tokenizer.cut(run, HMM=False) if w.strip()]
    words = [w for w in tokenizer.cut_for_search(run, HMM=False) if w.strip()]
    seen = set(words)
    # Every dictionary word of the run too, so that a query word is found even where the
    # text's own best cut went another way (人民共和国 inside 中华人民共和国).
    words += [w for w in tokenizer.cut(run, cut_all=True) if w.strip() and w not in seen]
    return words


def tokens(text: str, *, for_query: bool = False) -> list[str]:
    """The words of ``text`` (folded, segmented), in order."""
    out: list[str] = []
    for run in _WORD_RUN.findall(fold(text)):
        if _HAN.search(run):
            # A jieba word is a piece of the run, so it holds letters and digits only.
            out.extend(w for w in _han_words(run, for_query=for_query) if _WORD_RUN.fullmatch(w))
        else:
            out.append(run)
    return out


def query_tokens(query: str) -> list[str]:
    """The distinct words of a visitor's query (at most ``MAX_QUERY_TOKENS``)."""
    found: list[str] = []
    for word in tokens((query or "")[:MAX_QUERY_CHARS], for_query=True):
        if word not in found:
            found.append(word)
            if len(found) == MAX_QUERY_TOKENS:
                break
    return found


_BLOCK_TAG = re.compile(
    r"<(?:br|hr|/?(?:p|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|pre|"
    r"figure|figcaption))\b[^>]*>",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")


def html_to_text(body: str) -> str:
    """The text of sanitised article HTML, one line per block, entities decoded."""
    if not body:
        return ""
    return html.unescape(strip_tags(_BLOCK_TAG.sub("\n", body)))


def _document(article: Article) -> tuple[str, str, str]:
    """The indexed text of an article: titles, summaries, bodies, each pre-segmented."""

    def words(*parts: str) -> str:
        return " ".join(tokens(" \n".join(p[:MAX_FIELD_CHARS] for p in parts if p)))

    return (
        words(article.title, article.title_mn),
        words(article.summary, article.summary_mn),
        words(html_to_text(article.body), html_to_text(article.body_mn)),
    )
