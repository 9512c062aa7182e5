"""The demo in Mongolian: every unit, default column and demo article gets a Mongolian version.

Run once by ``build_demo`` after the units and the site content exist; idempotent (only empty
Mongolian fields are filled). Names and texts are written in the transliteration of
``nutag.core.mongol_script`` and turned into the traditional script here; the terms follow
docs/mongolian.md. Mongolian names are approximate, for the demo only.

- units without a Mongolian name (sub-districts, communities, organs, firms, schools) get one
  through ``unit_update`` (an audit row each, by ``SYSTEM``);
- default columns get the catalogue's Mongolian title as ``title_mn`` (one bulk update per
  column key: thousands of rows, no workflow);
- the demo articles and notices get ``title_mn``, ``summary_mn`` and ``body_mn`` (bulk, then
  re-indexed for search: published articles cannot be edited through the services).
"""

from __future__ import annotations

from django.utils import translation

from nutag.core.actors import SYSTEM
from nutag.core.mongol_script import to_script
from nutag.orgs.models import Unit
from nutag.orgs.services import unit_update

# Chinese stem → transliteration, for names built as stem + kind
_COMMUNITY_STEMS = {
    "团结": "negedül",
    "和平": "engke tayibung",
    "北山": "aru agula",
    "草原": "tal-a nutug",
    "金水": "altan usu",
    "东升": "jegün manduqu",
    "新华": "sine qua",
    "阳光": "naran-u gerel",
    "利民": "arad-tu tusa",
    "西山": "baragun agula",
    "矿区": "uurqai",
    "湖滨": "nagur-un kijagar",
    "铁路": "temür jam",
    "祥和": "amugulang",
}

