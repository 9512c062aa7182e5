"""The Django side of bench/faults' saturation and Celery scenarios: run inside the served
site's own settings (``manage.py shell -c``), through the services with ``SYSTEM``; each
prints one JSON line for bench/faults.py to read.

- ``make_residents``: residents of a banner's villages with real logins (invitation issued
  and accepted, as a resident does on a phone) and one write API token each;
- ``count_submissions``: how many concerns the database holds for each Idempotency-Key of
  a run (its key is in the concern's text too, so the count does not trust the key table);
- ``make_notice``: herders with mobile numbers, and one emergency notice to the banner:
  one SMS delivery each, handed to the broker on commit (the batch a worker is killed in);
- ``delivery_states``: the event's deliveries by state, and the message keys sent.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

MARK = "压测"  # in every name and text the scenarios write


def _say(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False))  # read by bench/faults.py


def make_residents(*, banner: str, count: int, run: str) -> None:
    """``count`` residents, one in each of the banner's villages and communities in turn
    (a tracking number is counted per unit: one village's concerns are numbered one after
    the other, so the load spreads as a banner's does), each with a login and a token."""
    from nutag.api.tokens import token_create
    from nutag.core.actors import SYSTEM
    from nutag.orgs.models import Unit, UnitKind
    from nutag.people.accounts.services import invitation_accept, invitation_issue
    from nutag.people.services import PersonInput, person_create

    root = Unit.objects.get(code=banner)
    villages = list(
        Unit.objects.filter(
            path__startswith=root.path, kind__in=[UnitKind.VILLAGE, UnitKind.COMMUNITY]
        ).order_by("path")
    )
    residents = []
    for i in range(count):
        unit = villages[i % len(villages)]
        person = person_create(
            acting_user=SYSTEM,
            unit=unit,
            data=PersonInput(name=f"{MARK}牧民{run}{i}", phone=f"139{i:08d}", is_resident=True),
        )
        issued = invitation_issue(acting_user=SYSTEM, person=person)
        user = invitation_accept(
            token=issued.token, username=f"bench-{run}-{i}", password=secrets.token_urlsafe(16)
        )
        _, raw = token_create(acting_user=user, name="bench/faults", scope="write")
        residents.append([raw, unit.code])
    _say(residents)


def count_submissions(*, run: str) -> None:
    from nutag.voice.models import Concern

    counts: dict[str, int] = {}
    for text in Concern.objects.filter(text__contains=f"[{run}").values_list("text", flat=True):
        key = text.rsplit("[", 1)[1].rstrip("]")
        counts[key] = counts.get(key, 0) + 1
    _say(counts)


def make_notice(*, banner: str, village: str, herders: int) -> None:
    from nutag.core.actors import SYSTEM
    from nutag.notify.services import notice_send
    from nutag.orgs.models import Unit
    from nutag.people.models import Person

    unit = Unit.objects.get(code=banner)
    home = Unit.objects.get(code=village)
    # Many herders at once: written in bulk (the services' person_create is one by one).
    Person.objects.bulk_create(
        [
            Person(
                unit=home,
                unit_path=home.path,
                name=f"{MARK}牧户{i}",
                name_pinyin=f"yace{i}",
                name_initials="yc",
                phone=f"137{i:08d}",
            )
            for i in range(herders)
        ],
        batch_size=1000,
    )
    told = notice_send(
        acting_user=SYSTEM, unit=unit, text=f"{MARK}：暴雪预警，请转移牲畜", emergency=True
    )
    from nutag.notify.models import Notification

    event = Notification.objects.filter(kind="emergency").latest("pk").event_key
    _say({"told": told, "event": event})


def delivery_states(*, event: str) -> None:
    from django.db.models import Count

    from nutag.notify.models import Delivery

    rows = Delivery.objects.filter(notification__event_key=event)
    states = dict(rows.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    sent = list(rows.filter(state="sent").values_list("sent_key", flat=True))
    attempts = dict(
        rows.values_list("attempts").annotate(n=Count("pk")).values_list("attempts", "n")
    )
    _say({"states": states, "sent": sent, "attempts": {str(k): v for k, v in attempts.items()}})
