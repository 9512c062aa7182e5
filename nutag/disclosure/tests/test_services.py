from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nutag.core.actors import SYSTEM
from nutag.core.errors import NotFound
from nutag.core.models import AuditEntry
from nutag.disclosure import services
from nutag.disclosure.models import Disclosure, DisclosureKind, DisclosureStatus, FinanceLine
from nutag.disclosure.periods import mask_household, parse_period
from nutag.disclosure.selectors import changes_since_previous, public_disclosures, tables_of
from nutag.disclosure.tests.helpers import finance_draft, quarter, signed
from nutag.voice.models import Concern

pytestmark = pytest.mark.django_db


# --- negatives first -------------------------------------------------------------------------


def test_a_sibling_village_secretary_cannot_write_or_sign(cast):
    d = finance_draft(cast.village1a)
    with pytest.raises(NotFound):
        services.finance_line_add(
            acting_user=cast.village2a_secretary,
            disclosure=d,
            direction="income",
            item="x",
            amount=Decimal(1),
        )
    with pytest.raises(NotFound):
        services.disclosure_create(
            acting_user=cast.village2a_secretary,
            unit=cast.village1a,
            kind=DisclosureKind.FINANCE,
            period=quarter("2026-Q2"),
            title="越权",
        )
    services.disclosure_submit(acting_user=SYSTEM, disclosure=d)
    with pytest.raises(NotFound):
        services.disclosure_sign_off(acting_user=cast.village2a_secretary, disclosure=d)
    with pytest.raises(NotFound):  # an officer writes but never signs off
        services.disclosure_sign_off(acting_user=cast.village1a_officer, disclosure=d)
    with pytest.raises(NotFound):  # residents neither
        services.disclosure_sign_off(acting_user=cast.resident, disclosure=d)
    assert Disclosure.objects.get(pk=d.pk).status == DisclosureStatus.SUBMITTED


def test_the_submitter_does_not_sign_off_their_own(cast):
    d = finance_draft(cast.village1a)
    services.disclosure_submit(acting_user=cast.village1a_secretary, disclosure=d)
    with pytest.raises(NotFound):
        services.disclosure_sign_off(acting_user=cast.village1a_secretary, disclosure=d)
    services.disclosure_sign_off(acting_user=cast.township1_secretary, disclosure=d)
    assert Disclosure.objects.get(pk=d.pk).status == DisclosureStatus.SIGNED_OFF


def test_totals_that_do_not_add_up_are_refused_with_the_difference(cast):
    d = finance_draft(cast.village1a, income="1000", spending="600")
    services.finance_line_add(
        acting_user=SYSTEM, disclosure=d, direction="spending", item="修路", amount=Decimal("50.5")
    )
    with pytest.raises(ValidationError) as caught:
        services.disclosure_submit(acting_user=cast.village1a_officer, disclosure=d)
    errors = caught.value.message_dict
    assert "spending_total" in errors and "income_total" not in errors
    message = errors["spending_total"][0]
    assert "650.50" in message and "600.00" in message and "50.50" in message
    assert Disclosure.objects.get(pk=d.pk).status == DisclosureStatus.DRAFT


def test_missing_declared_totals_are_refused(cast):
    d = services.disclosure_create(
        acting_user=SYSTEM,
        unit=cast.village1a,
        kind=DisclosureKind.FINANCE,
        period=quarter(),
        title="无合计",
    )
    with pytest.raises(ValidationError) as caught:
        services.disclosure_submit(acting_user=SYSTEM, disclosure=d)
    assert set(caught.value.message_dict) == {"income_total", "spending_total"}


def test_negative_amounts_are_refused(cast):
    d = finance_draft(cast.village1a)
    for call in (
        lambda: services.finance_line_add(
            acting_user=SYSTEM, disclosure=d, direction="income", item="x", amount=Decimal("-1")
        ),
        lambda: services.project_line_add(
            acting_user=SYSTEM, disclosure=d, name="路", budget=Decimal("-5")
        ),
        lambda: services.subsidy_line_add(
            acting_user=SYSTEM, disclosure=d, household="李四", kind="补贴", amount=Decimal("-0.01")
        ),
    ):
        with pytest.raises(ValidationError):
            call()
    with pytest.raises(ValidationError):
        services.project_line_add(
            acting_user=SYSTEM, disclosure=d, name="路", budget=Decimal(5), progress=101
        )
    with pytest.raises(ValidationError):
        services.disclosure_update(
            acting_user=SYSTEM, disclosure=d, title="t", income_total=Decimal("-3")
        )
    assert FinanceLine.objects.filter(disclosure=d).count() == 2


