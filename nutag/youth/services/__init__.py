"""Every write of youth care: ``records`` (records, pairs, visits, needs, good deeds, coming of
age), ``activities`` (activities, sign-ups with consent, check-in, photos, the report) and
``photos`` (visit photos, kept private)."""

from nutag.youth.services.activities import (
    activity_create,
    activity_photo_add,
    activity_report_publish,
    attendance_mark,
    check_in_by_token,
    signup_create,
    signup_photo_consent_withdraw,
    signup_remove,
)
from nutag.youth.services.lifecycle import (
    policy_update,
    records_archive_adults,
    records_delete_expired,
    records_follow_young,
)
from nutag.youth.services.photos import visit_photo_add
from nutag.youth.services.records import (
    TEXT_FIELDS,
    good_deed_create,
    need_create,
    need_resolve,
    pairing_create,
    pairing_end,
    record_create,
    record_delete,
    record_update,
    visit_create,
)

__all__ = [
    "TEXT_FIELDS",
    "activity_create",
    "activity_photo_add",
    "activity_report_publish",
    "attendance_mark",
    "check_in_by_token",
    "good_deed_create",
    "need_create",
    "need_resolve",
    "pairing_create",
    "pairing_end",
    "policy_update",
    "record_create",
    "record_delete",
    "record_update",
    "records_archive_adults",
    "records_delete_expired",
    "records_follow_young",
    "signup_create",
    "signup_photo_consent_withdraw",
    "signup_remove",
    "visit_create",
    "visit_photo_add",
]
