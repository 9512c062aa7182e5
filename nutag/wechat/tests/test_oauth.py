"""Login by the account's web authorisation, binding and unbinding; notices as template
messages. The platform is the fake server on 127.0.0.1."""

import pytest
from django.core.exceptions import ValidationError

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.notify.channels import Fail, Message, Skip
from nutag.wechat.bindings import binding_create, binding_delete
from nutag.wechat.channel import TemplateMessageSender
from nutag.wechat.models import WechatBinding
from nutag.wechat.services import account_configure
from nutag.wechat.tests.fake_platform import APP_SECRET, FakePlatform
from nutag.wechat.tests.signing import APP_ID, TOKEN

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake(settings):  # type: ignore[no-untyped-def]
    server = FakePlatform()
    settings.NUTAG_WECHAT_API_BASE = server.url
    yield server
    server.stop()


def connect(unit, template=""):  # type: ignore[no-untyped-def]
    return account_configure(
        acting_user=SYSTEM,
        unit=unit,
        app_id=APP_ID,
        token=TOKEN,
        app_secret=APP_SECRET,
        safe_mode=False,
        keywords={},
        notice_template_id=template,
    )


def come_back(client, code, fake, openid="o-abc"):  # type: ignore[no-untyped-def]
    r = client.get(f"/wechat/{code}/login/?next=/u/{code}/c/news/")
    assert r.status_code == 302 and r["Location"].startswith("https://open.weixin.qq.com/")
    state = r["Location"].split("state=")[1].split("#")[0]
    fake.codes["code-1"] = openid
    return client.get(f"/wechat/{code}/login/back/?code=code-1&state={state}")


# --- refused first ---------------------------------------------------------------------------


def test_unknown_unit_or_no_account_is_404(cast, client):
    assert client.get("/wechat/999999/login/").status_code == 404
    assert client.get(f"/wechat/{cast.village1a.code}/login/").status_code == 404


def test_forged_state_or_bad_code_is_refused(cast, client, fake):
    connect(cast.village1a)
    code = cast.village1a.code
    client.get(f"/wechat/{code}/login/")
    assert client.get(f"/wechat/{code}/login/back/?code=x&state=forged").status_code == 400
    r = client.get(f"/wechat/{code}/login/")
    state = r["Location"].split("state=")[1].split("#")[0]
    assert client.get(f"/wechat/{code}/login/back/?code=unknown&state={state}").status_code == 400
    assert "_auth_user_id" not in client.session


def test_only_known_people_of_the_unit_bind(cast):
    from nutag.factories import UserFactory

    account = connect(cast.village1a)
    stranger = UserFactory(username="stranger")  # a login without a person (not yet approved)
    for user in (stranger, cast.village2a_secretary, cast.township1_secretary):
        with pytest.raises(NotFound):
            binding_create(acting_user=user, account=account, openid="o-1")
    with pytest.raises(NotFound):
        binding_create(acting_user=SYSTEM, account=account, openid="o-1")
    assert not WechatBinding.objects.exists()


def test_one_identity_one_login(cast):
    account = connect(cast.village1a)
    binding_create(acting_user=cast.village1a_secretary, account=account, openid="o-1")
    with pytest.raises(ValidationError):
        binding_create(acting_user=cast.village1a_officer, account=account, openid="o-1")
    with pytest.raises(ValidationError):
        binding_create(acting_user=cast.village1a_secretary, account=account, openid="o-2")


def test_stranger_sees_no_bind_button(cast, client, fake):
    from nutag.factories import UserFactory

    connect(cast.village1a)
    code = cast.village1a.code
    come_back(client, code, fake)
    client.force_login(UserFactory(username="stranger"))
    assert 'id="bind-form"' not in client.get(f"/wechat/{code}/bind/").content.decode()
    client.post(f"/wechat/{code}/bind/")
    assert not WechatBinding.objects.exists()


def test_nobody_unbinds_another(cast, client):
    account = connect(cast.village1a)
    binding = binding_create(acting_user=cast.village1a_secretary, account=account, openid="o-1")
    with pytest.raises(NotFound):
        binding_delete(acting_user=cast.admin, pk=binding.pk)
    client.force_login(cast.village1a_officer)
    client.post(f"/desk/me/wechat/{binding.pk}/unbind/")
    assert WechatBinding.objects.filter(pk=binding.pk).exists()


# --- what works ------------------------------------------------------------------------------


def test_bind_then_log_in_by_the_account_then_unbind(cast, client, fake):
    connect(cast.village1a)
    code = cast.village1a.code
    r = come_back(client, code, fake)
    assert r.status_code == 302 and "/desk/login/" in r["Location"]  # not bound: log in once
    client.force_login(cast.village1a_secretary)
    assert 'id="bind-form"' in client.get(f"/wechat/{code}/bind/").content.decode()
    r = client.post(f"/wechat/{code}/bind/")
    assert r.status_code == 302
    binding = WechatBinding.objects.get()
    assert binding.user == cast.village1a_secretary and binding.openid == "o-abc"
    client.logout()
    r = come_back(client, code, fake)
    assert r.status_code == 302 and r["Location"] == f"/u/{code}/c/news/"
    assert int(client.session["_auth_user_id"]) == cast.village1a_secretary.pk
    assert cast.village1a.name in client.get("/desk/me/wechat/").content.decode()
    client.post(f"/desk/me/wechat/{binding.pk}/unbind/")
    assert not WechatBinding.objects.exists()
    client.logout()
    r = come_back(client, code, fake)
    assert "/desk/login/" in r["Location"]  # no longer logs in


def test_switched_off_login_is_not_logged_in_by_the_account(cast, client, fake):
    account = connect(cast.village1a)
    binding_create(acting_user=cast.village1a_secretary, account=account, openid="o-abc")
    cast.village1a_secretary.is_active = False
    cast.village1a_secretary.save()
    r = come_back(client, cast.village1a.code, fake)
    assert "/desk/login/" in r["Location"]
    assert "_auth_user_id" not in client.session


def test_notices_reach_a_bound_person_as_template_messages(cast, fake):
    sender = TemplateMessageSender()
    person = cast.village1a_secretary.person
    message = Message(key="1:chat", text="明天交报表", person_id=person.pk)
    with pytest.raises(Skip):
        sender.send(message)  # not bound
    account = connect(cast.village1a)
    binding_create(acting_user=cast.village1a_secretary, account=account, openid="o-sec")
    with pytest.raises(Skip):
        sender.send(message)  # no template chosen
    connect(cast.village1a, template="TPL-1")
    sender.send(message)
    [sent] = fake.templates
    assert sent["touser"] == "o-sec" and sent["template_id"] == "TPL-1"
    assert sent["data"]["content"]["value"] == "明天交报表"
    fake.refuse["/cgi-bin/message/template/send"] = (43004, "require subscribe")
    with pytest.raises(Fail):
        sender.send(message)
    assert sender.was_sent(message) is None
