"""The standards shipped as editable defaults: 五好 (five-good), 四纳入 (four inclusions) and
四到位 (four in place), as data. ``standards_install_defaults`` copies them into a unit's own
standards; from then on they are the unit's to change.

Item titles and guidance are data in Chinese, as the seed writes them; the code names them in
English.
"""

from __future__ import annotations

import dataclasses

from nutag.assess.models import AutoSource, EvidenceKind, StandardKind

T, P, F, L = EvidenceKind.TEXT, EvidenceKind.PHOTO, EvidenceKind.FILE, EvidenceKind.LINK


@dataclasses.dataclass(frozen=True)
class DefaultItem:
    title: str
    guidance: str
    evidence: str
    accepts: tuple[str, ...]
    points: int
    auto_source: str = AutoSource.NONE
    auto_target: int = 1
    title_mn: str = ""  # traditional Mongolian script (terms: docs/mongolian.md)


@dataclasses.dataclass(frozen=True)
class DefaultStandard:
    kind: str
    name: str
    description: str
    pass_mark: int
    items: tuple[DefaultItem, ...]
    name_mn: str = ""


GOOD_LEADERSHIP_TEAM = DefaultItem(
    title="领导班子好",
    title_mn="ᠤᠳᠢᠷᠳᠠᠬᠤ ᠪᠦᠷᠢᠯᠳᠦᠬᠦᠨ ᠰᠠᠶᠢᠨ",
    guidance=(
        "关工委主任由党支部书记担任，常务副主任由离退休党员担任并进入支部委员会，"
        "班子成员配备齐全、分工明确、团结协作。"
    ),
    evidence="班子成员名单、任职文件或会议记录",
    accepts=(T, F, L),
    points=20,
    auto_source=AutoSource.POSITIONS,
    auto_target=4,
)
FIVE_ELDERS_ROLE = DefaultItem(
    title="五老作用发挥好",
    title_mn="ᠲᠠᠪᠤᠨ ᠥᠲᠡᠭᠦᠰ ᠦᠨ ᠦᠢᠯᠡᠳᠡᠯ ᠰᠠᠶᠢᠨ",
    guidance="五老积极参与关心下一代工作：结对帮扶青少年，开展宣讲、帮教、助学等活动。",
    evidence="五老名单、结对帮扶记录、活动照片",
    accepts=(T, P, L),
    points=20,
    auto_source=AutoSource.FIVE_ELDERS,
    auto_target=5,
)
RULES_FOLLOWED = DefaultItem(
    title="制度健全落实好",
    title_mn="ᠳᠦᠷᠢᠮ ᠵᠤᠷᠤᠮ ᠪᠦᠷᠢᠨ ᠬᠡᠷᠡᠭᠯᠡᠭᠰᠡᠨ ᠰᠠᠶᠢᠨ",
    guidance="有工作职责、例会、学习、档案管理等制度，并认真落实，记录齐全。",
    evidence="制度文本、会议和学习记录",
    accepts=(T, F),
    points=20,
)
ACTIVE_INNOVATION = DefaultItem(
    title="工作创新好",
    title_mn="ᠠᠵᠢᠯ ᠤᠨ ᠰᠢᠨᠡ ᠰᠠᠨᠠᠠᠴᠢᠯᠭ᠎ᠠ ᠰᠠᠶᠢᠨ",
    guidance="结合本地实际开展有特色的工作，形成品牌或经验，有推广价值。",
    evidence="特色工作材料、经验介绍、媒体报道",
    accepts=(T, P, F, L),
    points=20,
)
REGULAR_ACTIVITIES = DefaultItem(
    title="活动经常效果好",
    title_mn="ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭᠠᠨ ᠪᠠᠢᠩᠭᠠ ᠦᠷ᠎ᠡ ᠳᠦᠨ ᠰᠠᠶᠢᠨ",
    guidance="经常开展思想道德教育、关爱帮扶、文体等活动，青少年和群众满意。",
    evidence="活动记录、照片、本单位网站上的活动报道",
    accepts=(T, P, L),
    points=20,
    auto_source=AutoSource.ARTICLES,
    auto_target=6,
)

