"""The demo's official account: 乌兰哈达嘎查 (150725100201, the first village of 巴彦库仁镇,
demo-village's unit) has a test account in plain-text mode with the server token
``nutag-demo-token`` and no real app secret, so a developer can drive ``/wechat/150725100201/``
with signed messages from a script (``scripts/wechat_send.py``, ``docs/wechat.md``).

Idempotent: an existing account is left as it is.
"""

from __future__ import annotations

from nutag.core.actors import SYSTEM
from nutag.orgs.models import Unit
from nutag.wechat.models import DEFAULT_KEYWORDS, WechatAccount
from nutag.wechat.services import account_configure

from .plan import LOGIN_UNITS

DEMO_UNIT = LOGIN_UNITS["demo-village"]  # 乌兰哈达嘎查
DEMO_TOKEN = "nutag-demo-token"  # noqa: S105 (published on purpose: the demo's test account)
DEMO_APP_ID = "wxnutagdemo00000"


def ensure_wechat(units: dict[str, Unit]) -> int:
    unit = units.get(DEMO_UNIT)
    if unit is None or WechatAccount.objects.filter(unit=unit).exists():
        return 0
    account_configure(
        acting_user=SYSTEM,
        unit=unit,
        app_id=DEMO_APP_ID,
        token=DEMO_TOKEN,
        safe_mode=False,
        keywords=dict(DEFAULT_KEYWORDS),
        welcome="欢迎关注乌兰哈达嘎查！回复“学习”“说事”“通知”试试。",
    )
    return 1
