"""Writes roster.xls, the legacy-Excel fixture of test_importing.py.

xlwt is not a dependency of the project: run this once with a throwaway environment
(``python -m venv /tmp/x && /tmp/x/bin/pip install xlwt && /tmp/x/bin/python make_roster_xls.py``)
and commit the file it writes.
"""

import datetime as dt
from pathlib import Path

import xlwt

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17: str) -> str:
    return (
        first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]
    )


def main() -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册")
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    sheet.write_merge(0, 0, 0, 5, "第一镇关工委人员花名册")
    for c, header in enumerate(["姓名", "单位", "性别", "出生日期", "身份证号", "党员"]):
        sheet.write(1, c, header)
    rows = [
        ["巴特尔", "一甲嘎查", "男", dt.date(1958, 3, 9), id_number("15079919580309001"), "是"],
        ["陳其木格", "150799100202", "女", "1962年7月15日", "", "否"],
        [],
        ["错号", "一甲嘎查", "男", "", id_number("15079919700101001")[:-1] + "0", ""],
    ]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write(r, c, value, dates)
            else:
                sheet.write(r, c, value)
    book.save(str(Path(__file__).with_name("roster.xls")))


if __name__ == "__main__":
    main()
