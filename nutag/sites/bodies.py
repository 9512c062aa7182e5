"""An article body as a phone user edits it, and back.

Stored bodies are sanitised HTML. In the desk's text box that would be a wall of tags, so
the box shows plain paragraphs (a blank line between them) and one line per photo,
``[photo:<token>]``: move the line to move the photo, delete it to delete the photo.
Anything richer (a link, a list, bold text pasted in) stays as HTML and is kept as it is.
Saving turns the photo lines back into their ``<picture>`` markup (``expand_photos``), and
``sanitize.clean_html`` turns plain paragraphs back into ``<p>``; so opening and saving
without a change stores the same body.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from nutag.core import media

_PHOTO_LINE = re.compile(r"^[ \t]*\[photo:([0-9a-z]{6,40})\][ \t]*$", re.MULTILINE | re.IGNORECASE)
_FIGURE = re.compile(r"<figure>\s*<picture>.*?</picture>\s*</figure>", re.DOTALL)
_SIMPLE_PARAGRAPH = re.compile(r"<p>((?:[^<]|<br>)*)</p>", re.DOTALL)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def photo_token(stored: dict[str, Any]) -> str:
    """``photos/4/ba930bd5da680afe.jpg`` → ``ba930bd5da680afe``."""
    return str(stored.get("name", "")).rpartition("/")[2].rpartition(".")[0]


def photo_block(stored: dict[str, Any], *, alt: str) -> str:
    return f"<figure>{media.picture_html(stored, alt=alt)}</figure>"


def body_for_editing(body: str, photos: Iterable[dict[str, Any]] = ()) -> str:
    """The stored HTML as the text box shows it."""
    tokens = [t for t in (photo_token(p) for p in photos) if t]

    def figure(match: re.Match[str]) -> str:
        for token in tokens:
            if f"/{token}-" in match.group(0):
                return f"[photo:{token}]"
        return match.group(0)

    text = _FIGURE.sub(figure, body or "")
    blocks = []
    for block in _BLANK_LINE.split(text):
        block = block.strip()
        simple = _SIMPLE_PARAGRAPH.fullmatch(block)
        lines = [html.unescape(x) for x in re.split(r"<br>\n?", simple.group(1))] if simple else []
        if simple and not any("<" in x for x in lines):  # else it would read back as a tag
            blocks.append("\n".join(lines))
        elif block:
            blocks.append(block)
    return "\n\n".join(blocks)


def expand_photos(text: str, photos: Iterable[dict[str, Any]], *, alt: str) -> str:
    """Photo lines back to their markup; a line naming no photo of the article is dropped."""
    by_token = {photo_token(p): p for p in photos}

    def line(match: re.Match[str]) -> str:
        stored = by_token.get(match.group(1).lower())
        return photo_block(stored, alt=alt) if stored else ""

    return _PHOTO_LINE.sub(line, text or "")
