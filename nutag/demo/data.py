"""The demo's static data: the banner's code, the seed and reference date, the seed's figures,
the deliberate departures from the seed model, and the pools synthetic people are drawn from.
"""

from __future__ import annotations

import datetime as dt

from nutag.orgs.models import UnitKind
from nutag.people.ethnicity import Ethnicity
from nutag.people.models import ElderCategory, Gender

BANNER_CODE = "150725"
PASSWORD_ENV = "NUTAG_DEMO_PASSWORD"  # noqa: S105 - the name of the variable
DEFAULT_PASSWORD = "nutag-demo-2026"  # noqa: S105 - a published demo password, never production
SEED = 150725
REFERENCE_DATE = dt.date(2026, 1, 1)

# The seed's figures, which ``unit_figures(unit=banner)`` must give back.
UNITS_BY_KIND: dict[str, int] = {
    UnitKind.BANNER: 1,
    UnitKind.TOWNSHIP: 7,
    UnitKind.SUBDISTRICT: 2,
    UnitKind.ORGAN: 48,
    UnitKind.VILLAGE: 29,
    UnitKind.COMMUNITY: 14,
    UnitKind.STATE_FIRM: 11,
    UnitKind.PRIVATE_FIRM: 1,
    UnitKind.SCHOOL: 13,
}
CARE_WORKERS = 1679
FIVE_ELDERS = 1024
ELDERS_BY_CATEGORY: dict[str, int] = {
    ElderCategory.CADRE: 312,
    ElderCategory.VETERAN: 96,
    ElderCategory.EXPERT: 138,
    ElderCategory.TEACHER: 248,
    ElderCategory.MODEL_WORKER: 230,
}


# --- Deliberate departures from the seed model ----------------------------------------------

CHAIR_NOT_SECRETARY = "chair_not_secretary"
NO_VICE_CHAIR = "no_vice_chair"
VICE_CHAIR_NOT_RETIRED = "vice_chair_not_retired"

DEVIATIONS: dict[str, str] = {
    # A village whose committee is chaired by the village head, not the branch secretary.
    "150725101202": CHAIR_NOT_SECRETARY,
    # An organ whose committee is chaired by a deputy director, not the branch secretary.
    "150725800007": CHAIR_NOT_SECRETARY,
    # A school whose executive vice-chair retired away and was not replaced.
    "150725870003": NO_VICE_CHAIR,
    # A state firm that never appointed an executive vice-chair.
    "150725850004": NO_VICE_CHAIR,
    # A community whose executive vice-chair is a serving youth-league cadre, not a retiree.
    "150725001002": VICE_CHAIR_NOT_RETIRED,
}

# --- Synthetic people ------------------------------------------------------------------------

HAN_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢"
    "蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵"
    "孟龙万段雷钱汤尹易常武乔贺赖龚文"
)
HAN_GIVEN: dict[str, str] = {
    Gender.MALE: "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳国建志海东春永峰文成",
    Gender.FEMALE: "芳娜敏静丽艳娟霞秀玲桂英红梅莉兰燕萍雪琳丹婷慧洁颖佳欣月晶凤荣倩",
}
MONGOL_GIVEN: dict[str, list[str]] = {
    Gender.MALE: [
        "巴特尔",
        "巴图",
        "孟和",
        "苏和",
        "额尔敦",
        "朝鲁",
        "宝音",
        "阿拉坦",
        "那顺",
        "乌力吉",
        "吉日嘎拉",
        "敖日格乐",
        "布和",
        "呼和",
        "毕力格",
        "达来",
        "图门",
        "巴雅尔",
        "特木尔",
        "额尔德木图",
        "满都拉",
        "桑布",
        "达瓦",
        "扎那",
        "旭日",
        "哈斯",
        "那木吉拉",
        "包力高",
        "阿木尔",
        "朝克图",
        "格日勒图",
        "宝力道",
        "乌日图",
        "斯琴",
        "额日和木",
        "巴音",
    ],
    Gender.FEMALE: [
        "其木格",
        "萨仁",
        "乌兰",
        "托娅",
        "高娃",
        "娜仁",
        "斯琴",
        "图雅",
        "塔娜",
        "琪琪格",
        "乌云",
        "萨日娜",
        "苏日娜",
        "格日乐",
        "呼日乐",
        "敖登",
        "满都呼",
        "阿拉腾",
        "娜日苏",
        "乌日娜",
        "额尔敦其其格",
        "莎仁高娃",
        "其其格",
        "吉木斯",
        "乌吉斯古冷",
        "斯琴高娃",
    ],
}
# Two-part Mongol names ("额尔敦" + "巴特尔"), for variety.
MONGOL_PREFIX = ["额尔敦", "阿拉坦", "斯琴", "巴雅", "苏日", "朝格", "那仁", "乌日", "宝日", "吉日"]
MONGOL_SUFFIX: dict[str, list[str]] = {
    Gender.MALE: ["巴特尔", "毕力格", "图", "夫", "仓", "宝音", "达来", "朝鲁", "巴雅尔"],
    Gender.FEMALE: ["其其格", "图雅", "高娃", "娜", "花", "塔娜", "格日乐", "萨仁"],
}
MONGOL_SURNAMES = "包白宝韩吴陈王"  # some Mongol families use a Han-style surname
# Ewenki clan names shortened to one character (杜拉尔→杜, 涂克冬→涂, 那哈塔→那), and
# Daur ones (敖拉→敖, 郭布勒→郭, 孟尼→孟, 何音→何, 苏都尔→苏, 鄂嫩→鄂).
EWENKI_SURNAMES = "杜涂那卡"
DAUR_SURNAMES = "敖郭孟何苏鄂沃金"

