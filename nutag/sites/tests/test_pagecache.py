"""The page cache's shared tier (``nutag.sites.pagecache``): none unless configured; pages
local first, then the shared folder (copied into local memory when found there); everything
else in the folder only; a fresher shared page replaces a stale local one. Then the public
pages use it: a page another process rendered is a hit here. (Two real worker processes:
``test_workers.py``.)"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from nutag.sites import caching, counting, pagecache
from nutag.sites.tests.test_caching import calls


@pytest.fixture
def tiered(settings: Any, tmp_path: Path) -> Iterator[pagecache.TieredPageCache]:
    settings.NUTAG_PAGE_CACHE_SHARED = str(tmp_path / "pages")
    settings.NUTAG_PAGE_CACHE_SECONDS = 300
    settings.NUTAG_TASK_MODE = "inline"
    caches["default"].clear()
    counting.clear_pending()
    calls.clear()
    cache = pagecache.page_cache()
    assert isinstance(cache, pagecache.TieredPageCache)
    yield cache
    caches["default"].clear()
    counting.clear_pending()


def entry(fresh_in: float, content: bytes = b"page") -> dict[str, Any]:
    return {"v": caching.ENTRY_VERSION, "fresh": time.time() + fresh_in, "content": content}


def test_no_shared_tier_unless_configured(settings: Any) -> None:
    settings.NUTAG_PAGE_CACHE_SHARED = ""
    assert pagecache.page_cache() is caches["default"]
    assert caching._cache() is caches["default"]


def test_a_missing_page_is_missing_in_both(tiered: pagecache.TieredPageCache) -> None:
    assert tiered.get("pc:1:2:nothing") is None
    assert tiered.get("pc:1:2:nothing", "default") == "default"
    assert tiered.get("pcr:nothing") is None


def test_what_is_not_a_page_lives_in_the_shared_folder_only(
    tiered: pagecache.TieredPageCache,
) -> None:
    tiered.set("pcr:village", {"recipe": 1}, timeout=60)
    assert caches["default"].get("pcr:village") is None
    assert tiered.shared.get("pcr:village") == {"recipe": 1}
    assert tiered.get("pcr:village") == {"recipe": 1}
    assert tiered.add("pcl:lock", 1, timeout=60) is True
    assert tiered.add("pcl:lock", 1, timeout=60) is False  # another process holds it


def test_a_page_is_written_to_both_and_read_locally_first(
    tiered: pagecache.TieredPageCache,
) -> None:
    page = entry(60)
    tiered.set("pc:1:2:home", page, timeout=120)
    assert caches["default"].get("pc:1:2:home") == page
    assert tiered.shared.get("pc:1:2:home") == page
    tiered.shared.delete("pc:1:2:home")  # local memory answers without the folder
    assert tiered.get("pc:1:2:home") == page


def test_a_page_from_another_process_is_copied_here(tiered: pagecache.TieredPageCache) -> None:
    page = entry(60, b"rendered elsewhere")
    tiered.shared.set("pc:1:2:home", page, timeout=120)  # as another worker wrote it
    assert caches["default"].get("pc:1:2:home") is None
    assert tiered.get("pc:1:2:home") == page
    assert caches["default"].get("pc:1:2:home") == page


def test_a_stale_local_copy_gives_way_to_a_fresher_shared_one(
    tiered: pagecache.TieredPageCache,
) -> None:
    stale, fresh = entry(-10, b"old"), entry(60, b"new")
    caches["default"].set("pc:1:2:home", stale, timeout=120)
    assert tiered.get("pc:1:2:home") == stale  # nothing better anywhere: served stale
    tiered.shared.set("pc:1:2:home", fresh, timeout=120)  # rendered again elsewhere
    assert tiered.get("pc:1:2:home") == fresh
    assert caches["default"].get("pc:1:2:home") == fresh


def test_an_older_shared_copy_never_replaces_the_local_one(
    tiered: pagecache.TieredPageCache,
) -> None:
    local, older = entry(-10, b"local"), entry(-20, b"older")
    caches["default"].set("pc:1:2:home", local, timeout=120)
    tiered.shared.set("pc:1:2:home", older, timeout=120)
    assert tiered.get("pc:1:2:home") == local


@pytest.mark.skipif(
    bool(os.environ.get("REDIS_URL")),
    reason="with Redis the default cache is shared already and also holds the generations: "
    "clearing it cannot play a worker that never saw the page (the tier is for no Redis)",
)
@pytest.mark.urls("nutag.sites.tests.test_caching")
def test_a_public_page_rendered_by_another_process_is_a_hit_here(
    tiered: pagecache.TieredPageCache, cast: Any
) -> None:
    url = f"/t/{cast.village1a.code}/"
    assert Client().get(url)["X-Nutag-Cache"] == "miss"
    caches["default"].clear()  # this process forgets it: as another worker, which never saw it
    for _ in range(2):  # from the folder, then from local memory
        response = Client().get(url)
        assert response["X-Nutag-Cache"] == "hit"
        assert cast.village1a.name in response.content.decode()
    assert calls == [url]  # rendered once, for every process


# --- The shared folder's bound, counted every so many writes ---------------------------------


def _files(folder: Path) -> int:
    return sum(1 for _ in folder.glob("*.djcache"))


def test_the_folder_stays_bounded_and_is_counted_every_so_many_writes(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    cache = pagecache.SharedFolderCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": 100}})
    assert cache.check_every == 100 // pagecache.CULL_CHECK_SHARE == 5
    listed = []
    real = cache._list_cache_files

    def counted() -> list[str]:
        listed.append(1)
        return real()

    cache._list_cache_files = counted  # type: ignore[method-assign]
    most = 0
    for i in range(1000):
        cache.set(f"pc:{i}", b"x" * 10, timeout=300)
        most = max(most, _files(folder))
    assert len(listed) == 200  # once every 5 writes, the first one included (not 1,000)
    assert most <= 100 + cache.check_every  # never more than the bound and one round of writes
    assert _files(folder) < 100 + cache.check_every
    assert cache.get("pc:999") == b"x" * 10  # the newest is kept (culled before it was written)


def test_a_small_bound_is_counted_on_every_write(tmp_path: Path) -> None:
    cache = pagecache.SharedFolderCache(str(tmp_path / "s"), {"OPTIONS": {"MAX_ENTRIES": 10}})
    assert cache.check_every == 1
    for i in range(50):
        cache.set(f"k{i}", i, timeout=300)
        assert _files(tmp_path / "s") <= 10


def test_the_page_cache_uses_the_counted_folder(tiered: pagecache.TieredPageCache) -> None:
    assert isinstance(tiered.shared, pagecache.SharedFolderCache)
