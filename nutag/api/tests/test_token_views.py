"""The workbench page for one's own API tokens."""

import pytest

from nutag.api.models import ApiToken
from nutag.api.tokens import token_create

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_log_in(client):
    assert client.get("/desk/me/tokens/").status_code == 302


def test_another_logins_token_is_not_listed_nor_revoked(cast, client):
    theirs, _raw = token_create(acting_user=cast.village1a_secretary, name="他们的", scope="read")
    client.force_login(cast.resident)
    assert "他们的" not in client.get("/desk/me/tokens/").content.decode()
    assert client.post(f"/desk/me/tokens/{theirs.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None


def test_empty_name_is_refused_next_to_the_field(cast, client):
    client.force_login(cast.resident)
    r = client.post("/desk/me/tokens/", {"name": "", "scope": "read"})
    assert r.status_code == 200 and not ApiToken.objects.exists()


def test_made_shown_once_then_revoked(cast, client):
    client.force_login(cast.resident)
    r = client.post("/desk/me/tokens/", {"name": "我的报表", "scope": "write"}, follow=True)
    page = r.content.decode()
    token = ApiToken.objects.get()
    raw = page.split("<code>")[1].split("</code>")[0]
    assert raw.startswith(token.prefix) and len(raw) > 30
    again = client.get("/desk/me/tokens/").content.decode()
    assert raw not in again and "我的报表" in again
    client.post(f"/desk/me/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/me/tokens", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
