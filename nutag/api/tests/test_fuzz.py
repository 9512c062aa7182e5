"""Schemathesis drives every API operation with generated input, in-process over WSGI.

Whatever it sends — odd codes, huge numbers, unicode, wrong types — the API must never answer
a server error, and what it answers must match the published OpenAPI schema. The schema and
the validation agree both ways: a request the schema calls invalid is refused, and one it
calls valid is accepted — except for the few domain rules no schema can state (``DOMAIN_RULES``).
"""

from __future__ import annotations

import contextlib

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nutag.people.models import Person

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import (  # noqa: E402
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation import GenerationMode  # noqa: E402

# The rules no schema can state, per operation: a schema-valid request that breaks one is
# refused with 400 naming only these fields. Everything else a service checks is stated in
# the schema (patterns, lengths, enums: nutag/api/schemas.py), so any other 400 fails.
DOMAIN_RULES: dict[str, set[str]] = {
    # the ID number's check digit (GB 11643), whether its birth date exists (30 February),
    # and whether another person already has it; a birth date given with an ID number must
    # be the one the number carries
    "POST /api/v1/units/{code}/people": {"id_number", "birth_date"},
    "PUT /api/v1/people/{person_id}": {"id_number", "birth_date"},
    # a unit code already taken; which kind of unit may sit under which
    "POST /api/v1/units/{code}/children": {"code", "kind"},
    # the categories are the banner's own list (GET /units/{code}/concern-categories)
    "POST /api/v1/units/{code}/concerns": {"category"},
    # closes_at after opens_at and still to come (the clock); options differing once trimmed
    "POST /api/v1/units/{code}/polls": {"opens_at", "closes_at", "options"},
    # at most 20 live tokens a person (the state of the account)
    "POST /api/v1/me/tokens": {"__all__"},
    # a meeting is either held (held_on, not in the future: the clock) or scheduled (starts_at
    # and ends_at, within 8 hours); its lesson assigned to the unit; its attendance the unit's
    # own people, each once, an absence with its reason
    "POST /api/v1/study/units/{code}/meetings": {
        "held_on",
        "starts_at",
        "ends_at",
        "lesson",
        "attendance",
        "reason",
    },
    # signing in depends on the meeting's window and the room code's validity (the clock)
    "POST /api/v1/study/meetings/{meeting_id}/sign-in": {"__all__"},
    # the state of the thing acted on: a post already met, an emergency already over, a
    # comment already reported by this login or already in the state asked for, a young
    # person already signed up or an activity full
    "POST /api/v1/aid/{post_id}/close": {"__all__"},
    "POST /api/v1/emergencies/{emergency_id}/status": {"__all__"},
    "POST /api/v1/emergencies/{emergency_id}/close": {"__all__"},
    "POST /api/v1/units/{code}/comments/{comment_id}/report": {"__all__"},
    "POST /api/v1/comments/{comment_id}/moderate": {"__all__"},
    "POST /api/v1/activities/{activity_id}/signups": {"__all__"},
    # one disclosure of a kind per unit and period (the data); a draft's lines, the totals
    # checked against them and the state (submitted, signed off) decide submit and sign-off
    "POST /api/v1/units/{code}/disclosures": {"period"},
    "POST /api/v1/disclosures/{disclosure_id}/finance-lines": {"__all__"},
    "POST /api/v1/disclosures/{disclosure_id}/project-lines": {"__all__"},
    "POST /api/v1/disclosures/{disclosure_id}/subsidy-lines": {"__all__"},
    "POST /api/v1/disclosures/{disclosure_id}/submit": {"income_total", "spending_total"},
    "POST /api/v1/disclosures/{disclosure_id}/sign-off": {
        "__all__",
        "income_total",
        "spending_total",
    },
    # the shop (nutag/market): offering neither pick-up nor delivery; the stock left and
    # whether the product is the buyer's own; the order's state for each step, the payment
    # and the rating (a payment once confirmed, a rating once completed and only once)
    "POST /api/v1/units/{code}/products": {"pickup"},
    "POST /api/v1/products/{product_id}/orders": {"quantity"},
    "POST /api/v1/orders/{order_id}/state": {"__all__"},
    "POST /api/v1/orders/{order_id}/payment": {"amount"},
    "POST /api/v1/orders/{order_id}/rating": {"rating"},
    # a booking: the place's season, today (the clock), the room left by the confirmed
    # bookings; answering or cancelling: the booking's state
    "POST /api/v1/places/{place_id}/bookings": {"first_day", "last_day", "party", "__all__"},
    "POST /api/v1/bookings/{booking_id}/confirm": {"__all__"},
    "POST /api/v1/bookings/{booking_id}/decline": {"__all__"},
    "POST /api/v1/bookings/{booking_id}/cancel": {"__all__"},
}


def positive_data_accepted(ctx, response, case):  # type: ignore[no-untyped-def]
    """``positive_data_acceptance``, except for a 400 naming only the operation's domain
    rules (``DOMAIN_RULES``)."""
    if response.status_code == 400:
        try:
            fields = set(response.json().get("errors", {}))
        except ValueError:
            fields = set()
        allowed = DOMAIN_RULES.get(case.operation.label, set())
        if fields and fields <= allowed:
            return None
    return positive_data_acceptance(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance,  # every status answered is declared
    response_schema_conformance,  # every body (errors too: one shape) matches its schema
    negative_data_rejection,  # a request the schema calls invalid is refused
    positive_data_accepted,  # a request the schema calls valid is accepted
]


@contextlib.contextmanager
def keep_connection():  # type: ignore[no-untyped-def]
    """Calling the WSGI app directly fires request_finished, which would close the test's
    database connection (and its transaction) on PostgreSQL. Django's test client detaches
    the same receivers around each request (and attaches them again after it), so this is
    entered after the test client's last request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("logged_in", [False, True])
def test_api_never_fails_and_keeps_its_schema(cast, client, logged_in):  # type: ignore[no-untyped-def]
    # The in-process transport does not decompress: ask for plain bodies.
    headers: dict[str, str] = {"Accept-Encoding": "identity"}
    cookies: dict[str, str] = {}
    if logged_in:  # a secretary's session, with a CSRF token so writes get through
        client.force_login(cast.township1_secretary)
        client.get("/desk/login/")
        token = client.cookies["csrftoken"].value
        headers["X-CSRFToken"] = token
        cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}
    with keep_connection():
        run_all(cast, headers, cookies, logged_in)


def run_all(cast, headers, cookies, logged_in, pinned=None, aimed=None):  # type: ignore[no-untyped-def]
    """``pinned``: path parameters always set to these values (e.g. a decoy token's id, so
    the run never revokes the token it runs with). ``aimed``: path parameters set to these
    values (objects that exist) in the valid requests aimed at real objects, so that lists
    and details answer rows and their schema is checked on them too."""
    from config.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    statuses: set[int] = set()
    person = Person.objects.filter(unit=cast.village1a).first()
    assert len(operations) >= 8

    for operation in operations:
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),  # requests the schema calls invalid
        )

        @given(case=strategy, real=st.booleans())
        @settings(
            max_examples=40,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        def run(case, real):  # type: ignore[no-untyped-def]
            positive = case.meta is None or case.meta.generation.mode == GenerationMode.POSITIVE
            if real and positive and case.path_parameters:  # aim at objects that exist
                if "code" in case.path_parameters:
                    case.path_parameters["code"] = cast.village1a.code
                if "person_id" in case.path_parameters:
                    case.path_parameters["person_id"] = person.pk
                for name, value in (aimed or {}).items():
                    if name in case.path_parameters:
                        case.path_parameters[name] = value
            for name, value in (pinned or {}).items():
                if case.path_parameters and name in case.path_parameters:
                    # a negative case's id that is not a number stays: it is what is invalid
                    current = str(case.path_parameters[name])
                    if positive or (current.isascii() and current.isdigit()):
                        case.path_parameters[name] = value
            if logged_in and case.headers:  # a made-up bearer token would be refused (401)
                case.headers.pop("Authorization", None)
            # a negative case may leave out the login cookie on purpose: then send none
            dropped = not positive and "sessionid" not in (case.cookies or {})
            response = case.call(headers=headers, cookies={} if dropped else cookies)
            if positive:
                statuses.add(response.status_code)
            case.validate_response(response, checks=CHECKS)

        run()
    # The fuzzer really got through (valid requests): refused when anonymous, never refused
    # when logged in.
    # (Examples are derandomized, so the run is the same every time.)
    assert (401 in statuses) is not logged_in
    assert 200 in statuses