UNIT_NAMES = {
    "呼伦街道办事处": "kölün jegede-yin alban gajar",
    "巴尔虎街道办事处": "bargu jegede-yin alban gajar",
    "旗委办公室": "qosigu-yin nam-un qoriy-a-yin albangqasi",
    "旗人大常委会办公室": "qosigu-yin arad-un tölöögci-yin qural-un bayingga jöblel-ün albangqasi",
    "旗政府办公室": "qosigu-yin jasag-un gajar-un albangqasi",
    "旗政协办公室": "qosigu-yin ulus tör-ün jöblelgen-ü albangqasi",
    "旗纪委监委": "qosigu-yin sakilg-a sinjilekü qoriy-a",
    "旗委组织部": "qosigu-yin nam-un qoriy-a-yin jomun bayiguulqu tasug",
    "旗委宣传部": "qosigu-yin nam-un qoriy-a-yin surtalcilqu tasug",
    "旗委统战部": "qosigu-yin nam-un qoriy-a-yin negedül baiguulqu tasug",
    "旗委政法委": "qosigu-yin nam-un qoriy-a-yin ulus tör qauli-yin jöblel",
    "旗委编办": "qosigu-yin orun too-yin albangqasi",
    "旗直属机关工委": "qosigu-yin sigud qariyatu alban bayiguullag-a-yin nam-un qoriy-a",
    "旗委党校": "qosigu-yin nam-un surgaguli",
    "旗发展和改革委员会": "qosigu-yin kögjil ba önggecilel-ün jöblel",
    "旗教育局": "qosigu-yin surgan kümüjil-ün tobcoo",
    "旗工业和信息化局": "qosigu-yin aju üiledbüri ba medeeljil-ün tobcoo",
    "旗公安局": "qosigu-yin olan-u amugulang-un tobcoo",
    "旗民政局": "qosigu-yin irgen-ü kereg-ün tobcoo",
    "旗司法局": "qosigu-yin sigükü jakirgan-u tobcoo",
    "旗财政局": "qosigu-yin sangquu-yin tobcoo",
    "旗人力资源和社会保障局": "qosigu-yin kümün-ü kücin nöcöl ba neyigem-ün bagalalt-un tobcoo",
    "旗自然资源局": "qosigu-yin baigal-un nöcöl-ün tobcoo",
    "旗生态环境分局": "qosigu-yin amidural orcin-u salbur tobcoo",
    "旗住房和城乡建设局": "qosigu-yin oron suuca ba qota ködege-yin bayiguulalta-yin tobcoo",
    "旗交通运输局": "qosigu-yin qarilcag-a teegber-ün tobcoo",
    "旗水利局": "qosigu-yin usun aju aqui-yin tobcoo",
    "旗农牧和科技局": "qosigu-yin tariy-a mal aju aqui ba sinjilekü uqagan-u tobcoo",
    "旗商务局": "qosigu-yin qudaldu-yin tobcoo",
    "旗文化旅游体育局": "qosigu-yin soyol jiguulcilal biyen-ü tamir-un tobcoo",
    "旗卫生健康委员会": "qosigu-yin ergül mendü-yin jöblel",
    "旗退役军人事务局": "qosigu-yin cerig-eče bugugsan kümüs-ün kereg-ün tobcoo",
    "旗应急管理局": "qosigu-yin yaraltai kereg-i jakiraqu tobcoo",
    "旗审计局": "qosigu-yin sinjilen bodoqu tobcoo",
    "旗市场监督管理局": "qosigu-yin jaq-a jegeli-yin kinan qinaqu tobcoo",
    "旗统计局": "qosigu-yin statistik-un tobcoo",
    "旗医疗保障局": "qosigu-yin emnelge-yin bagalalt-un tobcoo",
    "旗林业和草原局": "qosigu-yin oi mod ba tal-a-yin tobcoo",
    "旗乡村振兴局": "qosigu-yin ködege-yi sergügekü tobcoo",
    "旗信访局": "qosigu-yin bicig jakidal kiged ireltei-yin tobcoo",
    "旗融媒体中心": "qosigu-yin negedügsen mediy-a-yin töb",
    "旗总工会": "qosigu-yin ajilcid-un eb qolbog-a",
    "团旗委": "qosigu-yin jalagucud-un eb qolbog-a",
    "旗妇联": "qosigu-yin emegteicüd-ün qolbog-a",
    "旗科协": "qosigu-yin sinjilekü uqagan-u qolbog-a",
    "旗残联": "qosigu-yin tahir dutagu kümüs-ün qolbog-a",
    "旗工商联": "qosigu-yin aju üiledbüri qudaldu-yin qolbog-a",
    "旗档案馆": "qosigu-yin dangsa ebkemel-ün sang",
    "旗人民法院": "qosigu-yin arad-un sigükü qoriy-a",
    "旗人民检察院": "qosigu-yin arad-un bayicagan sinjilekü qoriy-a",
    "旗供电分公司": "qosigu-yin tog qangqaqu salbur kompani",
    "旗邮政分公司": "qosigu-yin suudal-un salbur kompani",
    "旗电信分公司": "qosigu-yin cakilgan qolbog-a-yin salbur kompani",
    "旗移动分公司": "qosigu-yin yabugan utasu-yin salbur kompani",
    "旗农村信用合作联社": "qosigu-yin ködege-yin itegel-ün qamtural qorisiy-a",
    "旗城市投资建设有限公司": "qosigu-yin qota-yin qörönggü oruulalta bayiguulalta-yin kompani",
    "旗自来水公司": "qosigu-yin usun qangqaqu kompani",
    "旗国有林场": "qosigu-yin ulus-un oi modu-yin talbai",
    "宝日希勒露天煤矿": "borsil-un ile nigürsün-ü uurqai",
    "宝日希勒镇供热公司": "borsil balgasu-yin dulagan qangqaqu kompani",
    "呼和诺尔国营牧场": "köke nagur-un ulus-un mal aju aqui-yin talbai",
    "巴尔虎乳业有限公司": "bargu sün-ü aju üiledbüri-yin kompani",
    "旗第一中学": "qosigu-yin nigedüger dunda surgaguli",
    "旗蒙古族中学": "qosigu-yin monggol dunda surgaguli",
    "旗第二中学": "qosigu-yin qoyadugar dunda surgaguli",
    "旗实验小学": "qosigu-yin turusiqu baga surgaguli",
    "旗蒙古族小学": "qosigu-yin monggol baga surgaguli",
    "旗职业中学": "qosigu-yin mergejil-ün dunda surgaguli",
    "巴彦库仁镇第二小学": "bayankürie balgasu-yin qoyadugar baga surgaguli",
    "宝日希勒镇学校": "borsil balgasu-yin surgaguli",
    "呼和诺尔镇学校": "köke nagur balgasu-yin surgaguli",
    "鄂温克民族苏木学校": "ewengki ündüsüten-ü sumu-yin surgaguli",
    "东乌珠尔苏木学校": "jegün üjügür sumu-yin surgaguli",
    "西乌珠尔苏木学校": "baragun üjügür sumu-yin surgaguli",
    "巴彦哈达苏木学校": "bayan qada sumu-yin surgaguli",
}