FIVE_GOOD = DefaultStandard(
    kind=StandardKind.FIVE_GOOD,
    name="五好关工委",
    name_mn="ᠲᠠᠪᠤᠨ ᠰᠠᠶᠢᠨ ᠵᠥᠪᠯᠡᠯ",
    description="领导班子好、五老作用发挥好、制度健全落实好、工作创新好、活动经常效果好。",
    pass_mark=80,
    items=(
        GOOD_LEADERSHIP_TEAM,
        FIVE_ELDERS_ROLE,
        RULES_FOLLOWED,
        ACTIVE_INNOVATION,
        REGULAR_ACTIVITIES,
    ),
)
FOUR_INCLUSIONS = DefaultStandard(
    kind=StandardKind.FOUR_INCLUSIONS,
    name="四纳入",
    name_mn="ᠳᠥᠷᠪᠡᠨ ᠣᠷᠤᠭᠤᠯᠤᠯ",
    description=(
        "关心下一代工作纳入党委政府工作议事日程、纳入党建目标考核、纳入精神文明建设、"
        "纳入新农村建设规划。"
    ),
    pass_mark=75,
    items=(
        DefaultItem(
            title="纳入党委政府工作议事日程",
            title_mn="ᠨᠠᠮ ᠤᠨ ᠬᠣᠷᠢᠶ᠎ᠠ ᠵᠠᠰᠠᠭ ᠤᠨ ᠭᠠᠵᠠᠷ ᠤᠨ ᠠᠵᠢᠯ ᠤᠨ ᠬᠡᠯᠡᠯᠴᠡᠬᠦ ᠬᠡᠷᠡᠭ ᠲᠦ ᠣᠷᠤᠭᠤᠯᠬᠤ",
            guidance="党委（党支部）、政府每年专题研究关心下一代工作，解决实际问题。",
            evidence="会议记录、纪要或文件",
            accepts=(T, F),
            points=25,
        ),
        DefaultItem(
            title="纳入党建目标考核",
            title_mn="ᠨᠠᠮ ᠤᠨ ᠪᠠᠶᠢᠭᠤᠤᠯᠠᠯᠲᠠ ᠶᠢᠨ ᠵᠣᠷᠢᠯᠭᠠᠨ ᠤ ᠦᠨᠡᠯᠡᠯ ᠳᠦ ᠣᠷᠤᠭᠤᠯᠬᠤ",
            guidance="党建工作目标考核方案中有关心下一代工作的内容和分值。",
            evidence="考核方案、考核结果",
            accepts=(T, F),
            points=25,
        ),
        DefaultItem(
            title="纳入精神文明建设",
            title_mn="ᠣᠶᠤᠨ ᠰᠠᠨᠠᠠᠨ ᠤ ᠰᠣᠶᠣᠯ ᠪᠠᠶᠢᠭᠤᠤᠯᠠᠯᠲᠠ ᠳᠤ ᠣᠷᠤᠭᠤᠯᠬᠤ",
            guidance="关心下一代工作列入精神文明建设和文明创建的内容。",
            evidence="文明创建方案、相关文件或照片",
            accepts=(T, P, F),
            points=25,
        ),
        DefaultItem(
            title="纳入新农村建设规划",
            title_mn="ᠰᠢᠨᠡ ᠬᠥᠳᠡᠭᠡ ᠪᠠᠶᠢᠭᠤᠤᠯᠬᠤ ᠲᠥᠯᠥᠪᠢᠯᠡᠭᠡᠨ ᠳᠦ ᠣᠷᠤᠭᠤᠯᠬᠤ",
            guidance="乡村振兴（新农村建设）规划中有青少年教育、关爱的内容和措施。",
            evidence="规划文本中的相关内容",
            accepts=(T, F),
            points=25,
        ),
    ),
)
FOUR_IN_PLACE = DefaultStandard(
    kind=StandardKind.FOUR_IN_PLACE,
    name="四到位",
    name_mn="ᠳᠥᠷᠪᠡᠨ ᠬᠠᠩᠭᠠᠯᠲᠠ",
    description="人员到位、场所设施到位、工作制度到位、经费到位。",
    pass_mark=75,
    items=(
        DefaultItem(
            title="人员到位",
            title_mn="ᠬᠦᠮᠦᠰ ᠢ ᠬᠠᠩᠭᠠᠬᠤ",
            guidance="关工委主任、常务副主任和工作人员配备齐全，有五老和志愿者参加工作。",
            evidence="工作人员名单",
            accepts=(T, F, L),
            points=25,
            auto_source=AutoSource.CARE_WORKERS,
            auto_target=5,
        ),
        DefaultItem(
            title="场所设施到位",
            title_mn="ᠠᠵᠢᠯ ᠤᠨ ᠭᠠᠵᠠᠷ ᠲᠥᠭᠦᠷᠡᠩ ᠢ ᠬᠠᠩᠭᠠᠬᠤ",
            guidance="有固定的办公和活动场所，有必要的桌椅、资料柜、宣传栏等设施。",
            evidence="场所和设施的照片",
            accepts=(T, P),
            points=25,
        ),
        DefaultItem(
            title="工作制度到位",
            title_mn="ᠠᠵᠢᠯ ᠤᠨ ᠳᠦᠷᠢᠮ ᠵᠤᠷᠤᠮ ᠢ ᠬᠠᠩᠭᠠᠬᠤ",
            guidance="工作制度上墙，年初有计划、年终有总结。",
            evidence="制度、年度计划和总结",
            accepts=(T, F, P),
            points=25,
        ),
        DefaultItem(
            title="经费到位",
            title_mn="ᠠᠵᠢᠯ ᠤᠨ ᠵᠠᠷᠳᠠᠯ ᠢ ᠬᠠᠩᠭᠠᠬᠤ",
            guidance="有稳定的工作经费来源，经费使用有记录。",
            evidence="经费预算或拨款文件、使用记录",
            accepts=(T, F),
            points=25,
        ),
    ),
)
DEFAULT_STANDARDS: tuple[DefaultStandard, ...] = (FIVE_GOOD, FOUR_INCLUSIONS, FOUR_IN_PLACE)
