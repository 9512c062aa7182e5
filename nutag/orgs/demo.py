"""The demo banner: 陈巴尔虎旗 (Chen Barag Banner), modelled on the seed, with synthetic people.

``build_demo()`` (run by ``manage.py load_demo``) makes, in one transaction:

- 126 units under the banner (code 150725): 7 townships, 2 sub-district offices, 48 banner
  organs, 29 villages, 14 communities, 11 state firms, 1 private firm and 13 schools, each
  with its Party branch and care committee. Units are created through ``unit_create`` (so
  through treebeard, with their bodies and an audit row each).
- 1,679 people working in the care committees (``CareWorker`` at their unit), 1,024 of them
  five elders, plus Party members (some mobile), residents, and young people with their
  guardians. People are bulk-inserted, bypassing ``person_create`` for speed (no audit rows),
  with ``unit_path``, ``name_pinyin`` and ``name_initials`` set exactly as the service does.
- the positions of the "branch + committee" seed model at every unit, except the units of
  ``DEVIATIONS``, which break it on purpose so that ``seed_model_check`` has something to show;
- the demo logins (``DEMO_LOGINS``), all with one password (``NUTAG_DEMO_PASSWORD``).

Everything is synthetic: names are drawn from lists of common surnames and given names,
phone numbers are random, ID numbers are well-formed (region 150725, a real birth date,
a valid check character) but belong to no one. Generation is seeded, and ages are counted
from ``REFERENCE_DATE`` rather than today, so every run plans exactly the same people.

Idempotent: units are found by code, people by ID number; only what is missing is created.
A second run changes nothing. Mongolian unit names are approximate, for the demo only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from nutag.orgs.models import (
    DEFAULT_ACCESS,
    Access,
    Branch,
    CareCommittee,
    Position,
    PositionTitle,
    Unit,
    UnitKind,
)
from nutag.orgs.services import default_body_names, unit_create
from nutag.people.ethnicity import Ethnicity
from nutag.people.idcard import checksum_char
from nutag.people.models import (
    CareWorker,
    ElderCategory,
    Gender,
    Guardianship,
    PartyMembership,
    Person,
    YoungPerson,
)
from nutag.people.normalize import clean_name, name_initials, name_pinyin
from nutag.people.services import CareInput, PartyInput, PersonInput, YouthInput
from nutag.people.tallies import care_tally_refresh

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


# --- The units --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class UnitSpec:
    code: str
    kind: str
    name: str
    name_mn: str = ""
    parent: str | None = None


_TOWN_MN = "ᠪᠠᠯᠭᠠᠰᠤ"
_SUMU_MN = "ᠰᠤᠮᠤ"
_GACHA_MN = "ᠭᠠᠴᠠᠭ᠎ᠠ"

# (code, name, Mongolian name, villages, communities)
TOWNSHIPS: list[tuple[str, str, str, int, int]] = [
    ("150725100", "巴彦库仁镇", f"ᠪᠠᠶᠠᠨᠬᠦᠷᠢᠶ᠎ᠡ {_TOWN_MN}", 3, 3),
    ("150725101", "宝日希勒镇", f"ᠪᠣᠷᠰᠢᠯ {_TOWN_MN}", 3, 3),
    ("150725102", "呼和诺尔镇", f"ᠬᠥᠬᠡ ᠨᠠᠭᠤᠷ {_TOWN_MN}", 4, 2),
    ("150725103", "鄂温克民族苏木", f"ᠡᠸᠡᠩᠬᠢ ᠦᠨᠳᠦᠰᠦᠲᠡᠨ ᠦ {_SUMU_MN}", 4, 0),
    ("150725104", "东乌珠尔苏木", f"ᠵᠡᠭᠦᠨ ᠦᠵᠦᠭᠦᠷ {_SUMU_MN}", 5, 0),
    ("150725105", "西乌珠尔苏木", f"ᠪᠠᠷᠠᠭᠤᠨ ᠦᠵᠦᠭᠦᠷ {_SUMU_MN}", 5, 0),
    ("150725106", "巴彦哈达苏木", f"ᠪᠠᠶᠠᠨ ᠬᠠᠳᠠ {_SUMU_MN}", 5, 0),
]
# (code, name, communities)
SUBDISTRICTS: list[tuple[str, str, int]] = [
    ("150725001", "呼伦街道办事处", 3),
    ("150725002", "巴尔虎街道办事处", 3),
]
_VILLAGE_STEMS = [
    ("巴彦", "ᠪᠠᠶᠠᠨ"),
    ("乌兰", "ᠤᠯᠠᠭᠠᠨ"),
    ("查干", "ᠴᠠᠭᠠᠨ"),
    ("哈日", "ᠬᠠᠷ᠎ᠠ"),
    ("阿拉坦", "ᠠᠯᠲᠠᠨ"),
    ("呼和", "ᠬᠥᠬᠡ"),
    ("额尔敦", "ᠡᠷᠳᠡᠨᠢ"),
]
_VILLAGE_ENDS = [
    ("布拉格", "ᠪᠤᠯᠠᠭ"),
    ("诺尔", "ᠨᠠᠭᠤᠷ"),
    ("陶勒盖", "ᠲᠣᠯᠤᠭᠠᠢ"),
    ("塔拉", "ᠲᠠᠯ᠎ᠠ"),
    ("哈达", "ᠬᠠᠳᠠ"),
    ("乌拉", "ᠠᠭᠤᠯᠠ"),
    ("高勒", "ᠭᠣᠣᠯ"),
]
COMMUNITY_NAMES = [
    "团结", "和平", "北山", "草原", "金水", "东升", "新华",
    "阳光", "利民", "西山", "矿区", "湖滨", "铁路", "祥和",
]  # fmt: skip
ORGAN_NAMES = [
    "旗委办公室", "旗人大常委会办公室", "旗政府办公室", "旗政协办公室", "旗纪委监委",
    "旗委组织部", "旗委宣传部", "旗委统战部", "旗委政法委", "旗委编办", "旗直属机关工委",
    "旗委党校", "旗发展和改革委员会", "旗教育局", "旗工业和信息化局", "旗公安局", "旗民政局",
    "旗司法局", "旗财政局", "旗人力资源和社会保障局", "旗自然资源局", "旗生态环境分局",
    "旗住房和城乡建设局", "旗交通运输局", "旗水利局", "旗农牧和科技局", "旗商务局",
    "旗文化旅游体育局", "旗卫生健康委员会", "旗退役军人事务局", "旗应急管理局", "旗审计局",
    "旗市场监督管理局", "旗统计局", "旗医疗保障局", "旗林业和草原局", "旗乡村振兴局",
    "旗信访局", "旗融媒体中心", "旗总工会", "团旗委", "旗妇联", "旗科协", "旗残联",
    "旗工商联", "旗档案馆", "旗人民法院", "旗人民检察院",
]  # fmt: skip
# (code, name): banner-level state firms, then those in townships.
STATE_FIRMS = [
    ("150725850001", "旗供电分公司"),
    ("150725850002", "旗邮政分公司"),
    ("150725850003", "旗电信分公司"),
    ("150725850004", "旗移动分公司"),
    ("150725850005", "旗农村信用合作联社"),
    ("150725850006", "旗城市投资建设有限公司"),
    ("150725850007", "旗自来水公司"),
    ("150725850008", "旗国有林场"),
    ("150725101501", "宝日希勒露天煤矿"),
    ("150725101502", "宝日希勒镇供热公司"),
    ("150725102501", "呼和诺尔国营牧场"),
]
PRIVATE_FIRMS = [("150725100601", "巴尔虎乳业有限公司")]
SCHOOLS = [
    ("150725870001", "旗第一中学"),
    ("150725870002", "旗蒙古族中学"),
    ("150725870003", "旗第二中学"),
    ("150725870004", "旗实验小学"),
    ("150725870005", "旗蒙古族小学"),
    ("150725870006", "旗职业中学"),
    ("150725100401", "巴彦库仁镇第二小学"),
    ("150725101401", "宝日希勒镇学校"),
    ("150725102401", "呼和诺尔镇学校"),
    ("150725103401", "鄂温克民族苏木学校"),
    ("150725104401", "东乌珠尔苏木学校"),
    ("150725105401", "西乌珠尔苏木学校"),
    ("150725106401", "巴彦哈达苏木学校"),
]


def _parent_code(code: str) -> str:
    """Codes of the banner's own series (1507258…: organs, firms, schools) hang under the
    banner; other 12-digit codes under their township or sub-district (the first 9 digits)."""
    return BANNER_CODE if code.startswith(BANNER_CODE + "8") else code[:9]


def unit_specs() -> list[UnitSpec]:
    """The 126 units, parents before children, siblings in code order."""
    specs = [UnitSpec(BANNER_CODE, UnitKind.BANNER, "陈巴尔虎旗", "ᠴᠢᠨ ᠪᠠᠷᠭᠤ ᠬᠤᠰᠢᠭᠤ")]
    for code, name, _communities in SUBDISTRICTS:
        specs.append(UnitSpec(code, UnitKind.SUBDISTRICT, name, parent=BANNER_CODE))
    for code, name, name_mn, _v, _c in TOWNSHIPS:
        specs.append(UnitSpec(code, UnitKind.TOWNSHIP, name, name_mn, BANNER_CODE))
    stems = [(a + b, f"{am} {bm}") for a, am in _VILLAGE_STEMS for b, bm in _VILLAGE_ENDS]
    random.Random(SEED).shuffle(stems)  # noqa: S311 - synthetic demo data
    village_names = iter(stems)
    community_names = iter(COMMUNITY_NAMES)
    for code, _name, _mn, villages, communities in TOWNSHIPS:
        for i in range(communities):
            specs.append(
                UnitSpec(
                    f"{code}{i + 1:03d}",
                    UnitKind.COMMUNITY,
                    f"{next(community_names)}社区",
                    parent=code,
                )
            )
        for i in range(villages):
            name, name_mn = next(village_names)
            specs.append(
                UnitSpec(
                    f"{code}{201 + i:03d}",
                    UnitKind.VILLAGE,
                    f"{name}嘎查",
                    f"{name_mn} {_GACHA_MN}",
                    code,
                )
            )
    for code, _name, communities in SUBDISTRICTS:
        for i in range(communities):
            specs.append(
                UnitSpec(
                    f"{code}{i + 1:03d}",
                    UnitKind.COMMUNITY,
                    f"{next(community_names)}社区",
                    parent=code,
                )
            )
    for i, name in enumerate(ORGAN_NAMES):
        specs.append(UnitSpec(f"1507258{i + 1:05d}", UnitKind.ORGAN, name, parent=BANNER_CODE))
    for kind, rows in (
        (UnitKind.STATE_FIRM, STATE_FIRMS),
        (UnitKind.PRIVATE_FIRM, PRIVATE_FIRMS),
        (UnitKind.SCHOOL, SCHOOLS),
    ):
        for code, name in rows:
            specs.append(UnitSpec(code, kind, name, parent=_parent_code(code)))
    depth = {s.code: (0 if s.parent is None else 1) for s in specs}
    for s in specs:
        if s.parent is not None and s.parent != BANNER_CODE:
            depth[s.code] = 2
    return sorted(specs, key=lambda s: (depth[s.code], s.code))


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


@dataclasses.dataclass
class PlannedPerson:
    unit_code: str
    data: PersonInput


@dataclasses.dataclass
class PlannedPosition:
    person: int  # index into DemoPlan.people
    unit_code: str
    title: str
    represents: str = ""
    access: str | None = None
    started_on: dt.date | None = None


@dataclasses.dataclass
class PlannedGuardianship:
    young: int
    guardian: int
    relation: str


@dataclasses.dataclass
class DemoPlan:
    people: list[PlannedPerson]
    positions: list[PlannedPosition]
    guardianships: list[PlannedGuardianship]
    logins: dict[str, int]  # username -> index into people


class _Gen:
    """Seeded generator of synthetic names, dates, phone and ID numbers."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic demo data
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    def ethnicity(self, unit_code: str) -> str:
        weights = EWENKI_TOWNSHIP_WEIGHTS if unit_code.startswith("150725103") else ETHNIC_WEIGHTS
        return self.rng.choices([e for e, _w in weights], [w for _e, w in weights])[0]

    def gender(self) -> str:
        return self.rng.choice([Gender.MALE, Gender.FEMALE])

    def _han_given(self, gender: str) -> str:
        chars = HAN_GIVEN[gender]
        return "".join(self.rng.choice(chars) for _ in range(self.rng.choice([1, 2, 2])))

    def _mongol_given(self, gender: str) -> str:
        if self.rng.random() < 0.5:
            return self.rng.choice(MONGOL_GIVEN[gender])
        return self.rng.choice(MONGOL_PREFIX) + self.rng.choice(MONGOL_SUFFIX[gender])

    def name(self, ethnicity: str, gender: str, surname: str | None = None) -> tuple[str, str]:
        """``(full name, surname)``; ``surname`` keeps a family's surname for a child."""
        if ethnicity == Ethnicity.MONGOL:
            if surname is None:
                surname = self.rng.choice(MONGOL_SURNAMES) if self.rng.random() < 0.2 else ""
            return surname + self._mongol_given(gender), surname
        if ethnicity in {Ethnicity.EWENKI, Ethnicity.DAUR, Ethnicity.OROQEN}:
            pool = EWENKI_SURNAMES if ethnicity != Ethnicity.DAUR else DAUR_SURNAMES
            surname = surname or self.rng.choice(pool)
            given = (
                self._mongol_given(gender) if self.rng.random() < 0.5 else self._han_given(gender)
            )
            return surname + given, surname
        surname = surname or self.rng.choice(HAN_SURNAMES)
        return surname + self._han_given(gender), surname

    def birth_date(self, min_age: int, max_age: int) -> dt.date:
        age = self.rng.randint(min_age, max_age)
        start = dt.date(REFERENCE_DATE.year - age - 1, 1, 1)
        return start + dt.timedelta(days=self.rng.randrange(365))

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return start
        return start + dt.timedelta(days=self.rng.randrange((end - start).days))

    def id_number(self, born: dt.date, gender: str) -> str:
        """Region 150725, the birth date, a sequence whose parity gives the gender, checksum."""
        while True:
            seq = self.rng.randrange(0, 100) * 10 + self.rng.randrange(0, 5) * 2
            if gender == Gender.MALE:
                seq += 1
            first17 = f"{BANNER_CODE}{born:%Y%m%d}{seq:03d}"
            value = first17 + checksum_char(first17)
            if value not in self.ids:
                self.ids.add(value)
                return value

    def phone(self) -> str:
        while True:
            value = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if value not in self.phones:
                self.phones.add(value)
                return value


