"""Reads of young people's records. Every opening is audited (``youth.audit``)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from nutag.core.actors import Actor, AnyUser, SystemActor
from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.people.models import Guardianship, Person
from nutag.youth import audit
from nutag.youth.models import Need, Pairing, RecordStatus, Visit, YouthRecord
from nutag.youth.permissions import can_list_records, can_view_record


def _fetch(pk: int | str) -> YouthRecord:
    try:
        return YouthRecord.objects.select_related("young__person", "unit").get(pk=int(pk))
    except (YouthRecord.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound from exc


def access_record(*, user: Actor, pk: int | str, purpose: str = audit.OPEN) -> YouthRecord:
    """The record, if ``user`` may read it; 404 for missing *and* not yours.

    Writes one audit row either way (``purpose``, or ``refused``): a fixed number of queries.
    """
    record = _fetch(pk)
    if not isinstance(user, SystemActor) and not can_view_record(user, record):
        audit.audit_read(actor=user, obj=record, unit=record.unit, purpose=audit.REFUSED)
        raise NotFound
    audit.audit_read(actor=user, obj=record, unit=record.unit, purpose=purpose)
    return record


def record_details(*, record: YouthRecord) -> dict[str, object]:
    """What the record page shows besides the record: guardians, pairs with their visits, needs.

    Call only with a record returned by ``access_record``."""
    guardians = list(
        Guardianship.objects.filter(young_id=record.young_id).select_related("guardian")
    )
    pairs = list(
        Pairing.objects.filter(record=record).prefetch_related(
            Prefetch("elders", queryset=Person.objects.only("id", "name", "user_id")),
            Prefetch(
                "visits",
                queryset=Visit.objects.order_by("-visited_on", "-id").prefetch_related("photos"),
            ),
        )
    )
    needs = list(Need.objects.filter(record=record))
    return {
        "guardians": guardians,
        "pairs": pairs,
        "needs": needs,
        "circumstances": list(record.circumstances.all()),
    }


def records_of_unit(*, user: AnyUser, unit: Unit) -> QuerySet[YouthRecord]:
    """The active records of ``unit`` and below (for a list: names shown masked)."""
    if not can_list_records(user, unit):
        raise NotFound
    return (
        YouthRecord.objects.filter(subtree_q(unit.path, "unit_path"), status=RecordStatus.ACTIVE)
        .select_related("young__person", "unit")
        .prefetch_related("circumstances")
        .order_by("unit_path", "young__person__name_pinyin", "id")
    )


def pairs_of_user(*, user: AnyUser) -> QuerySet[Pairing]:
    """The current pairs of the elder logged in as ``user`` (their own young people only)."""
    if not user.is_authenticated:
        return Pairing.objects.none()
    return (
        Pairing.objects.filter(
            elders__user_id=user.pk, ended_on__isnull=True, record__status=RecordStatus.ACTIVE
        )
        .select_related("record__young__person")
        .distinct()
    )