# title → (title_mn, summary_mn, body_mn paragraphs), in transliteration
ARTICLES: dict[str, tuple[str, str, list[str]]] = {
    "关于开展“五好”基层关工委创建活动的通知": (
        "“tabun sayin” ündüsün sitü-yin jöblel bayiguulqu üile ajillagan-u tuqai medegdel",
        "sumu balgasu, gacag-a qoriyalal-un qalamjilaqu jöblel “tabun sayin” kemjiy-e-ber "
        "öbesüben sinjilejü, jil-ün ecüs-ün urida tayilan-a.",
        [
            "sumu balgasu, jegede, qosigu-yin sigud nigece-ner-ün qalamjilaqu jöblel:",
            "qosigu-yin qalamjilaqu jöblel bügüde qosigu-du “tabun sayin” ündüsün sitü-yin "
            "jöblel bayiguulqu üile ajillagan-i yabugulqu-bar sidgebe. nigece büri udirdaqu "
            "bürildüqün sayin, tabun ötegüs-ün üiledel sayin, dürim jurum sayin, sine sanaacilga "
            "sayin, üile ajillagan baingga ür-e dün sayin gedeg kemjiy-e-ber öbesüben "
            "sinjilejü, “dörben orugulul”, “dörben qanggalta”-yi kürgegtün.",
            "öbesüben sinjilegsen bayidal-i jil-ün ecüs-ün urida qosigu-yin qalamjilaqu "
            "jöblel-ün albangqasi-du tayilagtun.",
            "qosigu-yin qalamjilaqu jöblel-ün albangqasi (üjegülün jisiyelekü)",
        ],
    ),
    "冬季草场防火和出行安全提示": (
        "ebül-ün belciger-ün gal-aca sergileküi ba jam yabudal-un amugulang-un sanagulga",
        "ebül bolugsan-aca qoyisi belciger qagurai, malcid gal-iyan bolgoomjilan, "
        "casutai edür gadagsi garqu-du ger büli-dü-ben urida kelegtün.",
        [
            "ebül bolugsan-aca qoyisi belciger qagurai, salkin yeke: kedür-e gal türikü-yi "
            "caγajilan-a, gal üjebesü darui utasu-bar medegdegtün.",
            "casutai edür qamtu yabuju, jam-iyan ger büli-dü-ben urida kelegtün; gagcagar "
            "amidaraqu ötegüs tülesü em-ün bele beledkegtün, gacag-a-yin tabun ötegüs-ün "
            "sayin durin-u ajiltan ger büri-yi ergin tuan-a.",
        ],
    ),
    "镇关工委“五老”宣讲团走进中心学校": (
        "balgasu-yin qalamjilaqu jöblel-ün tabun ötegüs-ün nomlagci bülüg töb surgaguli-du ocib-a",
        "ötegü bagsi, ötegü cerig-üd surugcid-tu tal-a nutug-un üliger kelebe.",
        [
            "ene dolog-a qonog-tu balgasu-yin qalamjilaqu jöblel tabun ötegüs-ün nomlagci "
            "bülüg-i balgasu-yin töb surgaguli-du abaccu, ötegü bagsi, ötegü cerig-üd gurban "
            "jagu garui surugci-du tal-a nutug-un ajil ekilegsen üliger kelebe.",
            "nomlal-un qoyin-a tabun ötegüs ger-tegen ülegsen keüked-tei qos bolju, sar-a "
            "büri nige udag-a ujaraqu-bar tokirolcaba.",
        ],
    ),
    "“五老”志愿者冬季走访留守儿童": (
        "tabun ötegüs-ün sayin durin-u ajiltan ebül ger-tegen ülegsen keüked-i ergin tuaba",
        "gacag-a-yin tabun ötegüs naiman ger-ün keüked-i ergin tuaju, ebül-ün qubcasu ba "
        "surqu kereglel kürgejü ögbe.",
        [
            "saya gacag-a-yin qalamjilaqu jöblel tabun ötegüs-ün sayin durin-u ajiltan-i "
            "jokiyan bayiguulju, ger-tegen ülegsen naiman ger-ün keüked-i ergin tuaju, surulcal "
            "amidural-i medejü, ebül-ün qubcasu ba surqu kereglel kürgejü ögbe.",
            "sayin durin-u ajiltan asaragci-tai qamtu ebül-ün amuralta-yin surulcal-i jöbledcebe.",
        ],
    ),
    "支部主题党日：学习身边的好党员": (
        "salag-a-yin sedeb-tü nam-un edür: dergede-ki sayin nam-un gesigün-eče surqu",
        "",
        [
            "ene sar-a-yin sedeb-tü nam-un edür-tü salag-a-yin nam-un gesigüd dergede-ki sayin "
            "nam-un gesigün-ü üile kereg-i surulcaba. gadagsi ajillaju bayigaa urusqal nam-un "
            "gesigüd bicil salag-a-bar sülbe-ber orolcaba.",
            "surulcal-un material “salag-a-yin sülbe surulcal” bulung-du bayin-a; nasu "
            "aqamad nam-un gesigüd ger-tegen ungsiju buyu sonosoju bolon-a.",
        ],
    ),
    "嘎查冬季文艺活动安排": (
        "gacag-a-yin ebül-ün uran jokiyal-un üile ajillagan",
        "",
        [
            "gacag-a-yin soyol-un ger garag-un jirgugan büri üdesi-yin qoyin-a ebül-ün uran "
            "jokiyal-un üile ajillagan yabugulun-a, malcid olan tümen-i orolcaqu-yi urin-a.",
            "nere-ben gacag-a-yin ajil-un ger-tü bicigülügtün.",
        ],
    ),
    "合作社冬季牛羊肉预订开始": (
        "qamtural qorisiy-a-yin ebül-ün üker qonin-u miq-a-yin urida jakiyalg-a egüsbe",
        "gacag-a-yin malcid-un qamtural qorisiy-a ebül-ün üker qonin-u miq-a-yin urida "
        "jakiyalg-a-yi egüsgebe.",
        [
            "gacag-a-yin malcid-un qamtural qorisiy-a ebül-ün üker qonin-u miq-a-yin urida "
            "jakiyalg-a-yi egüsgebe: tal-a-du sula bilcigegsen, negen adali alaju "
            "sinjilegsen.",
            "urida jakiyalg-a-yi gacag-a-yin ajil-un ger-tü bicigülügtün.",
        ],
    ),
}


