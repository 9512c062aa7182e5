"""Tourism pages: a unit's tourism page (the map and the places by kind; the banner's is the
banner-wide page), a place's page with its booking form, adding a place, and the bookings
page (the host answers, the visitor cancels). Parse, check, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nutag.core.errors import NotFound
from nutag.core.forms import run_action, submit_to_service
from nutag.core.masking import mask_phone
from nutag.core.media import picture_html
from nutag.orgs.models import Unit
from nutag.orgs.selectors import get_unit_by_code
from nutag.tourism import services
from nutag.tourism.forms import AnswerForm, BookingForm, PlaceEditForm, PlaceForm, place_initial
from nutag.tourism.models import BookingState, Place
from nutag.tourism.permissions import (
    can_answer_booking,
    can_book,
    can_cancel_booking,
    can_edit_place,
    can_manage_places,
    can_see_phone,
)
from nutag.tourism.selectors import (
    access_booking,
    access_place,
    bookings_to_answer,
    draw_map,
    has_confirmed_booking,
    my_bookings,
    places_by_kind,
)


def tourism_root(request: HttpRequest) -> HttpResponse:
    """The banner-wide page: the tourism page of the (first) root of the tree."""
    root = Unit.objects.get_root_nodes().first()
    if root is None:
        raise NotFound
    return redirect("tourism-home", code=root.code)


def tourism_home(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    groups = places_by_kind(unit=unit)
    svg = draw_map(unit=unit, places=[p for _k, _l, rows in groups for p in rows])
    numbers = svg.numbers if svg else {}
    return render(
        request,
        "tourism/home.html",
        {
            "unit": unit,
            "groups": [
                (kind, label, [(p, numbers.get(p.pk)) for p in rows])
                for kind, label, rows in groups
            ],
            "map": svg,
            "may_add": can_manage_places(request.user, unit),
        },
    )


def _place_input(data: dict[str, Any], host: User | None) -> services.PlaceInput:
    return services.PlaceInput(
        kind=data["kind"],
        name=data["name"],
        description=data["description"],
        months=list(data["months"] or []),
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        phone=data["phone"],
        contact_shown=data["contact_shown"],
        lat=data["lat"],
        lon=data["lon"],
        capacity=data["capacity"] or 0,
        host=host,
    )


@login_required
@require_http_methods(["GET", "POST"])
def place_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_by_code(code=code)
    if not can_manage_places(request.user, unit):
        raise NotFound
    form = PlaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        host = _host_of(form, request)
        if not form.errors:
            place = submit_to_service(
                form,
                lambda: services.place_create(
                    acting_user=request.user,
                    unit=unit,
                    data=_place_input(data, host),
                    photos=data["photos"] or [],
                ),
            )
            if place is not None:
                return redirect("tourism-place", code=unit.code, pk=place.pk)
    return render(request, "tourism/place_new.html", {"unit": unit, "form": form})


def _host_of(form: PlaceForm, request: HttpRequest) -> User | None:
    """The host named on the form (empty: the person filling it in), or a form error."""
    name = (form.cleaned_data.get("host") or "").strip()
    if not name:
        return request.user  # type: ignore[return-value]
    host = User.objects.filter(username=name, is_active=True).first()
    if host is None:
        form.add_error("host", _("No login has this name."))
    return host


@login_required
@require_http_methods(["GET", "POST"])
def place_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    place = access_place(user=request.user, pk=pk)
    if place.unit.code != code or not can_edit_place(request.user, place):
        raise NotFound
    form = PlaceEditForm(request.POST or None, request.FILES or None, initial=place_initial(place))
    if request.method == "POST" and form.is_valid():
        host = _host_of(form, request)
        if not form.errors:
            data = form.cleaned_data

            def save() -> Place:
                saved = services.place_update(
                    acting_user=request.user,
                    place=place,
                    data=_place_input(data, host),
                    listed=data["listed"],
                )
                for photo in data["photos"] or []:
                    saved = services.place_photo_add(
                        acting_user=request.user, place=saved, photo=photo
                    )
                return saved

            if submit_to_service(form, save) is not None:
                return redirect("tourism-place", code=code, pk=place.pk)
    return render(
        request, "tourism/place_new.html", {"unit": place.unit, "form": form, "place": place}
    )


def _phone(request: HttpRequest, place: Place) -> tuple[str, bool]:
    """The phone as shown to this reader, and whether it is the full number."""
    if not place.phone:
        return "", False
    confirmed = has_confirmed_booking(user=request.user, place=place)
    if can_see_phone(request.user, place, has_confirmed=confirmed):
        return place.phone, True
    return mask_phone(place.phone), False


@require_http_methods(["GET", "POST"])
def place_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    place = access_place(user=request.user, pk=pk)
    if place.unit.code != code:
        raise NotFound
    may_book = can_book(request.user, place)
    form = BookingForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_book:
            raise NotFound
        if form.is_valid():
            data = form.cleaned_data
            done = submit_to_service(
                form,
                lambda: services.booking_request(
                    acting_user=request.user,
                    place=place,
                    first_day=data["first_day"],
                    last_day=data["last_day"],
                    party=data["party"],
                    note=data["note"],
                ),
            )
            if done is not None:
                return redirect("tourism-booking", pk=done.booking.pk)
    phone, full = _phone(request, place)
    return render(
        request,
        "tourism/place.html",
        {
            "unit": place.unit,
            "place": place,
            "photos": [picture_html(p, alt=place.name) for p in place.photos],
            "phone": phone,
            "phone_full": full,
            "form": form,
            "may_book": may_book,
            "may_edit": can_edit_place(request.user, place),
            "map": draw_map(unit=place.unit, places=[place]),
        },
    )


@login_required
def bookings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tourism/bookings.html",
        {
            "mine": list(my_bookings(user=request.user)[:50]),
            "to_answer": list(bookings_to_answer(user=request.user)[:100]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = access_booking(user=request.user, pk=pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "")
        answer = form.data.get("answer", "")[:300] if form.is_valid() else ""
        if action == "confirm":
            run_action(
                request,
                lambda: services.booking_confirm(
                    acting_user=request.user, booking=booking, answer=answer
                ),
                _("The booking is confirmed; the visitor is told."),
            )
        elif action == "decline":
            run_action(
                request,
                lambda: services.booking_decline(
                    acting_user=request.user, booking=booking, answer=answer
                ),
                _("The booking is declined; the visitor is told."),
            )
        elif action == "cancel":
            run_action(
                request,
                lambda: services.booking_cancel(acting_user=request.user, booking=booking),
                _("The booking is cancelled; the host is told."),
            )
        return redirect("tourism-booking", pk=booking.pk)
    return render(
        request,
        "tourism/booking.html",
        {
            "booking": booking,
            "place": booking.place,
            "unit": booking.place.unit,
            "form": form,
            "may_answer": can_answer_booking(request.user, booking),
            "may_cancel": can_cancel_booking(request.user, booking),
            "is_visitor": booking.visitor_id == request.user.pk,
            "requested": booking.state == BookingState.REQUESTED,
        },
    )
