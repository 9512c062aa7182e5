"""The demo's unit sites: every unit's columns and a few synthetic articles and notices.

Written through the sites services (``acting_user=SYSTEM``), so they carry the same
audit rows, placements and sanitised bodies as anything written at the desk:

- a banner notice, pinned, pushed down to every unit;
- a township notice pushed to the township's units, and a township article;
- village articles (one recommended up to the township and waiting for its secretary, one
  waiting for approval at the village, one in another township's village).

Idempotent: an article is recognised by its unit and title; columns are only added where
missing. Everything here is made up for the demo.
"""

from __future__ import annotations

import dataclasses

from django.db.models import Count

from nutag.core.actors import SYSTEM
from nutag.orgs.models import Unit
from nutag.sites import services
from nutag.sites.columns import DEFAULT_COLUMNS
from nutag.sites.models import Article, ArticleKind, ArticleStatus, Column

from .data import BANNER_CODE
from .plan import LOGIN_UNITS


@dataclasses.dataclass(frozen=True)
class DemoArticle:
    unit: str
    title: str
    column: str
    body: str
    summary: str = ""
    kind: str = ArticleKind.ARTICLE
    pinned: bool = False
    status: str = ArticleStatus.PUBLISHED
    push_all_below: bool = False
    recommend: bool = False


TOWNSHIP = LOGIN_UNITS["demo-township"]
VILLAGE = LOGIN_UNITS["demo-village"]
OTHER_VILLAGE = LOGIN_UNITS["demo-village2"]

DEMO_ARTICLES: list[DemoArticle] = [
    DemoArticle(
        unit=BANNER_CODE,
        kind=ArticleKind.NOTICE,
        title="关于开展“五好”基层关工委创建活动的通知",
        column="next_generation",
        summary="各苏木镇、嘎查社区关工委对照“五好”标准自查，年底前报送创建情况。",
        body=(
            "各苏木镇、街道，旗直各单位关工委：\n\n"
            "为进一步加强基层关工委组织建设，旗关工委决定在全旗开展“五好”基层关工委创建活动。"
            "请各单位对照领导班子好、“五老”作用发挥好、制度建设落实好、创新工作好、"
            "活动经常效果好的标准开展自查，做到“四纳入”“四到位”。\n\n"
            "自查情况请于年底前报送旗关工委办公室。\n\n旗关工委办公室（演示数据）"
        ),
        pinned=True,
        push_all_below=True,
    ),
    DemoArticle(
        unit=TOWNSHIP,
        kind=ArticleKind.NOTICE,
        title="冬季草场防火和出行安全提示",
        column="governance",
        summary="入冬后草场干燥，请牧民注意用火安全，雪天出行提前告知家人。",
        body=(
            "入冬以来草场干燥，风大，请广大牧民严禁野外用火，发现火情立即拨打电话报告。\n\n"
            "雪天出行请结伴而行，提前告知家人路线；独居老人家中请备足燃料和药品，"
            "嘎查“五老”志愿者将逐户走访。"
        ),
        push_all_below=True,
    ),
    DemoArticle(
        unit=TOWNSHIP,
        title="镇关工委“五老”宣讲团走进中心学校",
        column="next_generation",
        summary="老教师、老战士为学生讲述草原上的故事。",
        body=(
            "本周，镇关工委组织“五老”宣讲团走进镇中心学校，"
            "老教师、老战士为三百多名学生讲述了草原上的创业故事。\n\n"
            "宣讲结束后，“五老”与留守儿童结对，约定每月见面一次。"
        ),
    ),
    DemoArticle(
        unit=VILLAGE,
        title="“五老”志愿者冬季走访留守儿童",
        column="next_generation",
        summary="嘎查“五老”志愿者走访八户留守儿童家庭，送去棉衣和学习用品。",
        body=(
            "近日，嘎查关工委组织“五老”志愿者走访了八户留守儿童家庭，"
            "了解孩子们的学习和生活情况，送去了棉衣和学习用品。\n\n"
            "志愿者还与监护人一起商量了寒假的学习安排。"
        ),
        recommend=True,
    ),
    DemoArticle(
        unit=VILLAGE,
        title="支部主题党日：学习身边的好党员",
        column="online_study",
        body=(
            "本月主题党日，支部党员集中学习了身边好党员的事迹。"
            "外出务工的流动党员通过微支部在线参加了学习。\n\n"
            "学习材料已放在“支部在线学习”栏目，年老体弱的党员可以在家阅读或收听。"
        ),
    ),
    DemoArticle(
        unit=VILLAGE,
        title="嘎查冬季文艺活动安排",
        column="news",
        body="嘎查文化室每周六下午举办冬季文艺活动，欢迎牧民群众参加。\n\n报名请联系嘎查部。",
        status=ArticleStatus.SUBMITTED,
    ),
    DemoArticle(
        unit=OTHER_VILLAGE,
        title="合作社冬季牛羊肉预订开始",
        column="products",
        summary="嘎查牧民合作社冬季牛羊肉开始预订。",
        body="嘎查牧民合作社冬季牛羊肉开始预订，草原散养，统一屠宰检疫。\n\n预订请到嘎查部登记。",
    ),
]


def _ensure_columns(units: list[Unit]) -> None:
    complete = set(
        Column.objects.filter(unit__in=units)
        .values("unit_id")
        .annotate(n=Count("id"))
        .filter(n__gte=len(DEFAULT_COLUMNS))
        .values_list("unit_id", flat=True)
    )
    for unit in units:
        if unit.pk not in complete:
            services.columns_ensure(acting_user=SYSTEM, unit=unit)


def _write(spec: DemoArticle, unit: Unit) -> Article:
    article = services.article_create(
        acting_user=SYSTEM,
        unit=unit,
        data=services.ArticleInput(
            title=spec.title,
            kind=spec.kind,
            column_key=spec.column,
            summary=spec.summary,
            body=spec.body,
            pinned=spec.pinned,
        ),
    )
    services.article_submit(acting_user=SYSTEM, article=article)
    if spec.status == ArticleStatus.PUBLISHED:
        services.article_publish(acting_user=SYSTEM, article=article)
        if spec.push_all_below:
            services.article_push(acting_user=SYSTEM, article=article, all_below=True)
        if spec.recommend:
            services.article_recommend(acting_user=SYSTEM, article=article)
    return article


def ensure_site_content(units: dict[str, Unit]) -> int:
    """Columns for every unit and the demo articles that are missing; how many were written."""
    _ensure_columns(list(units.values()))
    existing = {
        (code, title): (pk, status)
        for pk, code, title, status in Article.objects.filter(
            title__in=[a.title for a in DEMO_ARTICLES]
        ).values_list("pk", "unit__code", "title", "status")
    }
    written = 0
    for spec in DEMO_ARTICLES:
        found = existing.get((spec.unit, spec.title))
        if found is None:
            _write(spec, units[spec.unit])
            written += 1
        elif spec.push_all_below and found[1] == ArticleStatus.PUBLISHED:
            # reach units added since (idempotent: nothing happens when none are new)
            article = Article.objects.select_related("unit").get(pk=found[0])
            services.article_push(acting_user=SYSTEM, article=article, all_below=True)
    return written
