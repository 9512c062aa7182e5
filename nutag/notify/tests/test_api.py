from nutag.core.actors import SYSTEM
from nutag.notify import services
from nutag.notify.models import Kind, Notification
from nutag.orgs.permissions import Perm

URL = "/api/v1/me/notifications"


def tell(cast, key):
    services.notify_units(
        acting_user=SYSTEM,
        kind=Kind.TASK_ISSUED,
        units=[cast.township1],
        perm=Perm.REPORT_TASKS,
        params={"from": "测试旗", "title": key, "due": "2026-04-01"},
        event_key=key,
    )


def test_anonymous_gets_401(client):
    assert client.get(URL).status_code == 401
    assert client.post(f"{URL}/1/read").status_code == 401


def test_anothers_notification_is_404_like_a_missing_one(cast, client):
    tell(cast, "a")
    theirs = Notification.objects.get(recipient__user=cast.township1_secretary)
    client.force_login(cast.township1_officer)
    assert client.post(f"{URL}/{theirs.pk}/read").status_code == 404
    assert client.post(f"{URL}/999999/read").status_code == 404
    client.force_login(cast.admin)
    assert client.post(f"{URL}/{theirs.pk}/read").status_code == 404


def test_paginated_with_an_unread_filter(cast, client):
    for i in range(5):
        tell(cast, f"t{i}")
    client.force_login(cast.township1_secretary)
    page = client.get(URL, {"limit": 2, "offset": 1}).json()
    assert page["count"] == 5 and page["unread"] == 5 and len(page["items"]) == 2
    assert "t3" in page["items"][0]["text"]  # newest first: t4, then t3
    first = page["items"][0]["id"]
    read = client.post(f"{URL}/{first}/read")
    assert read.status_code == 200 and read.json()["read_at"]
    unread = client.get(URL, {"unread": "true"}).json()
    assert unread["count"] == 4 and first not in [n["id"] for n in unread["items"]]
    assert client.get(URL, {"limit": 1000}).json()["limit"] == 200