# The banner's 14 ethnic groups (weights in per mille), mostly Mongol and Han.
ETHNIC_WEIGHTS: list[tuple[str, int]] = [
    (Ethnicity.MONGOL, 470),
    (Ethnicity.HAN, 390),
    (Ethnicity.EWENKI, 50),
    (Ethnicity.DAUR, 30),
    (Ethnicity.MANCHU, 25),
    (Ethnicity.HUI, 15),
    (Ethnicity.RUSSIAN, 6),
    (Ethnicity.OROQEN, 3),
    (Ethnicity.KOREAN, 3),
    (Ethnicity.XIBE, 2),
    (Ethnicity.ZHUANG, 2),
    (Ethnicity.TUJIA, 2),
    (Ethnicity.MIAO, 1),
    (Ethnicity.TIBETAN, 1),
]
EWENKI_TOWNSHIP_WEIGHTS: list[tuple[str, int]] = [
    (Ethnicity.EWENKI, 350),
    (Ethnicity.MONGOL, 350),
    (Ethnicity.HAN, 200),
    (Ethnicity.DAUR, 100),
]
MOBILE_LOCATIONS = [
    "呼伦贝尔市海拉尔区", "满洲里市", "牙克石市", "呼和浩特市", "包头市", "鄂尔多斯市",
    "北京市朝阳区", "天津市滨海新区", "大连市", "哈尔滨市", "沈阳市", "乌兰巴托(务工)",
]  # fmt: skip
MOBILE_PREFIXES = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "155", "156", "157", "158", "159", "177", "180", "181", "182", "183", "185", "186",
    "187", "188", "189", "199",
]  # fmt: skip
REPRESENTS: dict[str, list[str]] = {
    UnitKind.BANNER: ["团旗委", "旗妇联", "旗教育局", "旗公安局", "旗司法局"],
    UnitKind.TOWNSHIP: ["共青团", "妇联", "中心学校", "派出所"],
    UnitKind.SUBDISTRICT: ["共青团", "妇联", "学校", "派出所"],
    UnitKind.VILLAGE: ["共青团", "妇联", "学校"],
    UnitKind.COMMUNITY: ["共青团", "妇联", "学校"],
    UnitKind.ORGAN: ["共青团", "妇委会", "工会"],
    UnitKind.STATE_FIRM: ["共青团", "工会"],
    UnitKind.PRIVATE_FIRM: ["共青团", "工会"],
    UnitKind.SCHOOL: ["共青团", "少先队", "家长委员会"],
}
# Volunteers (beyond the committee's officers) are spread by these weights.
VOLUNTEER_WEIGHTS: dict[str, int] = {
    UnitKind.BANNER: 40,
    UnitKind.TOWNSHIP: 30,
    UnitKind.SUBDISTRICT: 14,
    UnitKind.VILLAGE: 14,
    UnitKind.COMMUNITY: 10,
    UnitKind.ORGAN: 4,
    UnitKind.STATE_FIRM: 4,
    UnitKind.PRIVATE_FIRM: 2,
    UnitKind.SCHOOL: 8,
}
# (Party members without committee work, residents, young people) per unit.
OTHERS: dict[str, tuple[int, int, int]] = {
    UnitKind.BANNER: (10, 0, 0),
    UnitKind.TOWNSHIP: (12, 5, 0),
    UnitKind.SUBDISTRICT: (8, 5, 0),
    UnitKind.VILLAGE: (10, 20, 4),
    UnitKind.COMMUNITY: (8, 18, 4),
    UnitKind.ORGAN: (12, 0, 0),
    UnitKind.STATE_FIRM: (10, 0, 0),
    UnitKind.PRIVATE_FIRM: (5, 0, 0),
    UnitKind.SCHOOL: (8, 0, 10),
}
# Committee-office officers (OFFICER positions) besides the committee members.
OFFICERS: dict[str, int] = {UnitKind.BANNER: 2, UnitKind.TOWNSHIP: 1}
MOBILE_KINDS = {UnitKind.TOWNSHIP, UnitKind.SUBDISTRICT, UnitKind.VILLAGE, UnitKind.COMMUNITY}
