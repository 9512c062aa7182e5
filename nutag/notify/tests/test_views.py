import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nutag.core.actors import SYSTEM
from nutag.notify import services
from nutag.notify.models import Kind, Notification, NotifySettings
from nutag.orgs.permissions import Perm


def tell(cast, key="e1", now=None):
    services.notify_units(
        acting_user=SYSTEM,
        kind=Kind.TASK_ISSUED,
        units=[cast.township1],
        perm=Perm.REPORT_TASKS,
        params={"from": "测试旗", "title": "春季任务", "due": "2026-04-01"},
        event_key=key,
        link="/desk/",
        now=now,
    )


def test_anonymous_is_sent_to_login(client):
    for name in ("notify-inbox", "notify-settings"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/desk/login/" in response["Location"]


def test_anonymous_public_pages_count_nothing(cast, client):
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/u/{cast.township1.code}/")
    assert not any("notify_notification" in q["sql"] for q in queries.captured_queries)


def test_the_bell_shows_the_unread_count_on_workbench_and_public_pages(cast, client):
    tell(cast)
    tell(cast, key="e2")
    client.force_login(cast.township1_secretary)
    for url in ("/desk/", f"/u/{cast.township1.code}/"):
        html = client.get(url).content.decode()
        assert 'class="bell"' in html and "<b>2</b>" in html, url
    client.force_login(cast.village2a_secretary)
    html = client.get("/desk/").content.decode()
    assert 'class="bell"' in html and "<b>" not in html.split('class="bell"')[1][:40]


def test_inbox_lists_only_mine_grouped_by_day(cast, client):
    tell(cast, now=dt.datetime(2026, 3, 1, 4, tzinfo=dt.UTC))
    tell(cast, key="e2", now=dt.datetime(2026, 3, 2, 4, tzinfo=dt.UTC))
    client.force_login(cast.village2a_secretary)
    assert "春季任务" not in client.get(reverse("notify-inbox")).content.decode()
    client.force_login(cast.township1_secretary)
    html = client.get(reverse("notify-inbox")).content.decode()
    assert html.count("春季任务") == 2 and "2026-03-01" in html and "2026-03-02" in html


def test_mark_read_others_404_mine_opens_the_link(cast, client):
    tell(cast)
    theirs = Notification.objects.get(recipient__user=cast.township1_secretary)
    client.force_login(cast.township1_officer)
    assert client.post(reverse("notify-read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notify-read", args=[theirs.pk])).status_code == 405
    client.force_login(cast.township1_secretary)
    response = client.post(reverse("notify-read", args=[theirs.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/desk/"
    theirs.refresh_from_db()
    assert theirs.read_at is not None


def test_mark_all_read(cast, client):
    tell(cast)
    tell(cast, key="e2")
    client.force_login(cast.township1_secretary)
    client.post(reverse("notify-read-all"))
    assert not Notification.objects.filter(
        recipient__user=cast.township1_secretary, read_at__isnull=True
    ).exists()
    assert (
        Notification.objects.filter(
            recipient__user=cast.township1_officer, read_at__isnull=True
        ).count()
        == 2
    )


def test_settings_keep_what_was_typed_on_bad_input(cast, client):
    client.force_login(cast.township1_secretary)
    assert client.get(reverse("notify-settings")).status_code == 200
    response = client.post(
        reverse("notify-settings"),
        {"language": "en", "quiet_start": "25:99", "quiet_end": "07:00", "kind_task_issued": "sms"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'value="25:99"' in html
    assert not NotifySettings.objects.exists()
    response = client.post(
        reverse("notify-settings"),
        {
            "language": "en",
            "quiet_start": "21:00",
            "quiet_end": "06:30",
            "kind_task_issued": ["sms", "email"],
        },
    )
    assert response.status_code == 302
    row = NotifySettings.objects.get(person__user=cast.township1_secretary)
    assert row.language == "en" and row.channels[Kind.TASK_ISSUED] == ["sms", "email"]
    assert row.channels[Kind.NOTICE] == []


def test_settings_of_a_login_without_a_person_is_404(cast, client):
    client.force_login(cast.admin)
    assert client.get(reverse("notify-settings")).status_code == 404
    # and the inbox does not offer them (a newcomer waiting for approval has no person yet)
    assert reverse("notify-settings") not in client.get(reverse("notify-inbox")).content.decode()
    client.force_login(cast.resident)
    assert reverse("notify-settings") in client.get(reverse("notify-inbox")).content.decode()


def test_the_bell_costs_no_query_once_counted_and_forgets_on_reading(cast, client):
    tell(cast)
    client.force_login(cast.township1_secretary)
    client.get("/desk/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/desk/").content.decode()
    assert "<b>1</b>" in html
    assert not any("notify_notification" in q["sql"] for q in queries.captured_queries)
    client.post(reverse("notify-read-all"))
    assert "<b>" not in client.get("/desk/").content.decode().split('class="bell"')[1][:40]


def test_the_banner_policy_page_only_for_those_who_may_set_it(cast, client):
    from nutag.factories import person_with_position
    from nutag.notify.models import NotifyPolicy
    from nutag.orgs.models import PositionTitle

    for user in (cast.banner_officer, cast.township1_secretary, cast.resident):
        client.force_login(user)
        assert client.get(reverse("notify-policy", args=[cast.banner.code])).status_code == 404
    client.force_login(cast.township1_secretary)
    assert client.get(reverse("notify-policy", args=[cast.township1.code])).status_code == 404
    secretary = person_with_position(
        unit=cast.banner,
        title=PositionTitle.BRANCH_SECRETARY,
        username="banner-secretary",
        name="旗书记",
    ).user
    client.force_login(secretary)
    url = reverse("notify-policy", args=[cast.banner.code])
    assert url in client.get(reverse("notify-inbox")).content.decode()
    response = client.post(url, {"digest_hour": "25", "kind_task_issued": "sms"})
    assert response.status_code == 200 and 'value="25"' in response.content.decode()
    assert not NotifyPolicy.objects.exists()
    response = client.post(url, {"digest_hour": "7", "kind_task_issued": ["email"]})
    assert response.status_code == 302
    policy = NotifyPolicy.objects.get(unit=cast.banner)
    assert policy.digest_hour == 7 and policy.officer_defaults["task_issued"] == ["email"]
