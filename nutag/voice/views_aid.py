"""Mutual aid pages (``/u/<code>/aid/…``), emergency pages (``/u/<code>/emergencies/…``), the
site blocks (the 社群互助 column, the emergency at the top of the home page) and the banner's
category and routing page in the workbench (``/desk/u/<code>/concern-categories/``).
Parse, check, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nutag.core.errors import NotFound
from nutag.core.forms import add_service_errors, run_action, submit_to_service
from nutag.orgs.models import Unit
from nutag.orgs.selectors import get_unit_by_code
from nutag.voice.areas import area_top
from nutag.voice.forms_aid import (
    AidPostForm,
    CategoryForm,
    EmergencyForm,
    HideForm,
    MarkForm,
    RuleForm,
)
from nutag.voice.models import AidStatus, Category, Radius, RoutingRule
from nutag.voice.permissions import (
    can_close_aid,
    can_manage_categories,
    can_manage_emergency,
    can_moderate_aid,
    can_post_aid,
    can_publish_emergency,
)
from nutag.voice.selectors.aid import access_aid_post, aid_column_posts, aid_posts_of_unit
from nutag.voice.selectors.emergencies import (
    access_emergency,
    emergencies_of_unit,
    emergency_roll,
    my_status,
    open_emergencies,
    reaches,
)
from nutag.voice.services import aid as aid_services
from nutag.voice.services import categories as category_services
from nutag.voice.services import emergencies as emergency_services

# --- Mutual aid ---------------------------------------------------------------------------


def aid_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    rows = aid_posts_of_unit(
        user=request.user,
        unit=unit,
        kind=request.GET.get("kind", "")[:8],
        topic=request.GET.get("topic", "")[:12],
    )
    return render(
        request,
        "voice/aid/list.html",
        {"unit": unit, "rows": rows[:100], "may_post": can_post_aid(request.user, unit)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def aid_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    if not can_post_aid(request.user, unit):
        raise NotFound
    form = AidPostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        post = submit_to_service(
            form,
            lambda: aid_services.aid_post_create(
                acting_user=request.user,
                unit=unit,
                kind=data["kind"],
                topic=data["topic"],
                title=data["title"],
                text=data["text"],
                marks=data["marks"],
                contact=data["contact"],
                photos=data["photos"] or [],
            ),
        )
        if post is not None:
            return redirect(f"/u/{code}/aid/{post.pk}/")
    return render(request, "voice/aid/new.html", {"unit": unit, "form": form})


@require_http_methods(["GET", "POST"])
def aid_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    post = access_aid_post(user=request.user, pk=pk)
    if post.unit.code != code:
        raise NotFound
    hide_form = HideForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            raise NotFound
        action = request.POST.get("action", "")
        if action == "close":
            if not can_close_aid(request.user, post):
                raise NotFound
            run_action(
                request,
                lambda: aid_services.aid_post_close(acting_user=request.user, post=post),
                _("Marked as met. Thank you."),
            )
            return redirect(f"/u/{code}/aid/{post.pk}/")
        if action == "hide":
            if not can_moderate_aid(request.user, post.unit):
                raise NotFound
            hide_form = HideForm(request.POST)
            if hide_form.is_valid():
                done = submit_to_service(
                    hide_form,
                    lambda: aid_services.aid_post_hide(
                        acting_user=request.user,
                        post=post,
                        reason=hide_form.cleaned_data["reason"],
                    ),
                )
                if done is not None:
                    return redirect(f"/u/{code}/aid/{post.pk}/")
    return render(
        request,
        "voice/aid/detail.html",
        {
            "unit": post.unit,
            "post": post,
            "may_close": post.status == AidStatus.OPEN and can_close_aid(request.user, post),
            "may_hide": post.status != AidStatus.HIDDEN
            and can_moderate_aid(request.user, post.unit),
            "hide_form": hide_form,
        },
    )


def render_aid_column(request: HttpRequest, unit: Unit, column: object) -> str:
    """The 社群互助 column: the open posts, the same for every reader (cached)."""
    return render_to_string(
        "voice/aid/_column.html",
        {"unit": unit, "posts": aid_column_posts(unit=unit)},
        request=request,
    )


# --- Emergencies --------------------------------------------------------------------------


def render_emergency_block(request: HttpRequest, unit: Unit) -> str:
    """The top of the home page: the open emergencies reaching the unit (same for all)."""
    rows = open_emergencies(unit=unit)
    if not rows:
        return ""
    return render_to_string(
        "voice/aid/_emergency_block.html", {"unit": unit, "rows": rows}, request=request
    )


def _radius_choices(user: Any, unit: Unit) -> list[tuple[str, Any]]:
    return [
        (value, label)
        for value, label in Radius.choices
        if can_publish_emergency(user, area_top(unit, value))
    ]


def emergency_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    return render(
        request,
        "voice/aid/emergencies.html",
        {
            "unit": unit,
            "rows": emergencies_of_unit(user=request.user, unit=unit),
            "may_publish": can_publish_emergency(request.user, unit),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def emergency_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    choices = _radius_choices(request.user, unit)
    if not choices:
        raise NotFound
    form = EmergencyForm(request.POST or None)
    form.fields["radius"].choices = choices  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        emergency = submit_to_service(
            form,
            lambda: emergency_services.emergency_publish(
                acting_user=request.user,
                unit=unit,
                kind=data["kind"],
                radius=data["radius"],
                text=data["text"],
            ),
        )
        if emergency is not None:
            return redirect(f"/u/{code}/emergencies/{emergency.pk}/")
    return render(request, "voice/aid/emergency_new.html", {"unit": unit, "form": form})


@require_http_methods(["GET", "POST"])
def emergency_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    emergency = access_emergency(user=request.user, pk=pk)
    unit = get_unit_by_code(code=code)
    if not emergency.areas.filter(pk=unit.pk).exists():
        raise NotFound
    user = request.user
    reached = reaches(user, emergency)
    manager = can_manage_emergency(user, emergency)
    mark_form = MarkForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "close" and manager:
            run_action(
                request,
                lambda: emergency_services.emergency_close(acting_user=user, emergency=emergency),
                _("The emergency is closed."),
            )
            return redirect(request.path)
        if action != "mark" or not isinstance(user, User) or not reached:
            raise NotFound
        mark_form = MarkForm(request.POST)
        if mark_form.is_valid():
            try:
                emergency_services.emergency_mark(
                    acting_user=user,
                    emergency=emergency,
                    status=mark_form.cleaned_data["status"],
                    note=mark_form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(mark_form, exc, None)
            else:
                return redirect(request.path)
    return render(
        request,
        "voice/aid/emergency.html",
        {
            "unit": unit,
            "emergency": emergency,
            "reached": reached,
            "mine": my_status(user=user, emergency=emergency) if reached else None,
            "mark_form": mark_form,
            "roll": emergency_roll(user=user, emergency=emergency) if manager else None,
            "manager": manager,
        },
    )


# --- The banner's categories and routing rules (workbench) -------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def categories_page(request: HttpRequest, code: str) -> HttpResponse:
    banner = get_unit_by_code(code=code)
    if not can_manage_categories(request.user, banner):
        raise NotFound
    from nutag.voice.services import categories_ensure

    categories_ensure(acting_user=request.user, banner=banner)
    add_form = CategoryForm(prefix="new")
    rule_form = RuleForm(prefix="rule")
    edit_forms: dict[int, CategoryForm] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "add":
            add_form = CategoryForm(request.POST, prefix="new")
            made = None
            if add_form.is_valid():
                made = submit_to_service(
                    add_form,
                    lambda: category_services.category_create(
                        acting_user=request.user, banner=banner, **add_form.cleaned_data
                    ),
                )
            if made:
                return redirect(request.path)
        elif action in ("edit", "retire", "restore"):
            pk = request.POST.get("category", "")
            category = Category.objects.filter(
                banner=banner, pk=int(pk) if pk.isdigit() else 0
            ).first()
            if category is None:
                raise NotFound
            if action == "edit":
                form = CategoryForm(request.POST, prefix=f"c{category.pk}")
                saved = None
                if form.is_valid():
                    saved = submit_to_service(
                        form,
                        lambda: category_services.category_update(
                            acting_user=request.user, category=category, **form.cleaned_data
                        ),
                    )
                if saved:
                    return redirect(request.path)
                edit_forms[category.pk] = form
            else:
                run_action(
                    request,
                    lambda: category_services.category_retire(
                        acting_user=request.user, category=category, retired=action == "retire"
                    ),
                    _("Saved."),
                )
                return redirect(request.path)
        elif action == "rule":
            rule_form = RuleForm(request.POST, prefix="rule")
            if rule_form.is_valid() and _save_rule(request, banner, rule_form):
                return redirect(request.path)
    categories = list(Category.objects.filter(banner=banner))
    rows = [
        (
            c,
            edit_forms.get(c.pk)
            or CategoryForm(
                prefix=f"c{c.pk}",
                initial={
                    "name": c.name,
                    "days_limit": c.days_limit,
                    "allows_anonymous": c.allows_anonymous,
                },
            ),
        )
        for c in categories
    ]
    rules = RoutingRule.objects.filter(category__banner=banner).select_related(
        "township", "category", "target"
    )
    return render(
        request,
        "voice/aid/categories.html",
        {
            "unit": banner,
            "rows": rows,
            "add_form": add_form,
            "rule_form": rule_form,
            "rules": rules,
        },
    )


def _save_rule(request: HttpRequest, banner: Unit, form: RuleForm) -> bool:
    data = form.cleaned_data
    township = Unit.objects.filter(code=data["township"].strip()).first()
    category = Category.objects.filter(banner=banner, key=data["category"].strip()).first()
    target = None
    if data["target"].strip():
        target = Unit.objects.filter(code=data["target"].strip()).first()
        if target is None:
            form.add_error("target", _("No unit has that code."))
            return False
    if township is None:
        form.add_error("township", _("No unit has that code."))
        return False
    if category is None:
        form.add_error("category", _("No category has that key."))
        return False
    return (
        submit_to_service(
            form,
            lambda: (
                category_services.routing_rule_set(
                    acting_user=request.user,
                    banner=banner,
                    township=township,
                    category=category,
                    target=target,
                )
                or True
            ),
        )
        is not None
    )