def test_a_signed_off_disclosure_never_changes(cast):
    d = signed(cast.village1a)
    edits = [
        lambda: services.finance_line_add(
            acting_user=cast.village1a_secretary,
            disclosure=d,
            direction="income",
            item="补录",
            amount=Decimal(1),
        ),
        lambda: services.disclosure_update(
            acting_user=cast.village1a_secretary, disclosure=d, title="改标题"
        ),
        lambda: services.line_remove(
            acting_user=cast.village1a_secretary,
            disclosure=d,
            line_kind="finance",
            line_id=d.finance.first().pk,
        ),
        lambda: services.disclosure_submit(acting_user=cast.village1a_secretary, disclosure=d),
    ]
    for edit in edits:
        with pytest.raises(ValidationError) as caught:
            edit()
        assert caught.value.error_list[0].code == "signed_off"
        assert "新版本" in caught.value.messages[0]  # says how to correct it (zh-hans)
    fresh = Disclosure.objects.get(pk=d.pk)
    assert fresh.title == d.title and fresh.finance.count() == 2


def test_a_submitted_disclosure_is_returned_before_it_changes(cast):
    d = finance_draft(cast.village1a)
    services.disclosure_submit(acting_user=cast.village1a_officer, disclosure=d)
    with pytest.raises(ValidationError):
        services.disclosure_update(acting_user=cast.village1a_officer, disclosure=d, title="x")
    with pytest.raises(ValidationError):  # a reason is needed
        services.disclosure_return(acting_user=cast.village1a_secretary, disclosure=d, note=" ")
    services.disclosure_return(acting_user=cast.village1a_secretary, disclosure=d, note="缺附件")
    d.refresh_from_db()
    assert d.status == DisclosureStatus.DRAFT and d.returned_note == "缺附件"
    services.disclosure_update(
        acting_user=cast.village1a_officer,
        disclosure=d,
        title="改",
        income_total=Decimal(1000),
        spending_total=Decimal(600),
    )


def test_one_disclosure_per_unit_kind_and_period(cast):
    finance_draft(cast.village1a)
    with pytest.raises(ValidationError) as caught:
        services.disclosure_create(
            acting_user=SYSTEM,
            unit=cast.village1a,
            kind=DisclosureKind.FINANCE,
            period=quarter(),
            title="重复",
        )
    assert "period" in caught.value.message_dict


def test_periods_are_quarters_or_months():
    assert parse_period("2026-Q3").start.month == 7  # type: ignore[union-attr]
    assert parse_period("2026-Q4").end.day == 31  # type: ignore[union-attr]
    assert parse_period("2024-02").end.day == 29  # type: ignore[union-attr]
    for bad in ("2026-Q5", "2026-13", "26-Q1", "1999-Q1", "", "2026Q1"):
        assert parse_period(bad) is None


# --- corrections -----------------------------------------------------------------------------


def test_a_correction_is_a_new_version_showing_what_changed(cast):
    first = signed(cast.village1a)
    with pytest.raises(ValidationError):  # say what it corrects
        services.disclosure_correct(acting_user=cast.village1a_officer, disclosure=first, note="")
    second = services.disclosure_correct(
        acting_user=cast.village1a_officer, disclosure=first, note="办公费录错"
    )
    assert second.version == 2 and second.supersedes_id == first.pk
    assert second.status == DisclosureStatus.DRAFT and second.finance.count() == 2
    with pytest.raises(ValidationError):  # one correction of a version at a time
        services.disclosure_correct(
            acting_user=cast.village1a_officer, disclosure=first, note="再改"
        )
    office = second.finance.get(item="办公费")
    services.line_remove(
        acting_user=cast.village1a_officer,
        disclosure=second,
        line_kind="finance",
        line_id=office.pk,
    )
    services.finance_line_add(
        acting_user=cast.village1a_officer,
        disclosure=second,
        direction="spending",
        item="办公费",
        amount=Decimal("500"),
    )
    services.finance_line_add(
        acting_user=cast.village1a_officer,
        disclosure=second,
        direction="spending",
        item="慰问",
        amount=Decimal("100"),
    )
    services.disclosure_submit(acting_user=cast.village1a_officer, disclosure=second)
    services.disclosure_sign_off(acting_user=cast.village1a_secretary, disclosure=second)
    changes = {
        (c.what, c.label.split(": ")[-1]): (c.before, c.after)
        for c in changes_since_previous(second)
    }
    assert changes[("changed", "办公费")] == ("600.00", "500.00")
    assert changes[("added", "慰问")] == ("", "100.00")
    # the site shows the newest signed-off version only; the first one stays as it was
    assert list(public_disclosures(unit=cast.village1a)) == [Disclosure.objects.get(pk=second.pk)]
    assert Disclosure.objects.get(pk=first.pk).finance.get(item="办公费").amount == Decimal(600)
    assert AuditEntry.objects.filter(
        object_type="disclosure.disclosure", object_id=str(second.pk)
    ).exists()


