"""Names and dates in the reader's language (``nutag.core.templatetags.local_names``)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from nutag.core.templatetags.local_names import local_name_of, reader_date_of


def test_local_name_prefers_the_mongolian_name_only_for_mongolian_readers():
    unit = SimpleNamespace(name="一甲嘎查", name_mn="ᠨᠢᠭᠡ")
    column = SimpleNamespace(title="信息资讯", title_mn="")
    with translation.override("mn-mong"):
        assert local_name_of(unit) == "ᠨᠢᠭᠡ"
        assert local_name_of(column) == "信息资讯"  # no Mongolian version: the Chinese one
        assert local_name_of(None) == ""
    for lang in ("zh-hans", "zh-hant", "en"):
        with translation.override(lang):
            assert local_name_of(unit) == "一甲嘎查"


@pytest.mark.parametrize(
    ("lang", "this_year", "other_year"),
    [
        ("zh-hans", "12月5日", "{year}年12月5日"),
        ("zh-hant", "12月5日", "{year}年12月5日"),
        ("en", "Dec 5", "Dec 5, {year}"),
        ("mn-mong", "12 ᠰᠠᠷ᠎ᠠ\u202fᠶᠢᠨ 5", "{year} ᠣᠨ\u202fᠤ 12 ᠰᠠᠷ᠎ᠠ\u202fᠶᠢᠨ 5"),
    ],
)
def test_dates_read_as_the_reader_writes_them(lang, this_year, other_year):
    year = timezone.localdate().year
    with translation.override(lang):
        assert reader_date_of(dt.date(year, 12, 5)) == this_year
        assert reader_date_of(dt.date(year - 1, 12, 5)) == other_year.format(year=year - 1)
        assert reader_date_of(None) == ""


def test_an_aware_time_is_dated_in_the_local_time_zone():
    # 2025-12-04 20:00 UTC is already the 5th in Asia/Shanghai
    moment = dt.datetime(2025, 12, 4, 20, 0, tzinfo=dt.UTC)
    with translation.override("zh-hans"):
        assert reader_date_of(moment).endswith("12月5日")


def test_kept_day_texts_follow_the_language_the_year_and_the_catalogues(settings):
    """The written days are kept per day, language and whether the day is this year."""
    from unittest import mock

    from nutag.core.templatetags import local_names

    day = dt.date(timezone.localdate().year, 12, 5)
    with translation.override("zh-hans"):
        assert reader_date_of(day) == "12月5日"
    with translation.override("en"):
        assert reader_date_of(day) == "Dec 5"  # another language: not the kept Chinese text
    next_year = dt.date(day.year + 1, 1, 2)
    with (
        mock.patch.object(local_names.timezone, "localdate", return_value=next_year),
        translation.override("zh-hans"),
    ):
        assert reader_date_of(day) == f"{day.year}年12月5日"  # no longer this year
    assert local_names._day_text.cache_info().currsize > 0
    settings.LANGUAGES = [*settings.LANGUAGES]  # a test swapping languages or catalogues
    assert local_names._day_text.cache_info().currsize == 0
