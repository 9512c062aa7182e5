"""Schemathesis again, now as a program calls the API: with a token, no session, no CSRF.

A write token reaches everything its login reaches and is never refused as not logged in; a
read token is refused every write (403, declared in the schema) and nothing answers a 5xx.
"""

from __future__ import annotations

import pytest

from nutag.api.tests.test_fuzz import keep_connection, run_all
from nutag.api.tokens import token_create

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
        run_all(cast, headers, {}, logged_in=True, pinned={"token_id": decoy.pk})