def _apportion(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), exactly."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(x) for x in raw]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class _Planner:
    def __init__(self) -> None:
        self.gen = _Gen(SEED)
        self.rng = self.gen.rng
        self.people: list[PlannedPerson] = []
        self.surnames: list[str] = []
        self.positions: list[PlannedPosition] = []
        self.guardianships: list[PlannedGuardianship] = []
        categories = [c for c, n in ELDERS_BY_CATEGORY.items() for _ in range(n)]
        self.rng.shuffle(categories)
        self.elder_pool = categories
        self.non_elders_used = 0

    # one person ------------------------------------------------------------------------------

    def person(
        self,
        unit_code: str,
        *,
        min_age: int,
        max_age: int,
        gender: str | None = None,
        ethnicity: str | None = None,
        surname: str | None = None,
        party: bool | float = False,
        mobile: bool = False,
        care: str | None = None,  # None: no committee work; "": volunteer; else a category
        youth_school: str | None = None,
        resident: bool = False,
        retired: bool = False,
        phone_share: float = 0.95,
    ) -> int:
        gen = self.gen
        gender = gender or gen.gender()
        ethnicity = ethnicity or gen.ethnicity(unit_code)
        name, family = gen.name(ethnicity, gender, surname)
        born = gen.birth_date(min_age, max_age)
        is_party = party if isinstance(party, bool) else self.rng.random() < party
        party_input = None
        if is_party:
            joined = gen.date_between(
                born + dt.timedelta(days=365 * 19), REFERENCE_DATE - dt.timedelta(days=200)
            )
            party_input = PartyInput(
                joined_on=joined,
                is_mobile=mobile,
                current_location=self.rng.choice(MOBILE_LOCATIONS) if mobile else "",
            )
        care_input = None
        if care is not None:
            care_input = CareInput(
                elder_category=care,
                since=gen.date_between(dt.date(2005, 1, 1), REFERENCE_DATE),
            )
            if not care:
                self.non_elders_used += 1
        data = PersonInput(
            name=name,
            gender=gender,
            ethnicity=ethnicity,
            birth_date=born,
            phone=gen.phone() if min_age >= 18 and self.rng.random() < phone_share else "",
            id_number=gen.id_number(born, gender),
            is_resident=resident,
            is_retired=retired or bool(care),
            party=party_input,
            care=care_input,
            youth=YouthInput(school=youth_school) if youth_school is not None else None,
        )
        self.people.append(PlannedPerson(unit_code, data))
        self.surnames.append(family)
        return len(self.people) - 1

    def elder(self, unit_code: str, *, party: bool | float | None = None) -> int:
        category = self.elder_pool.pop()
        ages = (72, 92) if category == ElderCategory.VETERAN else (60, 84)
        if party is None:
            party = 0.9 if category in {ElderCategory.CADRE, ElderCategory.VETERAN} else 0.35
        return self.person(
            unit_code,
            min_age=ages[0],
            max_age=ages[1],
            party=party,
            care=category,
            retired=True,
            phone_share=0.7,
        )

    def hold(self, person: int, unit_code: str, title: str, represents: str = "") -> None:
        born = self.people[person].data.birth_date or REFERENCE_DATE
        started = self.gen.date_between(
            max(dt.date(2012, 1, 1), born + dt.timedelta(days=365 * 25)),
            REFERENCE_DATE - dt.timedelta(days=30),
        )
        self.positions.append(
            PlannedPosition(person, unit_code, title, represents, started_on=started)
        )

    # one unit's committee -------------------------------------------------------------------

    def staff(self, spec: UnitSpec) -> dict[str, int]:
        code, deviation = spec.code, DEVIATIONS.get(spec.code)
        staff: dict[str, int] = {}
        in_committee = deviation != CHAIR_NOT_SECRETARY
        secretary = self.person(
            code, min_age=35, max_age=56, party=True, care="" if in_committee else None
        )
        staff["secretary"] = secretary
        self.hold(secretary, code, PositionTitle.BRANCH_SECRETARY)
        if in_committee:
            self.hold(secretary, code, PositionTitle.CHAIR)
        else:
            chair = self.person(code, min_age=40, max_age=58, party=0.5, care="")
            self.hold(chair, code, PositionTitle.CHAIR)
        if deviation != NO_VICE_CHAIR:
            if deviation == VICE_CHAIR_NOT_RETIRED:
                vice = self.person(code, min_age=28, max_age=40, party=True, care="")
            else:
                vice = self.elder(code, party=True)
            self.hold(vice, code, PositionTitle.EXEC_VICE_CHAIR)
            self.hold(vice, code, PositionTitle.BRANCH_MEMBER)
        for represents in REPRESENTS[spec.kind]:
            member = self.person(code, min_age=26, max_age=55, party=0.5, care="")
            self.hold(member, code, PositionTitle.MEMBER, represents)
        officers = OFFICERS.get(spec.kind, 0)
        for _ in range(officers):
            officer = self.person(code, min_age=26, max_age=50, party=0.7, care="")
            self.hold(officer, code, PositionTitle.OFFICER)
            staff.setdefault("officer", officer)
        return staff

    def others(self, spec: UnitSpec, schools: dict[str, str]) -> dict[str, int]:
        code = spec.code
        members, residents, youths = OTHERS[spec.kind]
        found: dict[str, int] = {}
        for _ in range(members):
            mobile = spec.kind in MOBILE_KINDS and self.rng.random() < 0.2
            max_age = 50 if mobile else 70  # mobile members are those working away
            self.person(code, min_age=22, max_age=max_age, party=True, mobile=mobile)
        for _ in range(residents):
            index = self.person(code, min_age=20, max_age=78, party=0.08, resident=True)
            found.setdefault("resident", index)
        in_school = spec.kind == UnitKind.SCHOOL
        for _ in range(youths):
            ethnicity = self.gen.ethnicity(code)
            age = self.rng.randint(6, 15)  # still minors for a couple of years after 2026
            parent_gender = self.gen.gender()
            parent = self.person(
                code,
                min_age=age + 22,
                max_age=age + 36,
                gender=parent_gender,
                ethnicity=ethnicity,
                resident=not in_school,
            )
            young = self.person(
                code,
                min_age=age,
                max_age=age,
                ethnicity=ethnicity,
                # A child takes the father's surname (Mongol families often have none).
                surname=self.surnames[parent] if parent_gender == Gender.MALE else None,
                youth_school=spec.name if in_school else schools[code],
                resident=not in_school,
            )
            relation = "父亲" if parent_gender == Gender.MALE else "母亲"
            self.guardianships.append(PlannedGuardianship(young, parent, relation))
            if self.rng.random() < 0.35:
                grandparent_gender = self.gen.gender()
                grandparent = self.person(
                    code,
                    min_age=age + 48,
                    max_age=age + 64,
                    gender=grandparent_gender,
                    ethnicity=ethnicity,
                    resident=not in_school,
                    retired=True,
                    phone_share=0.6,
                )
                relation = "祖父" if grandparent_gender == Gender.MALE else "祖母"
                self.guardianships.append(PlannedGuardianship(young, grandparent, relation))
        return found


