"""The secretary's page for the unit's official account, under /desk/ (``config/urls.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nutag.core.forms import run_action, submit_to_service
from nutag.wechat import services
from nutag.wechat.forms import AccountForm, keywords_as_text
from nutag.wechat.selectors import access_account_unit
from nutag.wechat.vault import NO_KEY, has_key, masked, unseal


@login_required
def account_page(request: HttpRequest, code: str) -> HttpResponse:
    unit, account = access_account_unit(user=request.user, code=code)
    initial: dict[str, object] = {"keywords": keywords_as_text(account.keywords if account else {})}
    if account:
        initial.update(
            app_id=account.app_id,
            safe_mode=account.safe_mode,
            welcome=account.welcome,
            notice_template_id=account.notice_template_id,
        )
    form = AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit_to_service(
            form,
            lambda: services.account_configure(
                acting_user=request.user,
                unit=unit,
                app_id=data["app_id"],
                token=data["token"],
                aes_key=data["aes_key"],
                app_secret=data["app_secret"],
                safe_mode=data["safe_mode"],
                keywords=data["keywords"],
                welcome=data["welcome"],
                notice_template_id=data["notice_template_id"],
            ),
        )
        if done is not None:
            messages.success(request, _("The official account is saved."))
            return redirect("wechat-account", code=unit.code)
    stored = {}
    if account:
        stored = {
            "token": masked(unseal(account.token_sealed)),
            "aes_key": masked(unseal(account.aes_key_sealed)),
            "app_secret": masked(unseal(account.app_secret_sealed)),
        }
    endpoint = request.build_absolute_uri(reverse("wechat-endpoint", kwargs={"code": unit.code}))
    return render(
        request,
        "wechat/account.html",
        {
            "unit": unit,
            "account": account,
            "form": form,
            "stored": stored,
            "endpoint": endpoint,
            "no_key": "" if has_key() else NO_KEY,
        },
    )


@login_required
@require_POST
def menu_push_page(request: HttpRequest, code: str) -> HttpResponse:
    unit, _account = access_account_unit(user=request.user, code=code)
    run_action(
        request,
        lambda: services.account_menu_push(
            acting_user=request.user, unit=unit, base_url=request.build_absolute_uri("/")
        ),
        _("The menu is on the official account now."),
    )
    return redirect("wechat-account", code=unit.code)