def _community_name(name: str) -> str:
    stem = name.removesuffix("社区")
    latin = _COMMUNITY_STEMS.get(stem)
    return f"{latin} qoriyalal" if latin else ""


def _units(units: dict[str, Unit]) -> int:
    named = 0
    for unit in units.values():
        if unit.name_mn:
            continue
        latin = UNIT_NAMES.get(unit.name) or _community_name(unit.name)
        if not latin:
            continue
        unit_update(
            acting_user=SYSTEM,
            unit=unit,
            name=unit.name,
            name_mn=to_script(latin),
        )
        named += 1
    return named


def _columns() -> None:
    from nutag.sites.columns import DEFAULT_COLUMNS
    from nutag.sites.models import Column

    for default in DEFAULT_COLUMNS:
        with translation.override("mn-mong"):
            title_mn = str(default.title)
        Column.objects.filter(key=default.key, title_mn="").update(title_mn=title_mn)


def _articles() -> None:
    from django.utils.html import escape

    from nutag.sites.models import Article
    from nutag.sites.search import index_article_ids

    changed: list[int] = []
    for article in Article.objects.filter(title__in=list(ARTICLES), title_mn=""):
        title, summary, paragraphs = ARTICLES[article.title]
        body = "".join(f"<p>{escape(to_script(p))}</p>" for p in paragraphs)
        Article.objects.filter(pk=article.pk).update(
            title_mn=to_script(title), summary_mn=to_script(summary), body_mn=body
        )
        changed.append(article.pk)
    if changed:
        index_article_ids(changed)


def ensure_mongolian(units: dict[str, Unit]) -> int:
    """Fill the demo's missing Mongolian names and texts; how many units were named."""
    named = _units(units)
    _columns()
    _articles()
    return named
