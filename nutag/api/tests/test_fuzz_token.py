"""Schemathesis again, now as a program calls the API: with a token, no session, no CSRF.

A write token reaches everything its login reaches and is never refused as not logged in; a
read token is refused every write (403, declared in the schema) and nothing answers a 5xx.
"""

from __future__ import annotations

import pytest

from nutag.api.tests.test_fuzz import keep_connection, run_all
from nutag.api.tokens import token_create
from nutag.assess.tests import rounds_helpers as rh
from nutag.assess.tests import taskdata as td
from nutag.core.actors import SYSTEM
from nutag.factories import make_concern, make_youth_record

pytest.importorskip("schemathesis")


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["write", "read"])
def test_api_with_a_token_never_fails_and_keeps_its_schema(cast, scope):  # type: ignore[no-untyped-def]
    # The fuzzer may revoke a token of its login: give it a decoy's id, never its own token's
    # (which would turn every later answer into a 401, depending on the ids in the database).
    decoy, _raw = token_create(acting_user=cast.township1_secretary, name="decoy", scope=scope)
    _token, raw = token_create(acting_user=cast.township1_secretary, name="fuzz", scope=scope)
    headers = {"Accept-Encoding": "identity", "Authorization": f"Bearer {raw}"}
    with keep_connection():
        run_all(
            cast,
            headers,
            {},
            logged_in=True,
            pinned={"token_id": decoy.pk},
            aimed=_world(cast),
        )


def _world(cast):  # type: ignore[no-untyped-def]
    """Rows in the village the fuzzer aims at, so that its paginated lists answer items:
    concerns, a youth record, a task of the township with the village's report, a round."""
    for n in range(3):
        make_concern(unit=cast.village1a, text=f"第{n}件事")
    record = make_youth_record(unit=cast.village1a)
    task = td.issue(by=SYSTEM, unit=cast.township1)
    report = td.fill_and_submit(td.report_of(task, cast.village1a), by=SYSTEM)
    round_ = rh.open_round(cast.township1)
    assessment = rh.submitted(rh.assessment_of(round_, cast.village1a))
    return {
        "concern_id": make_concern(unit=cast.village1a).pk,
        "record_id": record.pk,
        "task_id": task.pk,
        "report_id": report.pk,
        "round_id": round_.pk,
        "assessment_id": assessment.pk,
    }
