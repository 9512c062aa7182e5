"""Neutralising what officers type or paste: article bodies, titles and file names.

``clean_html`` keeps a small allow-list of tags for an article body (paragraphs, headings,
lists, quotes, links, pictures, simple tables) and drops everything that could run: script
and style elements with their content, event handlers, ``style`` attributes, iframes, SVG
and MathML, and every URL whose scheme is not http, https or mailto (``javascript:``,
``data:``, ``vbscript:``, however they are encoded). Parsing is done by nh3 (ammonia, on
html5ever), so the browser's own parsing rules decide what a tag is — the usual
mutation-XSS tricks (``<noscript>``, unclosed attributes, nested comments) come out as text.

``clean_text`` is for titles, summaries and file names: no tags at all, no control or
bidirectional-override characters, whitespace collapsed. Mongolian shaping characters
(free variation selectors, the vowel separator, zero-width joiners) are kept.
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

BODY_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "h2", "h3", "h4", "ul", "ol", "li",
    "blockquote", "a", "img", "figure", "figcaption", "picture", "source",
    "table", "caption", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
BODY_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes"},
    "source": {"srcset", "sizes"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
BODY_ATTRIBUTE_VALUES: dict[str, dict[str, set[str]]] = {
    "source": {"type": {"image/avif", "image/webp", "image/jpeg", "image/png"}},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Everything that is neither kept nor merely unwrapped: removed with its content.
DROP_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
    "textarea", "select", "title", "xmp", "noembed", "noframes", "frameset", "applet",
}  # fmt: skip

_NUMBER = re.compile(r"^\d{1,5}$")
_SAFE_URL = re.compile(r"^(?:/(?!/)|https?://)[^\s,\"'<>\\]*$", re.IGNORECASE)
_DESCRIPTOR = re.compile(r"^\d{1,5}w$|^\d{1,2}(?:\.\d{1,2})?x$")
_SIZES = re.compile(r"^[a-z0-9\s().,:%-]{1,200}$", re.IGNORECASE)


def _safe_srcset(value: str) -> str | None:
    """``url [descriptor], …`` where every url is site-relative or http(s)."""
    candidates = []
    for part in value.split(","):
        pieces = part.split()
        if not pieces or len(pieces) > 2 or not _SAFE_URL.match(pieces[0]):
            return None
        if len(pieces) == 2 and not _DESCRIPTOR.match(pieces[1]):
            return None
        candidates.append(" ".join(pieces))
    return ", ".join(candidates) if candidates else None


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name in {"width", "height", "colspan", "rowspan"}:
        return value if _NUMBER.match(value.strip()) else None
    if name == "srcset":
        return _safe_srcset(value)
    if name == "sizes":
        return value if _SIZES.match(value) else None
    if name == "scope":
        return value if value in {"row", "col"} else None
    return value


_body_cleaner = nh3.Cleaner(
    tags=BODY_TAGS,
    clean_content_tags=DROP_WITH_CONTENT,
    attributes=BODY_ATTRIBUTES,
    tag_attribute_values=BODY_ATTRIBUTE_VALUES,
    attribute_filter=_attribute_filter,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_text_cleaner = nh3.Cleaner(
    tags=set(), clean_content_tags=DROP_WITH_CONTENT, attributes={}, strip_comments=True
)

# Block-level openings: a chunk starting with one of these is HTML already.
_BLOCK_START = re.compile(
    r"^<(?:p|h[1-6]|ul|ol|li|blockquote|table|figure|picture|img|hr|div|section|article)\b",
    re.IGNORECASE,
)
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def text_to_html(text: str) -> str:
    """Turn what a phone user typed into paragraphs: blank lines separate paragraphs, single
    line breaks become ``<br>``. Chunks that already start with a block tag are left alone,
    so an edited body (HTML with pictures) round-trips unchanged."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    blocks = []
    for chunk in _BLANK_LINE.split(text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk):
            blocks.append(chunk)
        else:
            blocks.append(
                "<p>" + "<br>\n".join(line.strip() for line in chunk.split("\n")) + "</p>"
            )
    return "\n\n".join(blocks)


def clean_html(text: str) -> str:
    """A safe article body: the allow-list above, links marked ``noopener noreferrer``."""
    if not text:
        return ""
    result = _body_cleaner.clean(text_to_html(text)).strip()
    for _round in range(3):  # a stripped <div> may leave bare text: settle into paragraphs
        again = _body_cleaner.clean(text_to_html(result)).strip()
        if again == result:
            break
        result = again
    return result


# Control characters and bidirectional overrides (used to disguise "gpj.exe" as "exe.jpg").
_BIDI = {
    "\u061c", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u2028", "\u2029",
}  # fmt: skip
_TAG_LIKE = re.compile(r"<[a-zA-Z/!?]")
_SPACES = re.compile(r"\s+")


def _strip_controls(text: str) -> str:
    return "".join(
        " " if unicodedata.category(ch) == "Cc" else ch for ch in text if ch not in _BIDI
    )


def clean_text(text: str, *, max_length: int | None = None) -> str:
    """Plain text for a title, summary or name: no tags, no control characters, one line.

    Stored unescaped (templates escape on output); entity-encoded tags are decoded and
    stripped again, so the result never contains anything that looks like a tag."""
    result = _strip_controls(text or "")
    for _round in range(4):
        result = html.unescape(_text_cleaner.clean(result))
        if not _TAG_LIKE.search(result):
            break
    else:
        result = _TAG_LIKE.sub(lambda m: m.group(0).replace("<", "‹"), result)
    result = _SPACES.sub(" ", _strip_controls(result)).strip()
    if max_length is not None:
        result = result[:max_length].strip()
    return result


def clean_file_name(name: str, *, max_length: int = 120) -> str:
    """A display name for an uploaded file: clean text, no path, no leading dots."""
    name = clean_text(name or "")
    name = re.split(r"[\\/]", name)[-1].lstrip(". ")
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        if dot and len(ext) <= 8:
            name = stem[: max_length - len(ext) - 1] + "." + ext
        else:
            name = name[:max_length]
    return name or "file"
