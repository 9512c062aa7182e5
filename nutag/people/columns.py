"""The roster spreadsheet's columns, shared by the importer and the exporter.

Spreadsheets use **Chinese headers whatever the UI language**: officers pass rosters
around between offices and to the banner, and a file must read the same on every desk.
The importer also accepts the few aliases below (English ones among them) and the
traditional-character spellings of every header; the exporter always writes the
canonical Chinese header, so an exported file imports again unchanged.

Each header is also marked for translation (``COLUMN_LABELS``) so the workbench can name
a column in the user's language; its zh-hans translation is the Chinese header.
"""

from __future__ import annotations

import functools
import re

from django.utils.translation import gettext_lazy as _

from nutag.core.text import to_halfwidth, to_simplified

# (key, Chinese header), in the order the exporter writes them.
COLUMNS: list[tuple[str, str]] = [
    ("name", "姓名"),
    ("unit", "单位"),
    ("unit_code", "单位代码"),
    ("gender", "性别"),
    ("ethnicity", "民族"),
    ("birth_date", "出生日期"),
    ("phone", "联系电话"),
    ("id_number", "身份证号"),
    ("party", "党员"),
    ("joined_on", "入党时间"),
    ("is_mobile", "流动党员"),
    ("current_location", "现在何处"),
    ("care", "关工委工作人员"),
    ("elder_category", "五老类别"),
    ("youth", "青少年"),
    ("school", "学校"),
    ("is_resident", "居民"),
    ("is_retired", "退休"),
    ("note", "备注"),
]

HEADER: dict[str, str] = dict(COLUMNS)
# The column the copy of an imported file gets on its refused rows; ignored on reading.
PROBLEM_HEADER = "问题"
REQUIRED = {"name"}

# Labels for the workbench (zh-hans translation = the Chinese header above).
COLUMN_LABELS = {
    "name": _("Name"),
    "unit": _("Unit"),
    "unit_code": _("Unit code"),
    "gender": _("Gender"),
    "ethnicity": _("Ethnic group"),
    "birth_date": _("Birth date"),
    "phone": _("Phone"),
    "id_number": _("ID number"),
    "party": _("Party member"),
    "joined_on": _("Joined the Party on"),
    "is_mobile": _("Mobile Party member"),
    "current_location": _("Where now"),
    "care": _("Care-committee worker or volunteer"),
    "elder_category": _("Five-elder category"),
    "youth": _("Young person"),
    "school": _("School"),
    "is_resident": _("Resident"),
    "is_retired": _("Retired"),
    "note": _("Note"),
}

# Other header spellings officers use, and a few English ones.
ALIASES: dict[str, list[str]] = {
    "name": ["名字", "人员姓名", "name", "full name"],
    "unit": ["所在单位", "单位名称", "工作单位", "所属单位", "unit"],
    "unit_code": ["unit code"],
    "gender": ["sex", "gender"],
    "ethnicity": ["民族类别", "ethnicity", "ethnic group", "nationality"],
    "birth_date": ["出生年月", "出生年月日", "生日", "birth date", "date of birth", "birthday"],
    "phone": ["手机", "手机号", "手机号码", "电话", "联系方式", "电话号码", "phone", "mobile"],
    "id_number": ["身份证", "身份证号码", "公民身份号码", "id number", "id"],
    "party": ["是否党员", "中共党员", "政治面貌", "party member"],
    "joined_on": ["入党日期", "入党年月", "joined the party"],
    "is_mobile": ["是否流动党员", "mobile member"],
    "current_location": ["现在何处工作", "现工作地", "现居住地", "where now"],
    "care": [
        "志愿者",
        "关工委志愿者",
        "关工委工作人员/志愿者",
        "关工委工作人员或志愿者",
        "care worker",
        "volunteer",
    ],
    "elder_category": ["五老", "五老身份", "five elder", "elder category"],
    "youth": ["是否青少年", "young person", "youth"],
    "school": ["就读学校", "所在学校", "school"],
    "is_resident": ["是否居民", "resident"],
    "is_retired": ["是否退休", "离退休", "retired"],
    "note": ["备注信息", "说明", "note", "notes", "remark", "remarks"],
}

# Service field name → column key, to put a service's ValidationError under its column.
FIELD_COLUMN: dict[str, str] = {
    "name": "name",
    "unit": "unit",
    "gender": "gender",
    "ethnicity": "ethnicity",
    "birth_date": "birth_date",
    "phone": "phone",
    "id_number": "id_number",
    "is_resident": "is_resident",
    "is_retired": "is_retired",
    "note": "note",
    "joined_on": "joined_on",
    "is_mobile": "is_mobile",
    "current_location": "current_location",
    "elder_category": "elder_category",
    "since": "care",
    "school": "school",
}

_DECORATION = re.compile(r"[\s*＊:：]|[(（]?(必填|选填|可选)[)）]?")


def header_token(text: str) -> str:
    """A header cell reduced for comparison: half-width, simplified, no spaces or marks."""
    return _DECORATION.sub("", to_simplified(to_halfwidth(text))).lower()


@functools.lru_cache(maxsize=1)
def _header_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for key, header in COLUMNS:
        keys[header_token(header)] = key
    for key, aliases in ALIASES.items():
        for alias in aliases:
            keys.setdefault(header_token(alias), key)
    return keys


def column_key(header: str) -> str | None:
    """The column key for a header cell, or None if it names no known column."""
    token = header_token(header)
    return _header_keys().get(token) if token else None


# Cell values, as the exporter writes them and the importer reads them.
YES = "是"
NO = "否"
TRUE_WORDS = {"是", "是的", "对", "有", "y", "yes", "true", "t", "1", "√", "✓", "✔"}
FALSE_WORDS = {"否", "不是", "非", "无", "没有", "n", "no", "false", "f", "0", "×", "✗"}

GENDER_TEXT = {"m": "男", "f": "女"}
GENDER_WORDS = {
    "男": "m", "男性": "m", "m": "m", "male": "m",
    "女": "f", "女性": "f", "f": "f", "female": "f",
}  # fmt: skip

ELDER_TEXT = {
    "cadre": "老干部",
    "veteran": "老战士",
    "expert": "老专家",
    "teacher": "老教师",
    "model_worker": "老模范",
}
ELDER_WORDS = {
    **{zh: code for code, zh in ELDER_TEXT.items()},
    **{zh[1:]: code for code, zh in ELDER_TEXT.items()},
    "cadre": "cadre", "retired cadre": "cadre", "veteran": "veteran", "expert": "expert",
    "teacher": "teacher", "model worker": "model_worker", "model_worker": "model_worker",
}  # fmt: skip
# Written in the five-elder column to say "not one of the five elders".
ELDER_NONE_WORDS = {"无", "否", "不是", "-", "—", "/", "none", "no"}
