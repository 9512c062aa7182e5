"""Article bodies, titles and file names: nothing executable survives (XSS corpus first)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from nutag.core.sanitize import BODY_TAGS, clean_file_name, clean_html, clean_text

CORPUS_FILE = Path(__file__).with_name("xss_corpus.txt")


def load_corpus() -> list[str]:
    lines = CORPUS_FILE.read_text(encoding="utf-8").splitlines()
    payloads = [line for line in lines if line.strip() and not line.startswith("#")]
    # "\x00"-style escapes in the file stand for the control character itself.
    return [re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), p) for p in payloads]


CORPUS = load_corpus()
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "data"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")
DANGEROUS_TAGS = [
    "<script", "<iframe", "<svg", "<math", "<style", "<object", "<embed", "<noscript",
    "<template", "<form", "<input", "<base", "<meta", "<link",
]  # fmt: skip


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _url_is_safe(value: str) -> bool:
    squeezed = re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower()
    if ":" not in squeezed.split("/")[0].split("?")[0].split("#")[0]:
        return True  # relative
    return squeezed.startswith(SAFE_SCHEMES)


def assert_inert(out: str) -> None:
    """No tag outside the allow-list, no handler, no style, no dangerous URL."""
    collector = _Collector()
    collector.feed(out)
    collector.close()
    for tag, attrs in collector.tags:
        assert tag in BODY_TAGS, (tag, out)
        for name, value in attrs:
            assert not name.startswith("on"), (name, out)
            assert name not in {"style", "srcdoc", "formaction", "xlink:href", "id"}, (name, out)
            if name in URL_ATTRIBUTES:
                assert _url_is_safe(value or ""), (name, value, out)
            if name == "srcset":
                for candidate in (value or "").split(","):
                    assert _url_is_safe(candidate.strip().split(" ")[0]), (value, out)
            if name == "type":
                assert value in {"image/webp", "image/jpeg", "image/png"}, (value, out)
    lowered = out.lower()
    for marker in DANGEROUS_TAGS:
        assert marker not in lowered, (marker, out)


@pytest.mark.parametrize("payload", CORPUS)
def test_body_corpus_comes_out_inert(payload: str) -> None:
    out = clean_html(payload)
    assert_inert(out)
    # Stable under a second pass: what a browser re-parses is what was checked (no mXSS).
    assert clean_html(out) == out


@pytest.mark.parametrize("payload", CORPUS)
def test_title_corpus_comes_out_as_plain_text(payload: str) -> None:
    out = clean_text(payload)
    assert not re.search(r"<[a-zA-Z/!?]", out), out
    assert not re.search(r"[\x00-\x1f\x7f]", out), out
    assert "\n" not in out
    assert clean_text(out) == out


@pytest.mark.parametrize("payload", CORPUS)
def test_file_name_corpus_is_plain_and_pathless(payload: str) -> None:
    out = clean_file_name(payload + ".pdf")
    assert "/" not in out and "\\" not in out
    assert not re.search(r"<[a-zA-Z/!?]", out)
    assert not out.startswith(".")


def test_links_get_noopener_and_keep_safe_targets() -> None:
    out = clean_html('<p><a href="https://example.org/x" title="看">链接</a></p>')
    assert out == (
        '<p><a href="https://example.org/x" title="看" rel="noopener noreferrer">链接</a></p>'
    )
    assert 'href="mailto:a@b.cn"' in clean_html('<a href="mailto:a@b.cn">信</a>')
    assert 'href="/u/150725/"' in clean_html('<a href="/u/150725/">旗</a>')


def test_allowed_formatting_survives() -> None:
    body = (
        "<h2>标题</h2><p><strong>粗</strong> <em>斜</em> <u>下划线</u></p>"
        "<ul><li>一</li></ul><ol><li>二</li></ol><blockquote>引</blockquote>"
        '<table><thead><tr><th scope="col">名</th></tr></thead>'
        '<tbody><tr><td colspan="2">值</td></tr></tbody></table>'
        '<img src="/media/p.jpg" alt="照片" width="720" height="540">'
    )
    assert clean_html(body) == body


def test_pictures_keep_their_variants() -> None:
    picture = (
        '<figure><picture><source type="image/webp" srcset="/media/a-720.webp 720w, '
        '/media/a-360.webp 360w" sizes="(max-width: 760px) 100vw, 760px">'
        '<img src="/media/a-720.jpg" srcset="/media/a-720.jpg 720w, /media/a-360.jpg 360w" '
        'sizes="(max-width: 760px) 100vw, 760px" width="720" height="540" alt="x"></picture>'
        "</figure>"
    )
    assert clean_html(picture) == picture


def test_plain_text_becomes_paragraphs() -> None:
    assert clean_html("第一段\n第二行\n\n第二段") == "<p>第一段<br>\n第二行</p>\n\n<p>第二段</p>"
    assert clean_html("1 < 2 & 3") == "<p>1 &lt; 2 &amp; 3</p>"
    assert clean_html("") == ""


def test_clean_text_keeps_mongolian_shaping_and_drops_bidi_tricks() -> None:
    mongolian = "ᠴᠢᠨ ᠪᠠᠷᠭᠤ\u180b\u200d"
    assert clean_text(mongolian) == mongolian
    assert clean_text("报告\u202efdp.exe") == "报告fdp.exe"
    assert clean_text("  多个   空格\n换行\t制表 ") == "多个 空格 换行 制表"
    assert clean_text("1 < 2 & 3 > 2") == "1 < 2 & 3 > 2"
    assert clean_text("<b>粗</b>标题") == "粗标题"


def test_file_names() -> None:
    assert clean_file_name("../../etc/passwd") == "passwd"
    assert clean_file_name("C:\\Users\\a\\通知.docx") == "通知.docx"
    assert clean_file_name(".htaccess") == "htaccess"
    assert clean_file_name("") == "file"
    long = clean_file_name("长" * 300 + ".pdf")
    assert len(long) == 120 and long.endswith(".pdf")
