from collections.abc import Iterator

import pytest

from nutag.notify.tests.fake_aliyun import FakeAliyun, configure


@pytest.fixture
def fake_sms(settings) -> Iterator[FakeAliyun]:  # type: ignore[no-untyped-def]
    fake = FakeAliyun()
    configure(settings, fake)
    yield fake
    fake.stop()
