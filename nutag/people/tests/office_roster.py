"""A township's five-elders roster as a real office keeps it (issue 11).

A merged title row, a line under it, a header with a row-number column and columns the
importer does not know (籍贯, 微信号, 备注2), blank rows, partial dates in six styles,
abbreviations (蒙, 汉, 达, 回, 鄂, M, √, 中共党员, 群众), traditional characters, full-width
digits, names padded with spaces, one row with three problems and a later row repeating
it. The same rows are written as .xlsx and GBK .csv by the test, and as .xls by
``files/make_office_roster_xls.py`` (committed as files/office_roster.xls).

Plain data only: imported both by the test and by the generator script.
"""

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(birth: str, seq: str) -> str:
    first17 = f"150725{birth}{seq}"
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


TITLE = "第一镇五老人员花名册"
SUBTITLE = "填报单位：第一镇关工委        填表日期：2024年5月"
HEADER = [
    "序号", "姓名", "单位", "性别", "民族", "出生年月", "身份证号", "政治面貌", "入党时间",
    "五老类别", "联系电话", "籍贯", "微信号", "备注2",
]  # fmt: skip

WANG_ID = id_number("19500317", "011")

# (row number in the sheet, cells); None is a blank row.
ROWS: list[tuple[int, list[str] | None]] = [
    (4, None),
    (5, ["1", "王宝山", "一甲嘎查", "男", "蒙", "1950.03", WANG_ID, "中共党员", "1975年7月",
         "老干部", "13912340001", "呼伦贝尔", "wbs1950", ""]),
    (6, ["2", "乌云 其木格", "一乙嘎查", "女", "蒙古", "1958年6月", "", "群众", "",
         "老教师", "", "陈巴尔虎旗", "", "退休前在\n旗一中"]),
    (7, ["3", "张  三", "一甲嘎查", "M", "汉", "1962-1", "", "党员", "1986",
         "老战士", "", "", "", ""]),
    (8, None),
    (9, ["4", "巴特尔", "一甲嘎查", "男", "达", "195505", "", "√", "1980/07",
         "老模范", "", "", "", ""]),
    (10, ["5", "李 秀 英", "一乙嘎查", "女", "回", "1948", "", "群众", "",
          "老专家", "", "", "", ""]),
    # Three problems at once: the birth month against the ID number, the phone, the category.
    (11, ["6", "王宝林", "一甲嘎查", "男", "鄂", "1950.05", id_number("19500308", "031"),
          "", "", "老神仙", "12345", "", "", ""]),
    # Repeats row 11 (the same ID number), which is itself refused.
    (12, ["7", "王宝林", "一甲嘎查", "男", "鄂", "1950.03", id_number("19500308", "031"),
          "", "", "老干部", "", "", "", ""]),
    (13, ["8", "敖登", "一甲嘎查", "女", "達斡爾族", "1960年5月1日", "", "Y", "",
          "", "１３９１２３４０００８", "", "", ""]),
    (14, ["9", "萨仁", "一乙嘎查", "F", "蒙", "1955-13", "", "群众", "",
          "老教师", "", "", "", ""]),
    (15, None),
]  # fmt: skip

GOOD = ["王宝山", "乌云其木格", "张三", "巴特尔", "李秀英", "敖登"]
# Row → the columns of its problems (every one of them, in one pass).
REFUSED = {
    11: {"出生年月", "联系电话", "五老类别"},
    12: {"身份证号"},
    14: {"出生年月"},
}


def sheet_rows() -> list[list[str]]:
    """Every row of the sheet, the title first (row 1), blank rows as empty lists."""
    out: list[list[str]] = [[TITLE], [SUBTITLE], HEADER]
    for _number, cells in ROWS:
        out.append(list(cells) if cells else [])
    return out
