import pytest

from nutag.factories import Cast, build_cast


@pytest.fixture
def cast(db) -> Cast:  # type: ignore[no-untyped-def]
    return build_cast()
