"""Units' public sites in a real Chromium on a 360 x 740 phone.

- a village's site switched to Mongolian runs vertically (and its screenshot);
- a village officer writes an article with a photo from the phone, its secretary approves
  it, and it shows on the village's site;
- the banner's officer writes a notice, the banner's secretary publishes it and pushes it
  down, and it shows on every village's site;
- an article read before opens again with the network cut off (the service worker);
- the XSS corpus (``xss_corpus.txt``), put through the workbench form and the services into
  titles, summaries, bodies and file names, runs nothing on the public pages or in the
  workbench: no dialog, no sentinel set, no script, handler or frame from a payload.

``NUTAG_SCREENSHOTS=1`` also saves the Mongolian screenshot to docs/img/site-mongolian.png
(the README's picture); otherwise it stays in the test's temporary folder.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from nutag.browser_fixtures import PHONE_VIEWPORT, until
from nutag.factories import TEST_PASSWORD, person_with_position
from nutag.orgs.models import PositionTitle
from nutag.orgs.services import unit_update
from nutag.sites import services
from nutag.sites.models import Article, ArticleKind, ArticleStatus, Placement, PlacementVia

if TYPE_CHECKING:
    from playwright.sync_api import Page

PHONE_WIDTH = 360
DOCS_IMG = Path(__file__).resolve().parents[3] / "docs" / "img"
CORPUS_FILE = Path(__file__).parents[2] / "core" / "tests" / "xss_corpus.txt"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --- helpers -------------------------------------------------------------------------------


def jpeg_bytes(width: int = 1600, height: int = 1200) -> bytes:
    """A photo as a phone's camera would send it: large, JPEG."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (70, 130, 180))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 2 // 3, width, height), fill=(90, 160, 60))  # grassland
    draw.ellipse((width // 8, height // 8, width // 4, height // 4), fill=(250, 220, 80))  # sun
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def log_in(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/desk/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base_url}/desk/")


@contextlib.contextmanager
def visitor(page: Page) -> Iterator[Page]:
    """Another person on another phone: a fresh context (no cookies, no HTTP cache) in the
    same browser. Public pages may be kept by a browser for a minute (Cache-Control), so a
    person who saw a page before may see it unchanged for that long; a new visitor may not."""
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(
        viewport=PHONE_VIEWPORT,  # type: ignore[arg-type]
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def save_article(page: Page, button: str = "and_submit") -> None:
    """Press a save button of the article form and wait for the article's page; when the
    form comes back instead, fail with what it says is wrong."""
    page.click(f"main form button[name={button}]")
    page.wait_for_load_state()
    if not re.search(r"/desk/articles/\d+/$", page.url):
        errors = page.locator(".field.invalid, .msg.error").all_inner_texts()
        pytest.fail(f"the article was not saved ({page.url}): {errors}")


def choose_language(page: Page, code: str) -> None:
    """Switch language with the compact bar at the top of the page (a link per language)."""
    page.locator(f"nav.prefs a[hreflang={code}]").click()


def fits_the_phone(page: Page) -> None:
    # A click may have started a navigation: measure the page that arrives, not the one
    # being left (whose document can be gone mid-way).
    page.wait_for_load_state()
    page.wait_for_function("document.documentElement !== null && document.readyState !== 'loading'")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide"


def banner_secretary(cast: Any) -> Any:
    """The banner's branch secretary (the shared cast has only its officer there)."""
    return person_with_position(
        unit=cast.banner,
        title=PositionTitle.BRANCH_SECRETARY,
        username="banner-secretary",
        name="旗书记",
    ).user


def publish(
    *, unit: Any, writer: Any, approver: Any, title: str, kind: str = ArticleKind.ARTICLE, **kw: Any
) -> Article:
    """An article written, submitted and published through the services."""
    article = services.article_create(
        acting_user=writer,
        unit=unit,
        data=services.ArticleInput(title=title, kind=kind, **kw),
    )
    services.article_submit(acting_user=writer, article=article)
    return services.article_publish(acting_user=approver, article=article)


# --- a. Mongolian, vertically ------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_village_site_in_mongolian_runs_vertically(
    live_server: Any, phone_page: Page, cast: Any, tmp_path: Path
) -> None:
    village = unit_update(
        acting_user=cast.village1a_secretary,
        unit=cast.village1a,
        name=cast.village1a.name,
        name_mn="ᠨᠢᠭᠡᠳᠦᠭᠡᠷ ᠭᠠᠴᠠᠭ᠎ᠠ",
    )
    publish(
        unit=village,
        writer=cast.village1a_officer,
        approver=cast.village1a_secretary,
        title="春季接羔保育工作安排",
        title_mn="ᠬᠠᠪᠤᠷ ᠤᠨ ᠲᠥᠯ ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠠᠵᠢᠯ",
        summary="各户做好棚圈保暖，村两委分片包户。",
        body="<p>各户做好棚圈保暖，村两委分片包户。</p>",
        column_key="news",
    )
    publish(
        unit=village,
        writer=cast.village1a_officer,
        approver=cast.village1a_secretary,
        title="五老志愿者走访留守儿童",
        title_mn="ᠲᠠᠪᠤᠨ ᠥᠪᠡᠭᠡᠳ ᠬᠦᠦᠬᠡᠳ ᠢ ᠡᠷᠢᠨ ᠤᠴᠠᠷᠠᠪᠠ",
        body="<p>关心下一代工作委员会组织五老志愿者入户走访。</p>",
        column_key="next_generation",
    )
    page = phone_page
    page.goto(f"{live_server.url}/u/{village.code}/")
    assert village.name in page.inner_text("main")
    writing = "getComputedStyle(document.querySelector('main')).writingMode"
    assert page.evaluate(writing) == "horizontal-tb"

    choose_language(page, "mn-mong")
    page.wait_for_url(f"{live_server.url}/u/{village.code}/")
    assert page.evaluate("document.documentElement.lang") == "mn-mong"
    assert page.evaluate(writing) == "vertical-lr"
    # The unit's name is written top to bottom: its heading is taller than it is wide.
    box = page.locator("main h1").bounding_box()
    assert box is not None and box["height"] > box["width"]
    # The article's Mongolian title is shown, not the Chinese one.
    assert "ᠬᠠᠪᠤᠷ" in page.inner_text("main")

    # The choice is remembered on the next page.
    page.goto(f"{live_server.url}/u/{cast.township1.code}/")
    assert page.evaluate(writing) == "vertical-lr"
    page.goto(f"{live_server.url}/u/{village.code}/")
    page.wait_for_load_state("networkidle")

    shot = tmp_path / "site-mongolian.png"
    page.screenshot(path=str(shot))
    if os.environ.get("NUTAG_SCREENSHOTS", "").strip() == "1":
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        (DOCS_IMG / "site-mongolian.png").write_bytes(shot.read_bytes())


# --- b. An article with a photo, written and approved from a phone -----------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_writes_with_a_photo_and_the_secretary_publishes_it(
    live_server: Any, phone_page: Page, cast: Any, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    village = cast.village1a
    photo = tmp_path / "IMG_20260412_101500.jpg"
    photo.write_bytes(jpeg_bytes())
    page = phone_page
    base = live_server.url
    # The village's home, before: cached for visitors, and purged when the article is out.
    page.goto(f"{base}/u/{village.code}/")
    assert "那达慕大会筹备" not in page.inner_text("main")

    log_in(page, base, "v1a-officer")
    page.goto(f"{base}/desk/u/{village.code}/articles/")
    page.click(f"main a[href$='{reverse('desk-article-new', args=[village.code])}']")
    fits_the_phone(page)
    page.fill("input[name=title]", "那达慕大会筹备")
    page.select_option("select[name=column_key]", "news")
    page.fill("textarea[name=summary]", "七月中旬在嘎查草场举办，欢迎牧民报名。")
    page.fill("textarea[name=body]", "赛马、摔跤、射箭三项。\n\n报名找嘎查委员会。")
    page.set_input_files("input[name=photos]", str(photo))
    save_article(page)
    fits_the_phone(page)
    article = Article.objects.get(title="那达慕大会筹备")
    assert article.status == ArticleStatus.SUBMITTED
    assert article.author == cast.village1a_officer
    assert len(article.photos) == 1
    # An officer cannot publish: no such button, and the site does not show it yet.
    assert page.locator(f"form[action$='/articles/{article.pk}/publish/']").count() == 0
    with visitor(page) as other:
        other.goto(f"{base}/u/{village.code}/")
        assert "那达慕大会筹备" not in other.inner_text("main")

    log_in(page, base, "v1a-secretary")
    page.goto(f"{base}/desk/u/{village.code}/articles/")
    page.click(f"main a[href$='/desk/articles/{article.pk}/']")
    fits_the_phone(page)
    page.click(f"form[action$='/articles/{article.pk}/publish/'] button")
    page.wait_for_url(f"**/desk/articles/{article.pk}/")
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert article.approved_by == cast.village1a_secretary

    with visitor(page) as other:
        other.goto(f"{base}/u/{village.code}/")
        fits_the_phone(other)
        other.click("main a:has-text('那达慕大会筹备')")
        other.wait_for_url(f"**/u/{village.code}/a/{article.pk}/")
        fits_the_phone(other)
        text = other.inner_text("main")
        assert "赛马、摔跤、射箭三项。" in text and "报名找嘎查委员会。" in text
        # The photo is in the text, as a phone-sized picture; the article has no cover, so
        # it is the largest paint and is fetched at once, first (later ones load lazily).
        picture = other.locator("main article .body img")
        assert picture.count() == 1
        assert picture.get_attribute("fetchpriority") == "high"
        assert picture.get_attribute("loading") is None
        assert "640w" in (picture.get_attribute("srcset") or "")
        assert "IMG_20260412" not in (picture.get_attribute("src") or "")  # renamed


# --- c. A notice pushed down to every village ---------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_banner_pushes_a_notice_down_to_every_village(
    live_server: Any, phone_page: Page, cast: Any
) -> None:
    banner_secretary(cast)
    villages = [cast.village1a, cast.village1b, cast.village2a]
    page = phone_page
    base = live_server.url
    for village in villages:  # fill the visitors' cache first
        page.goto(f"{base}/u/{village.code}/")
        assert "草原防火紧急通知" not in page.inner_text("main")

    log_in(page, base, "banner-officer")
    page.goto(f"{base}/desk/u/{cast.banner.code}/articles/new/")
    fits_the_phone(page)
    page.select_option("select[name=kind]", ArticleKind.NOTICE)
    page.fill("input[name=title]", "草原防火紧急通知")
    page.fill("textarea[name=body]", "即日起全旗进入草原防火紧急期，严禁野外用火。")
    save_article(page)
    notice = Article.objects.get(title="草原防火紧急通知")
    assert notice.status == ArticleStatus.SUBMITTED and notice.kind == ArticleKind.NOTICE

    log_in(page, base, "banner-secretary")
    page.goto(f"{base}/desk/articles/{notice.pk}/")
    page.click(f"form[action$='/articles/{notice.pk}/publish/'] button")
    page.wait_for_url(f"**/desk/articles/{notice.pk}/")
    page.click(f"main a[href$='/articles/{notice.pk}/push/']")
    fits_the_phone(page)
    page.check("input[name=scope][value=all]")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/desk/articles/{notice.pk}/")
    pushed = set(
        Placement.objects.filter(article=notice, via=PlacementVia.PUSHED).values_list(
            "unit_id", flat=True
        )
    )
    assert {v.pk for v in villages} <= pushed

    with visitor(page) as other:
        for village in villages:
            other.goto(f"{base}/u/{village.code}/")
            fits_the_phone(other)
            row = other.locator("main li", has_text="草原防火紧急通知")
            assert row.count() == 1, f"the notice is not on {village.name}'s site"
            assert cast.banner.name in row.inner_text()  # marked as sent down by the banner
            row.locator("a").click()
            other.wait_for_url(f"**/u/{village.code}/a/{notice.pk}/")
            assert "严禁野外用火" in other.inner_text("main")


# --- d. Offline ---------------------------------------------------------------------------


def _service_worker_url() -> str | None:
    try:
        return reverse("service-worker")
    except NoReverseMatch:
        return None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_article_read_before_opens_with_the_network_cut_off(
    live_server: Any, phone_page: Page, cast: Any
) -> None:
    if _service_worker_url() is None:
        pytest.xfail("no service worker is served yet (URL name 'service-worker', /sw.js)")
    village = cast.village1a
    article = publish(
        unit=village,
        writer=cast.village1a_officer,
        approver=cast.village1a_secretary,
        title="冬季饲草料储备通知",
        body="<p>每户储备饲草不少于三个月用量。</p>",
    )
    page = phone_page
    base = live_server.url
    home = f"{base}/u/{village.code}/"
    url = f"{base}/u/{village.code}/a/{article.pk}/"
    page.goto(home)
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    page.goto(url)
    assert "每户储备饲草" in page.inner_text("main")
    page.goto(home)  # read again, now that the worker is there
    # Wait until the worker has kept both pages.
    for kept in (url, home):
        until(
            page,
            "href => caches.keys().then(names => Promise.all(names.map(n => caches.open(n)"
            ".then(c => c.match(href))))).then(found => found.some(Boolean))",
            kept,
        )

    page.context.set_offline(True)
    try:
        page.goto(url)
        assert "每户储备饲草" in page.inner_text("main")
        banner = page.locator("[data-nutag-offline]")
        assert banner.count() == 1 and banner.is_visible(), "not marked as an offline copy"
        page.goto(home)
        assert "冬季饲草料储备通知" in page.inner_text("main")
        assert page.locator("[data-nutag-offline]").is_visible()
    finally:
        page.context.set_offline(False)


# --- e. XSS -------------------------------------------------------------------------------

RUNS = re.compile(r"\b(?:alert|confirm|prompt)\s*(?:\([^)]*\)|`[^`]*`)")
CHECK_PAGE = """() => {
    const own = new Set(JSON.parse(document.body.dataset.xssBaseline || '[]'));
    const script = s => s.src ? 'src ' + s.src : 'inline ' + s.textContent;
    const urlAttrs = ['href', 'src', 'action', 'formaction', 'srcset', 'background', 'data',
                      'xlink:href', 'poster', 'lowsrc', 'dynsrc'];
    const bad = /^\\s*(javascript|vbscript|data):/i;
    return {
        sentinel: window.__xss === undefined ? null : String(window.__xss),
        scripts: [...document.scripts].map(script),
        handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
            .filter(a => /^on/i.test(a.name)).map(a => e.tagName + ' ' + a.name + '=' + a.value)),
        embeds: [...document.querySelectorAll(
            'iframe, frame, object, embed, applet, base, meta[http-equiv], ' +
            ['article', 'h1', 'title', '.list a'].map(c => ['form', 'input', 'button',
             'textarea', 'select', 'svg', 'math', 'style', 'link', 'meta', 'script']
             .map(t => c + ' ' + t).join(', ')).join(', '))]
            .map(e => e.outerHTML.slice(0, 120)),
        urls: [...document.querySelectorAll('*')].flatMap(e => urlAttrs
            // browsers drop tabs, newlines and leading control characters from URLs
            .filter(n => e.hasAttribute(n)
                    && bad.test(e.getAttribute(n).replace(/[\\x00-\\x20]/g, '')))
            .map(n => e.tagName + ' ' + n + '=' + e.getAttribute(n))),
        styles: [...document.querySelectorAll('main [style]')].map(e => e.getAttribute('style')),
        url: location.href,
    };
}"""


def load_corpus() -> list[str]:
    """The payloads; "\\x00"-style escapes in the file stand for the character itself."""
    lines = CORPUS_FILE.read_text(encoding="utf-8").splitlines()
    payloads = [line for line in lines if line.strip() and not line.startswith("#")]
    return [re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), p) for p in payloads]