def _nearest_school(specs: list[UnitSpec]) -> dict[str, str]:
    """For each village and community: the school its young people attend."""
    by_parent = {s.parent: s.name for s in specs if s.kind == UnitKind.SCHOOL}
    default = next(s.name for s in specs if s.kind == UnitKind.SCHOOL)
    return {
        s.code: by_parent.get(s.parent, default)
        for s in specs
        if s.kind in {UnitKind.VILLAGE, UnitKind.COMMUNITY}
    }


LOGIN_UNITS = {
    "demo-township": "150725100",
    "demo-village": "150725100201",
    "demo-village2": "150725104201",
}


def plan_people(specs: list[UnitSpec] | None = None) -> DemoPlan:
    """Every demo person, position and guardianship, the same on every call."""
    specs = specs or unit_specs()
    planner = _Planner()
    staff = {spec.code: planner.staff(spec) for spec in specs}
    # Volunteers: the rest of the 1,679, spread by weight over the units.
    weights = [VOLUNTEER_WEIGHTS[s.kind] for s in specs]
    elders_left = len(planner.elder_pool)
    non_elders_left = CARE_WORKERS - FIVE_ELDERS - planner.non_elders_used
    if non_elders_left < 0:
        raise ValueError(f"The committees' officers alone exceed {CARE_WORKERS} care workers.")
    first_elder: dict[str, int] = {}
    for spec, n_elders, n_others in zip(
        specs, _apportion(elders_left, weights), _apportion(non_elders_left, weights), strict=True
    ):
        for _ in range(n_elders):
            index = planner.elder(spec.code)
            first_elder.setdefault(spec.code, index)
        for _ in range(n_others):
            planner.person(spec.code, min_age=24, max_age=62, party=0.4, care="")
    schools = _nearest_school(specs)
    other = {spec.code: planner.others(spec, schools) for spec in specs}
    village = LOGIN_UNITS["demo-village"]
    logins = {
        "demo-banner": staff[BANNER_CODE]["officer"],
        **{user: staff[code]["secretary"] for user, code in LOGIN_UNITS.items()},
        "demo-elder": first_elder[village],
        "demo-resident": other[village]["resident"],
    }
    return DemoPlan(planner.people, planner.positions, planner.guardianships, logins)


