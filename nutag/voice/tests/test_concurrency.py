"""Two officers answering at once, and one submission retried at once with the same key,
each in its own thread and database connection (see the assess test of the same kind)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from nutag.factories import make_concern
from nutag.voice import services
from nutag.voice.models import Concern, StepKind
from nutag.voice.services import banner_of, categories_ensure


def _race(work, names):  # type: ignore[no-untyped-def]
    together = connection.vendor != "sqlite"
    loaded = threading.Barrier(len(names))
    first_done = threading.Event()
    outcome: dict[str, object] = {}

    def run(name: str) -> None:
        try:
            loaded.wait(timeout=10)
            if not together and name != names[0]:
                first_done.wait(timeout=10)
            try:
                outcome[name] = work(name)
            except ValidationError as exc:
                outcome[name] = exc
        finally:
            first_done.set()
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcome


@pytest.mark.django_db(transaction=True)
def test_two_officers_answering_at_once_end_with_one_answer(cast):
    concern = make_concern(unit=cast.village1a)
    users = {"secretary": cast.village1a_secretary, "officer": cast.village1a_officer}

    def answer(name: str) -> object:
        return services.concern_answer(
            acting_user=users[name], concern=concern, version=1, answer=f"{name}的答复"
        )

    outcome = _race(answer, ["secretary", "officer"])
    refused = [v for v in outcome.values() if isinstance(v, ValidationError)]
    assert len(refused) == 1 and refused[0].code == "changed", outcome
    stored = Concern.objects.get(pk=concern.pk)
    assert stored.version == 2 and stored.state == "answered"
    assert stored.steps.filter(kind=StepKind.ANSWERED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_retried_submission_is_stored_once(cast):
    category = categories_ensure(acting_user=cast.resident, banner=banner_of(cast.village1a))[0]

    def submit(name: str) -> object:
        return services.concern_submit(
            acting_user=cast.resident,
            unit=cast.village1a,
            category=category,
            text="信号不好，重发一次",
            idempotency_key="retry-1",
        )

    outcome = _race(submit, ["first", "retry"])
    assert Concern.objects.count() == 1, outcome
    pks = {v.concern.pk for v in outcome.values()}  # type: ignore[attr-defined]
    assert len(pks) == 1
