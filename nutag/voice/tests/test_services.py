"""The concern workflow: who may raise and handle, routing, numbers, idempotency, the
compare-and-set, escalation, anonymising. Negatives first."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.factories import PersonFactory, make_concern
from nutag.notify.models import Kind, Notification
from nutag.people.models import Person
from nutag.voice import services
from nutag.voice.models import Concern, ConcernState, RoutingRule, StepKind, SubmissionKey
from nutag.voice.services import banner_of, categories_ensure


def _category(unit, key="pasture"):  # type: ignore[no-untyped-def]
    return next(
        c for c in categories_ensure(acting_user=SYSTEM, banner=banner_of(unit)) if c.key == key
    )


def _submit(user, unit, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("category", _category(unit))
    kw.setdefault("text", "冬季草场的围栏被雪压倒了")
    return services.concern_submit(acting_user=user, unit=unit, **kw)


def _png() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buf, "PNG")
    return SimpleUploadedFile("photo.png", buf.getvalue(), content_type="image/png")


# --- raising -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_resident_cannot_raise_at_a_sibling_village_or_above(cast):
    for unit in (cast.village1b, cast.township1, cast.banner, cast.village2a):
        with pytest.raises(NotFound):
            _submit(cast.resident, unit)
    assert not Concern.objects.exists()


@pytest.mark.django_db
def test_an_officer_of_another_village_cannot_raise_on_behalf(cast):
    with pytest.raises(NotFound):
        _submit(cast.village2a_secretary, cast.village1a)


@pytest.mark.django_db
def test_bad_input_is_refused_field_by_field(cast):
    with pytest.raises(ValidationError) as exc:
        _submit(cast.resident, cast.village1a, text="   ", category=_category(cast.village1a))
    assert "text" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _submit(cast.resident, cast.village1a, is_anonymous=True)  # pasture: not anonymous
    assert "is_anonymous" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _submit(cast.resident, cast.village1a, photos=[_png() for _ in range(7)])
    assert "photos" in exc.value.message_dict
    assert not Concern.objects.exists()


@pytest.mark.django_db
def test_a_resident_raises_at_their_village_and_its_officers_hear(cast):
    done = _submit(cast.resident, cast.village1a, photos=[_png()], location="三队冬营地")
    concern = done.concern
    assert done.created and done.problems == []
    assert concern.unit == cast.village1a
    assert concern.person == Person.objects.get(user=cast.resident)
    assert not concern.on_behalf
    assert concern.number.startswith(f"{cast.village1a.code}-{timezone.localdate().year}-")
    assert len(concern.photos) == 1
    assert concern.steps.get().kind == StepKind.RECEIVED
    told = Notification.objects.filter(kind=Kind.CONCERN_RECEIVED)
    assert {n.recipient.user for n in told} == {cast.village1a_secretary, cast.village1a_officer}
    assert AuditEntry.objects.filter(object_type="voice.concern", action="create").count() == 1


@pytest.mark.django_db
def test_an_officer_raises_on_behalf_of_a_caller(cast):
    caller = PersonFactory(unit=cast.village1a, name="打电话的牧民")
    concern = _submit(cast.village1a_officer, cast.village1a, person=caller).concern
    assert concern.on_behalf and concern.person == caller


@pytest.mark.django_db
def test_numbers_are_sequential_per_unit_and_year(cast):
    a = _submit(cast.resident, cast.village1a).concern
    b = _submit(cast.resident, cast.village1a).concern
    assert a.number.endswith("-00001") and b.number.endswith("-00002")


@pytest.mark.django_db
def test_the_same_key_twice_returns_the_first_concern(cast):
    first = _submit(cast.resident, cast.village1a, idempotency_key="k-1")
    again = _submit(cast.resident, cast.village1a, idempotency_key="k-1", text="另一次")
    assert first.created and not again.created
    assert again.concern.pk == first.concern.pk
    assert Concern.objects.count() == 1
    # Another login's same key is another submission.
    other = _submit(cast.volunteer, cast.village1a, idempotency_key="k-1")
    assert other.created and Concern.objects.count() == 2


@pytest.mark.django_db
def test_a_bad_idempotency_key_is_refused(cast):
    with pytest.raises(ValidationError):
        _submit(cast.resident, cast.village1a, idempotency_key="空 格")
    assert not SubmissionKey.objects.exists()


@pytest.mark.django_db
def test_a_broken_voice_note_keeps_the_text(cast):
    broken = SimpleUploadedFile("note.webm", b"\x00\x00partial", content_type="audio/webm")
    done = _submit(cast.resident, cast.village1a, voice_note=broken)
    assert done.created and done.problems
    assert done.concern.voice_note == "" and done.concern.text


@pytest.mark.django_db
def test_a_disguised_voice_note_is_left_out(cast):
    fake = SimpleUploadedFile("note.ogg", b"MZ\x90\x00 not audio", content_type="audio/ogg")
    done = _submit(cast.resident, cast.village1a, voice_note=fake)
    assert done.problems and done.concern.voice_note == ""


@pytest.mark.django_db
def test_a_real_voice_note_is_stored(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    note = SimpleUploadedFile("note.webm", b"\x1a\x45\xdf\xa3" + b"\x00" * 64)
    done = _submit(cast.resident, cast.village1a, voice_note=note)
    assert done.problems == [] and done.concern.voice_note.endswith(".webm")


# --- routing -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_township_rule_routes_a_category(cast):
    category = _category(cast.village1a, "schooling")
    RoutingRule.objects.create(township=cast.township1, category=category, target=cast.school1)
    routed = _submit(cast.resident, cast.village1a, category=category).concern
    assert routed.unit == cast.school1 and routed.origin == cast.village1a
    other = _submit(cast.resident, cast.village1a).concern  # pasture: no rule
    assert other.unit == cast.village1a


@pytest.mark.django_db
def test_passing_on_stays_inside_the_officers_subtree(cast):
    concern = make_concern(unit=cast.village1a)
    for target in (cast.village2a, cast.township2, cast.banner):
        with pytest.raises(NotFound):
            services.concern_pass(
                acting_user=cast.township1_officer,
                concern=concern,
                version=concern.version,
                target=target,
            )
    with pytest.raises(NotFound):  # a village officer cannot pass it up
        services.concern_pass(
            acting_user=cast.village1a_officer,
            concern=concern,
            version=concern.version,
            target=cast.township1,
        )
    passed = services.concern_pass(
        acting_user=cast.township1_officer,
        concern=concern,
        version=concern.version,
        target=cast.village1b,
        note="属于一乙嘎查的草场",
    )
    assert passed.unit == cast.village1b and passed.unit_path == cast.village1b.path
    assert passed.steps.filter(kind=StepKind.PASSED, note="属于一乙嘎查的草场").exists()


# --- workflow ------------------------------------------------------------------------


@pytest.mark.django_db
def test_others_cannot_handle_a_concern(cast):
    concern = make_concern(unit=cast.village1a)
    for user in (cast.village2a_secretary, cast.resident, cast.volunteer):
        with pytest.raises(NotFound):
            services.concern_accept(acting_user=user, concern=concern, version=concern.version)
    assert Concern.objects.get(pk=concern.pk).state == ConcernState.RECEIVED


@pytest.mark.django_db
def test_only_the_resident_closes_or_reopens(cast):
    concern = _submit(cast.resident, cast.village1a).concern
    services.concern_answer(
        acting_user=cast.village1a_officer, concern=concern, version=1, answer="已修好"
    )
    for user in (cast.village1a_officer, cast.volunteer):
        with pytest.raises(NotFound):
            services.concern_close(acting_user=user, concern=concern, version=2, rating=5)


@pytest.mark.django_db
def test_the_whole_way_with_steps_and_notices(cast):
    concern = _submit(cast.resident, cast.village1a).concern
    officer = cast.village1a_officer
    concern = services.concern_accept(acting_user=officer, concern=concern, version=1)
    concern = services.concern_start(acting_user=officer, concern=concern, version=2)
    with pytest.raises(ValidationError):
        services.concern_answer(acting_user=officer, concern=concern, version=3, answer=" ")
    concern = services.concern_answer(
        acting_user=officer, concern=concern, version=3, answer="明天派人修围栏"
    )
    assert concern.state == ConcernState.ANSWERED and concern.answered_at
    assert Notification.objects.filter(
        kind=Kind.CONCERN_ANSWERED, recipient__user=cast.resident
    ).exists()
    with pytest.raises(ValidationError):
        services.concern_close(acting_user=cast.resident, concern=concern, version=4, rating=6)
    with pytest.raises(ValidationError):
        services.concern_reopen(acting_user=cast.resident, concern=concern, version=4, note="")
    concern = services.concern_reopen(
        acting_user=cast.resident, concern=concern, version=4, note="还没修"
    )
    assert concern.state == ConcernState.REOPENED
    concern = services.concern_answer(
        acting_user=officer, concern=concern, version=5, answer="已经修好了"
    )
    concern = services.concern_close(
        acting_user=cast.resident, concern=concern, version=6, rating=4, comment="谢谢"
    )
    assert concern.state == ConcernState.CLOSED and concern.rating == 4
    kinds = list(concern.steps.values_list("kind", flat=True))
    assert kinds == [
        "received",
        "accepted",
        "in_progress",
        "answered",
        "reopened",
        "answered",
        "closed",
    ]
    assert all(s.at for s in concern.steps.all())


@pytest.mark.django_db
def test_a_step_out_of_order_is_refused(cast):
    concern = make_concern(unit=cast.village1a)
    with pytest.raises(ValidationError):
        services.concern_close(acting_user=SYSTEM, concern=concern, version=1, rating=3)


@pytest.mark.django_db
def test_a_stale_version_is_refused_and_changes_nothing(cast):
    concern = make_concern(unit=cast.village1a)
    services.concern_answer(
        acting_user=cast.village1a_secretary, concern=concern, version=1, answer="第一位的答复"
    )
    with pytest.raises(ValidationError) as exc:
        services.concern_answer(
            acting_user=cast.village1a_officer, concern=concern, version=1, answer="第二位"
        )
    assert exc.value.code == "changed"
    stored = Concern.objects.get(pk=concern.pk)
    assert stored.answer == "第一位的答复" and stored.version == 2
    assert stored.steps.filter(kind=StepKind.ANSWERED).count() == 1


# --- escalation ----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_overdue_concern_goes_up_once_per_deadline(cast):
    concern = make_concern(unit=cast.village1a)
    later = concern.due_at + dt.timedelta(minutes=1)
    assert services.escalate_overdue(now=concern.due_at - dt.timedelta(minutes=1)) == 0
    assert services.escalate_overdue(now=later) == 1
    concern.refresh_from_db()
    assert concern.unit == cast.township1 and concern.escalations == 1
    assert concern.due_at > later
    assert services.escalate_overdue(now=later) == 0  # new deadline: not again
    assert Notification.objects.filter(
        kind=Kind.CONCERN_OVERDUE, recipient__user=cast.township1_officer
    ).exists()
    # Up to the banner, where it stays.
    services.escalate_overdue(now=concern.due_at + dt.timedelta(minutes=1))
    concern.refresh_from_db()
    assert concern.unit == cast.banner
    assert services.escalate_overdue(now=concern.due_at + dt.timedelta(days=1)) == 0


@pytest.mark.django_db
def test_answered_concerns_do_not_escalate(cast):
    concern = make_concern(unit=cast.village1a)
    services.concern_answer(acting_user=SYSTEM, concern=concern, version=1, answer="好")
    assert services.escalate_overdue(now=concern.due_at + dt.timedelta(days=1)) == 0


# --- leaving -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_who_leaves_leaves_their_concerns_anonymised(cast):
    concern = _submit(cast.resident, cast.village1a, location="冬营地").concern
    person = Person.objects.get(user=cast.resident)
    assert services.concerns_anonymise_person(acting_user=SYSTEM, person=person) == 1
    cast.resident.delete()
    stored = Concern.objects.get(pk=concern.pk)
    assert stored.person is None and stored.raised_by is None and stored.location == ""
    assert stored.text


@pytest.mark.django_db
def test_deleting_a_login_keeps_the_concern(cast):
    concern = _submit(cast.resident, cast.village1a).concern
    cast.resident.delete()
    assert Concern.objects.get(pk=concern.pk).raised_by is None
