"""The demo's units: their names and codes, and the order they are created in."""

from __future__ import annotations

import dataclasses
import random

from nutag.orgs.models import UnitKind

from .data import BANNER_CODE, SEED


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
