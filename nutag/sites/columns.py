"""The seed's default column set. A unit secretary can enable, rename and reorder them."""

from __future__ import annotations

import dataclasses

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclasses.dataclass(frozen=True)
class DefaultColumn:
    key: str
    title: str | Promise
    parent: str = ""


# key, title; children name their parent. Later issues fill some columns with their own
# content (study, voice, products); until then a column shows articles.
DEFAULT_COLUMNS: list[DefaultColumn] = [
    DefaultColumn("party_home", _("Party Building Home")),  # 党建之家
    DefaultColumn("thematic_education", _("Thematic education"), "party_home"),  # 主题教育
    DefaultColumn("online_study", _("Branch online study"), "party_home"),  # 支部在线学习
    DefaultColumn(
        "micro_branch", _("Mobile members' micro-branch"), "party_home"
    ),  # 流动党员微支部
    DefaultColumn("next_generation", _("Care for the next generation"), "party_home"),  # 关心下一代
    DefaultColumn("public_affairs", _("Party and village affairs")),  # 党务公开 / 村务公开
    DefaultColumn("governance", _("Social governance")),  # 社会治理
    DefaultColumn("revitalisation", _("Rural revitalisation")),  # 乡村振兴（精准扶贫）
    DefaultColumn("news", _("News")),  # 信息资讯
    DefaultColumn("mutual_aid", _("Mutual aid")),  # 社群互助
    DefaultColumn("interaction", _("Interaction")),  # 互动交流
    DefaultColumn("tourism", _("Tourism")),  # 旅游推介
    DefaultColumn("products", _("Local products")),  # 特产
]
DEFAULT_KEYS = {c.key for c in DEFAULT_COLUMNS}