# --- Writing it ------------------------------------------------------------------------------


class DemoRefusedError(RuntimeError):
    """The demo is never loaded into a production database."""


@dataclasses.dataclass
class DemoLogin:
    username: str
    role: str
    unit: str


@dataclasses.dataclass
class DemoResult:
    banner: Unit
    units_created: int
    people_created: int
    users_created: int
    passwords_changed: int
    password: str
    logins: list[DemoLogin]


def demo_password() -> str:
    return os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD


def _ensure_units(specs: list[UnitSpec]) -> tuple[dict[str, Unit], int]:
    existing = {u.code: u for u in Unit.objects.filter(code__in=[s.code for s in specs])}
    created = 0
    for spec in specs:
        if spec.code in existing:
            continue
        parent = None if spec.parent is None else Unit.objects.get(code=spec.parent)
        existing[spec.code] = unit_create(
            acting_user=None,
            parent=parent,
            code=spec.code,
            kind=spec.kind,
            name=spec.name,
            name_mn=spec.name_mn,
        )
        created += 1
    # Units found rather than made still get their two bodies, as unit_create would give them.
    units = list(existing.values())
    has_branch = set(Branch.objects.filter(unit__in=units).values_list("unit_id", flat=True))
    has_committee = set(
        CareCommittee.objects.filter(unit__in=units).values_list("unit_id", flat=True)
    )
    for unit in units:
        branch_name, committee_name = default_body_names(unit.name)
        if unit.pk not in has_branch:
            Branch.objects.create(unit=unit, name=branch_name)
        if unit.pk not in has_committee:
            CareCommittee.objects.create(unit=unit, name=committee_name)
    # Paths may have shifted while siblings were inserted: read them back.
    return {u.code: u for u in Unit.objects.filter(code__in=[s.code for s in specs])}, created


