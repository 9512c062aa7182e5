from nutag.core.actors import SYSTEM
from nutag.notify import services
from nutag.notify.models import Delivery, Kind, NotifyPolicy
from nutag.orgs.permissions import Perm


def test_delivery_states_are_for_the_platform_admin_only(cast, client):
    services.notify_units(
        acting_user=SYSTEM,
        kind=Kind.TASK_DUE_SOON,
        units=[cast.township1],
        perm=Perm.REPORT_TASKS,
        params={},
        event_key="e",
    )
    cast.township1_secretary.is_staff = True
    cast.township1_secretary.save()
    client.force_login(cast.township1_secretary)
    assert client.get("/admin/notify/delivery/").status_code == 403
    client.force_login(cast.admin)
    html = client.get("/admin/notify/delivery/").content.decode()
    assert Delivery.objects.exists() and Delivery.objects.first().key in html


def test_the_policy_is_saved_through_the_service(cast, client):
    client.force_login(cast.admin)
    response = client.post(
        "/admin/notify/notifypolicy/add/",
        {"unit": cast.banner.pk, "digest_hour": "7", "officer_defaults": '{"task_issued": []}'},
    )
    assert response.status_code == 302
    assert NotifyPolicy.objects.get(unit=cast.banner).digest_hour == 7
