import pytest

from nutag.factories import Cast, build_cast

pytest_plugins = ["nutag.browser_fixtures"]


@pytest.fixture
def cast(db) -> Cast:  # type: ignore[no-untyped-def]
    return build_cast()


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    """Each test starts with an empty cache (a shared Redis in CI's PostgreSQL pass), no kept
    page shapes (``nutag.sites.shapes``), and with Redis tried again: an outage a test played
    (``core/tests/test_cache_faults.py``) would otherwise make the resilient cache skip the
    real Redis for two seconds, this clear included."""
    from django.core.cache import cache

    from nutag.core.cache import forget_outage
    from nutag.sites import shapes
    from nutag.sites.counting import clear_pending

    forget_outage()
    cache.clear()
    clear_pending()
    shapes.forget()
    yield