def _chunks(values: list[str], size: int = 900) -> Iterable[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing_people(ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(ids):
        found.update(Person.objects.filter(id_number__in=chunk).values_list("id_number", "pk"))
    return found


def _ensure_people(plan: DemoPlan, units: dict[str, Unit]) -> tuple[dict[int, int], int]:
    """Create the planned people that are missing (by ID number), with their roles.

    Returns ``{plan index: person pk}`` for every planned person, and how many were new.
    """
    ids = [p.data.id_number for p in plan.people]
    found = _existing_people(ids)
    new_people: list[tuple[int, Person]] = []
    for index, planned in enumerate(plan.people):
        data = planned.data
        if data.id_number in found:
            continue
        unit = units[planned.unit_code]
        name = clean_name(data.name)
        new_people.append(
            (
                index,
                Person(
                    unit=unit,
                    unit_path=unit.path,
                    name=name,
                    name_pinyin=name_pinyin(name),
                    name_initials=name_initials(name),
                    gender=data.gender,
                    ethnicity=data.ethnicity,
                    birth_date=data.birth_date,
                    phone=data.phone,
                    id_number=data.id_number,
                    is_resident=data.is_resident,
                    is_retired=data.is_retired or bool(data.care and data.care.elder_category),
                    note=data.note,
                ),
            )
        )
    Person.objects.bulk_create([p for _i, p in new_people], batch_size=500)
    pks = {plan.people[i].data.id_number: p.pk for i, p in new_people}
    pks.update(found)
    by_index = {i: pks[p.data.id_number] for i, p in enumerate(plan.people)}
    new_indexes = {i for i, _p in new_people}

    parties, cares, youths = [], [], []
    for index, person in new_people:
        data, unit = plan.people[index].data, person.unit
        if data.party is not None:
            parties.append(
                PartyMembership(
                    person=person, unit=unit, unit_path=unit.path, **dataclasses.asdict(data.party)
                )
            )
        if data.care is not None:
            cares.append(
                CareWorker(
                    person=person, unit=unit, unit_path=unit.path, **dataclasses.asdict(data.care)
                )
            )
        if data.youth is not None:
            youths.append(
                YoungPerson(
                    person=person, unit=unit, unit_path=unit.path, **dataclasses.asdict(data.youth)
                )
            )
    PartyMembership.objects.bulk_create(parties, batch_size=500)
    CareWorker.objects.bulk_create(cares, batch_size=500)
    care_tally_refresh(unit_ids={care.unit_id for care in cares})
    YoungPerson.objects.bulk_create(youths, batch_size=500)

    Position.objects.bulk_create(
        [
            Position(
                unit=units[p.unit_code],
                person_id=by_index[p.person],
                title=p.title,
                represents=p.represents,
                access=p.access or DEFAULT_ACCESS.get(PositionTitle(p.title), Access.NONE),
                started_on=p.started_on,
            )
            for p in plan.positions
            if p.person in new_indexes
        ],
        batch_size=500,
    )
    pairs = [g for g in plan.guardianships if g.young in new_indexes or g.guardian in new_indexes]
    if pairs:
        young_ids = dict(
            YoungPerson.objects.filter(
                person_id__in=[by_index[g.young] for g in pairs]
            ).values_list("person_id", "pk")
        )
        existing_pairs = set(
            Guardianship.objects.filter(young_id__in=young_ids.values()).values_list(
                "young_id", "guardian_id"
            )
        )
        Guardianship.objects.bulk_create(
            [
                Guardianship(
                    young_id=young_ids[by_index[g.young]],
                    guardian_id=by_index[g.guardian],
                    relation=g.relation,
                )
                for g in pairs
                if by_index[g.young] in young_ids
                and (young_ids[by_index[g.young]], by_index[g.guardian]) not in existing_pairs
            ],
            batch_size=500,
        )
    return by_index, len(new_people)


LOGIN_ROLES = {
    "demo-admin": "platform admin (superuser)",
    "demo-banner": "banner care-committee office officer",
    "demo-township": "township branch secretary and committee chair",
    "demo-village": "village branch secretary and committee chair",
    "demo-village2": "village branch secretary and committee chair (another township)",
    "demo-elder": "five elder, care-work volunteer, no management position",
    "demo-resident": "resident",
}


class _SharedPassword:
    """One password hash for all demo logins: hashing is slow on purpose (PBKDF2), and the
    logins share the password anyway, so it is hashed (or verified) once per run."""

    def __init__(self, password: str) -> None:
        self.password = password
        self.encoded: str | None = None
        self.changed = 0

    def hash(self) -> str:
        if self.encoded is None:
            self.encoded = make_password(self.password)
        return self.encoded

    def keep(self, user: Any) -> None:
        """Leave the user alone unless the demo password changed since it was set."""
        if user.password == self.encoded:
            return
        if self.encoded is None and user.check_password(self.password):
            self.encoded = user.password
            return
        user.password = self.hash()
        user.save(update_fields=["password"])
        self.changed += 1


def _ensure_logins(
    plan: DemoPlan, by_index: dict[int, int], password: str
) -> tuple[list[DemoLogin], int, int]:
    user_model = get_user_model()
    shared = _SharedPassword(password)
    existing = {u.username: u for u in user_model.objects.filter(username__in=LOGIN_ROLES)}
    created = 0

    def user_for(username: str, **extra: Any) -> Any:
        nonlocal created
        user = existing.get(username)
        if user is None:
            user = user_model(username=username, password=shared.hash(), **extra)
            user.save()
            created += 1
        else:
            shared.keep(user)
        return user

    logins = [DemoLogin("demo-admin", LOGIN_ROLES["demo-admin"], "all units")]
    user_for("demo-admin", is_staff=True, is_superuser=True)
    people = Person.objects.select_related("unit").in_bulk(list(by_index.values()))
    for username, index in plan.logins.items():
        person = people[by_index[index]]
        user = user_for(username)
        if person.user_id is None and not Person.objects.filter(user=user).exists():
            person.user = user
            person.save(update_fields=["user"])
        logins.append(DemoLogin(username, LOGIN_ROLES[username], person.unit.name))
    return logins, created, shared.changed


def build_demo(*, password: str | None = None) -> DemoResult:
    """Create whatever of the demo banner is missing; a second run changes nothing."""
    if settings.NUTAG_IS_PRODUCTION:
        raise DemoRefusedError(
            "Refusing to load the demo: NUTAG_IS_PRODUCTION is true. The demo adds "
            "synthetic people and logins with a published password; load it only into a "
            "demo or development database."
        )
    password = password or demo_password()
    specs = unit_specs()
    plan = plan_people(specs)
    with transaction.atomic():
        units, units_created = _ensure_units(specs)
        by_index, people_created = _ensure_people(plan, units)
        logins, users_created, passwords_changed = _ensure_logins(plan, by_index, password)
    return DemoResult(
        banner=units[BANNER_CODE],
        units_created=units_created,
        people_created=people_created,
        users_created=users_created,
        passwords_changed=passwords_changed,
        password=password,
        logins=logins,
    )