def with_sentinel(payload: str) -> str:
    """The same payload setting ``window.__xss`` instead of opening a dialog."""
    return RUNS.sub("window.__xss=1", payload)


def attachment(name: str) -> SimpleUploadedFile:
    # A file name cannot hold a slash; everything else is the payload.
    return SimpleUploadedFile(name.replace("/", "_")[:100] + ".pdf", PDF, "application/pdf")


class XssWatch:
    """Opens pages and collects anything a payload made run or left live in the DOM."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.problems: list[str] = []
        # What the site's own templates put on pages without payloads.
        self.own: dict[str, set[str]] = {"scripts": set(), "handlers": set(), "urls": set()}
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message!r} on {self.page.url}")
        dialog.dismiss()

    def learn(self, url: str) -> None:
        """Record the scripts and handlers of a page without payloads: the site's own."""
        self.page.goto(url)
        found = self.page.evaluate(CHECK_PAGE)
        for key, own in self.own.items():
            own.update(found[key])

    def visit(self, url: str, *, settle_ms: int = 60) -> str:
        page = self.page
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{url}: {response}"
        page.wait_for_timeout(settle_ms)  # onerror of a broken image, autofocus, timers
        found = page.evaluate(CHECK_PAGE)
        where = url.split("//", 1)[-1].split("/", 1)[-1]
        if found["sentinel"] is not None:
            self.problems.append(f"/{where}: window.__xss = {found['sentinel']}")
        for key, own in self.own.items():
            self.problems += [
                f"/{where}: {key[:-1]} {item[:160]!r}" for item in found[key] if item not in own
            ]
        self.problems += [f"/{where}: element {item!r}" for item in found["embeds"]]
        self.problems += [
            f"/{where}: style {s!r}" for s in found["styles"] if re.search(r"url|expr|behav", s)
        ]
        if found["url"].split("#")[0] != url.split("#")[0]:
            self.problems.append(f"/{where}: navigated away to {found['url']}")
        return str(page.inner_text("body"))

    def assert_clean(self) -> None:
        assert not self.dialogs, "a payload opened a dialog:\n" + "\n".join(self.dialogs)
        assert not self.problems, "payloads left something live:\n" + "\n".join(
            dict.fromkeys(self.problems)
        )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_xss_corpus_runs_nothing_in_the_browser(
    live_server: Any, phone_page: Page, cast: Any, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    corpus = load_corpus()
    assert len(corpus) >= 50
    village, officer, secretary = cast.village1a, cast.village1a_officer, cast.village1a_secretary
    base = live_server.url
    page = phone_page
    watch = XssWatch(page)
    clean = publish(
        unit=village, writer=officer, approver=secretary, title="干净的文章", body="<p>正文</p>"
    )
    for url in (
        f"{base}/",
        f"{base}/u/{village.code}/",
        f"{base}/u/{village.code}/a/{clean.pk}/",
        f"{base}/u/{village.code}/c/news/",
    ):
        watch.learn(url)

    # 1. Through the workbench form, as an officer on a phone: every payload (and its
    # sentinel variant) in one body, payloads in the title and summary, and in file names.
    log_in(page, base, "v1a-officer")
    for path in (
        f"/desk/u/{village.code}/articles/",
        f"/desk/u/{village.code}/articles/new/",
        f"/desk/articles/{clean.pk}/",
        f"/desk/articles/{clean.pk}/preview/",
    ):
        watch.learn(base + path)
    page.goto(f"{base}/desk/u/{village.code}/articles/new/")
    # The form refuses NUL characters (with a message): those payloads go through the services.
    everything = "\n\n".join(
        p for payload in corpus if "\x00" not in payload for p in (payload, with_sentinel(payload))
    )
    page.fill("input[name=title]", "标题<script>alert(1)</script><img src=x onerror=alert(1)>")
    page.fill("textarea[name=summary]", '"><svg onload=window.__xss=1>')
    page.fill("textarea[name=body]", everything)
    page.select_option("select[name=column_key]", "news")
    # No file system allows a slash in a file name, so no phone sends one.
    names = [
        "通知<img src=x onerror=alert(1)>",
        '名单" onmouseover="window.__xss=1',
        "表格' onclick='alert(1)",
        "&lt;img src=x onerror=window.__xss=1&gt;报告",
    ]
    page.set_input_files(
        "input[name=attachments]",
        [{"name": f"{n}.pdf", "mimeType": "application/pdf", "buffer": PDF} for n in names],
    )
    save_article(page)
    from_form = Article.objects.exclude(pk=clean.pk).get(unit=village)
    assert from_form.status == ArticleStatus.SUBMITTED
    assert from_form.attachments.count() == len(names)
    watch.visit(f"{base}/desk/articles/{from_form.pk}/")
    watch.visit(f"{base}/desk/articles/{from_form.pk}/preview/")
    services.article_publish(acting_user=secretary, article=from_form)

    # 2. Through the services: one article per payload, the payload in every text field and
    # a file name, and its sentinel variant beside it. A name that is nothing but markup
    # loses its extension when cleaned and is refused (so it reaches no page).
    articles = [from_form]
    attached = refused = 0
    for i, payload in enumerate(corpus):
        variant = with_sentinel(payload)
        article = services.article_create(
            acting_user=officer,
            unit=village,
            data=services.ArticleInput(
                title=f"{i} {payload}"[:120],
                summary=f"{payload} {variant}"[:300],
                body=f"{payload}\n<p>{i}</p>\n{variant}",
                title_mn=variant[:240],
                column_key="news",
            ),
        )
        for name in (payload, variant, f"附件{i} {payload}"):
            try:
                services.attachment_add(
                    acting_user=officer, article=article, upload=attachment(name)
                )
                attached += 1
            except ValidationError:
                refused += 1
        services.article_submit(acting_user=officer, article=article)
        articles.append(services.article_publish(acting_user=secretary, article=article))
    assert attached >= len(corpus), (attached, refused)

    # The workbench lists and previews them to the secretary.
    log_in(page, base, "v1a-secretary")
    watch.visit(f"{base}/desk/u/{village.code}/articles/")
    for article in articles[1::10]:
        watch.visit(f"{base}/desk/articles/{article.pk}/preview/")
    page.context.clear_cookies()

    # The public pages, to anyone: the home, every page of the column, every article.
    watch.visit(f"{base}/u/{village.code}/")
    column_pages = -(-len(articles) // 20) + 1
    for number in range(1, column_pages + 1):
        watch.visit(f"{base}/u/{village.code}/c/news/?page={number}")
    for article in articles:
        text = watch.visit(f"{base}/u/{village.code}/a/{article.pk}/")
        assert str(article.pk) in page.url and text
    try:
        search = reverse("site-search", args=[village.code])
    except NoReverseMatch:
        search = ""
    if search:
        for query in ("alert", "script", "onerror", "xss"):
            watch.visit(f"{base}{search}?q={query}")

    # In traditional Chinese the text is converted for display (OpenCC), in Mongolian the
    # Mongolian title shows: converted or swapped, still inert.
    for language in ("zh-hant", "mn-mong"):
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
        )
        watch.visit(f"{base}/u/{village.code}/")
        assert page.evaluate("document.documentElement.lang") == language
        watch.visit(f"{base}/u/{village.code}/c/news/")
        for article in articles[::5]:
            watch.visit(f"{base}/u/{village.code}/a/{article.pk}/")
    watch.assert_clean()