# --- masking and questions -------------------------------------------------------------------


def test_household_names_are_masked_by_the_banner_rule(cast):
    assert mask_household("张三丰", "keep_surname") == "张**"
    assert mask_household("张三", "keep_surname") == "张*"
    assert mask_household("张三丰", "keep_first_last") == "张*丰"
    assert mask_household("张三丰", "hide") == "***"
    d = signed(cast.village1a)
    assert tables_of(d).subsidies[0]["household"] == "张**"
    assert tables_of(d, unmasked=True).subsidies[0]["household"] == "张三丰"
    from nutag.disclosure.models import DisclosureRules

    DisclosureRules.objects.create(banner=cast.banner, mask_rule="hide")
    assert tables_of(d).subsidies[0]["household"] == "***"


def test_asking_about_a_line_raises_a_concern_linked_to_it(cast):
    d = signed(cast.village1a)
    line = d.finance.first()
    with pytest.raises(NotFound):  # another village's secretary
        services.disclosure_ask(
            acting_user=cast.village2a_secretary,
            disclosure=d,
            line_kind="finance",
            line_id=line.pk,
            text="问",
        )
    with pytest.raises(ValidationError):
        services.disclosure_ask(
            acting_user=cast.resident, disclosure=d, line_kind="finance", line_id=line.pk, text=" "
        )
    draft = finance_draft(cast.village1a, code="2026-Q2")
    with pytest.raises(NotFound):  # nobody asks about a draft
        services.disclosure_ask(
            acting_user=cast.resident,
            disclosure=draft,
            line_kind="finance",
            line_id=draft.finance.first().pk,
            text="问",
        )
    with pytest.raises(NotFound):  # a line of another disclosure
        services.disclosure_ask(
            acting_user=cast.resident,
            disclosure=d,
            line_kind="finance",
            line_id=draft.finance.first().pk,
            text="问",
        )
    question = services.disclosure_ask(
        acting_user=cast.resident,
        disclosure=d,
        line_kind="finance",
        line_id=line.pk,
        text="这笔钱用在哪里？",
    )
    concern = Concern.objects.get(pk=question.concern_id)
    assert concern.origin_id == cast.village1a.pk and not concern.is_public
    assert "上级转移支付" in concern.text and "这笔钱用在哪里" in concern.text
    assert (question.line_kind, question.line_id) == ("finance", line.pk)
    subsidy = d.subsidies.first()
    q2 = services.disclosure_ask(
        acting_user=cast.resident,
        disclosure=d,
        line_kind="subsidy",
        line_id=subsidy.pk,
        text="标准？",
    )
    assert "张三丰" not in Concern.objects.get(pk=q2.concern_id).text  # never the household


def _told(user, kind):  # type: ignore[no-untyped-def]
    from nutag.notify.models import Notification

    return list(
        Notification.objects.filter(recipient__user=user, kind=kind).values_list("link", flat=True)
    )


def test_a_submission_tells_the_committee_but_never_the_submitter(cast):
    d = finance_draft(cast.village1a)
    services.disclosure_submit(acting_user=cast.village1a_officer, disclosure=d)
    link = f"/desk/u/{cast.village1a.code}/disclosure/{d.pk}/"
    assert _told(cast.village1a_secretary, "disclosure_submitted") == [link]
    assert _told(cast.village1a_officer, "disclosure_submitted") == []  # the submitter
    assert _told(cast.village2a_secretary, "disclosure_submitted") == []  # a sibling village
    assert _told(cast.township1_secretary, "disclosure_submitted") == []  # not needed above


def test_a_secretary_submitting_their_own_tells_the_unit_above(cast):
    d = finance_draft(cast.village1a)
    services.disclosure_submit(acting_user=cast.village1a_secretary, disclosure=d)
    assert _told(cast.village1a_secretary, "disclosure_submitted") == []
    assert len(_told(cast.township1_secretary, "disclosure_submitted")) == 1


def test_a_returned_disclosure_tells_its_submitter_why(cast):
    d = finance_draft(cast.village1a)
    services.disclosure_submit(acting_user=cast.village1a_officer, disclosure=d)
    with pytest.raises(ValidationError):
        services.disclosure_return(acting_user=cast.village1a_secretary, disclosure=d, note=" ")
    assert _told(cast.village1a_officer, "disclosure_returned") == []
    services.disclosure_return(acting_user=cast.village1a_secretary, disclosure=d, note="补上收据")
    assert len(_told(cast.village1a_officer, "disclosure_returned")) == 1
    assert _told(cast.village1a_secretary, "disclosure_returned") == []
