from hypothesis import given
from hypothesis import strategies as st

from nutag.core.masking import mask_id_number, mask_phone
from nutag.core.text import clean_name, clean_phone, name_initials, name_pinyin, to_halfwidth
from nutag.people.ethnicity import ETHNICITY_ZH, ethnicity_from_text


def test_halfwidth_and_simplified():
    assert to_halfwidth("１２３ＡＢ") == "123AB"
    assert clean_name("  陳巴爾虎旗\u3000 ") == "陈巴尔虎旗"


def test_pinyin_sort_and_initials():
    assert name_pinyin("张三") == "zhang san"
    assert name_initials("巴特尔") == "bte"
    names = ["张三", "阿木", "巴特尔"]
    assert sorted(names, key=name_pinyin) == ["阿木", "巴特尔", "张三"]


def test_phone_cleaning():
    assert clean_phone("+86 138-0000-1234") == "13800001234"
    assert clean_phone("００８６１３８００００１２３４") == "13800001234"


def test_ethnicity_lookup_covers_56():
    assert len(ETHNICITY_ZH) == 56
    assert ethnicity_from_text("蒙古族") == "02"
    assert ethnicity_from_text("蒙古") == "02"
    assert ethnicity_from_text("鄂温克族") == "45"
    assert ethnicity_from_text("2") == "02"
    assert ethnicity_from_text("Ewenki") == "45"
    assert ethnicity_from_text("火星族") is None


@given(st.text(alphabet="0123456789", min_size=8, max_size=18))
def test_masks_never_reveal_the_middle(value):
    masked = mask_phone(value)
    assert len(masked) == len(value)
    assert masked[3:-4] == "*" * len(masked[3:-4])
    masked_id = mask_id_number(value)
    assert masked_id[6:-2] == "*" * len(masked_id[6:-2])
