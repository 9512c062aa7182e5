"""``scripts/wechat_send.py`` signs (and encrypts) like the platform: run against a live server."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from nutag.core.actors import SYSTEM
from nutag.wechat.services import account_configure
from nutag.wechat.tests.signing import AES_KEY, APP_ID

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "wechat_send.py"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("safe_mode", [False, True])
def test_script_talks_to_the_endpoint(live_server, safe_mode):  # type: ignore[no-untyped-def]
    from nutag.factories import make_unit
    from nutag.orgs.models import UnitKind

    unit = make_unit(parent=None, kind=UnitKind.VILLAGE, name="脚本嘎查", code="150799100299")
    account_configure(
        acting_user=SYSTEM,
        unit=unit,
        app_id=APP_ID,
        token="nutag-demo-token",
        aes_key=AES_KEY,
        safe_mode=safe_mode,
        keywords={},
    )
    args = [sys.executable, str(SCRIPT), "--url", f"{live_server.url}/wechat/{unit.code}/", "学习"]
    if safe_mode:
        args += ["--aes-key", AES_KEY, "--app-id", APP_ID]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr
    assert f"/u/{unit.code}/c/online_study/" in done.stdout
    bad = subprocess.run(  # noqa: S603
        [*args[:4], "--token", "wrong", "学习"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 1 and "403" in bad.stderr
