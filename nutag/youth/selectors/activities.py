"""Reads of activities: a unit's list, one activity (404 when out of reach), the photo rule."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from nutag.core.actors import AnyUser
from nutag.core.errors import NotFound
from nutag.orgs.models import Unit
from nutag.orgs.paths import subtree_q
from nutag.youth.models import Activity, ActivityPhoto, SignUp
from nutag.youth.permissions import can_manage_activities, can_view_activity


def activities_of_unit(*, user: AnyUser, unit: Unit) -> QuerySet[Activity]:
    """The activities of ``unit`` and below, newest first, with their counts."""
    if not can_manage_activities(user, unit):
        raise NotFound
    return (
        Activity.objects.filter(subtree_q(unit.path, "unit_path"))
        .select_related("unit")
        .annotate(
            signed_up=Count("signups", distinct=True),
            present=Count("signups", filter=Q(signups__checked_in_at__isnull=False), distinct=True),
        )
        .order_by("-held_on", "-id")
    )


def access_activity(*, user: AnyUser, pk: int | str) -> Activity:
    try:
        activity = Activity.objects.select_related("unit").get(pk=int(pk))
    except (Activity.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound from exc
    if not can_view_activity(user, activity):
        raise NotFound
    return activity


def activity_signups(*, activity: Activity) -> list[SignUp]:
    return list(
        SignUp.objects.filter(activity=activity)
        .select_related("young__person", "consent_by")
        .order_by("young__person__name_pinyin", "id")
    )


def photo_is_public(photo: ActivityPhoto) -> bool:
    """The rule, for one photo: it shows nobody, or it has tags and every tagged young person
    signed up to its activity with photo consent."""
    if photo.shows_nobody:
        return True
    tagged = list(photo.tagged.values_list("pk", flat=True))
    if not tagged:
        return False
    consenting = set(
        SignUp.objects.filter(
            activity_id=photo.activity_id, young_id__in=tagged, photo_consent=True
        ).values_list("young_id", flat=True)
    )
    return consenting == set(tagged)


def public_photos(*, unit: Unit, limit: int = 6) -> list[ActivityPhoto]:
    """The newest public photos of ``unit``'s own activities (for its site's care column)."""
    candidates = (
        ActivityPhoto.objects.filter(activity__unit_path=unit.path)
        .select_related("activity")
        .prefetch_related(
            "tagged",
            Prefetch(
                "activity__signups",
                queryset=SignUp.objects.only("activity_id", "young_id", "photo_consent"),
            ),
        )
        .order_by("-id")[: limit * 4]
    )
    shown = []
    for photo in candidates:
        if photo.shows_nobody:
            shown.append(photo)
        else:
            tags = {p.pk for p in photo.tagged.all()}
            consenting = {s.young_id for s in photo.activity.signups.all() if s.photo_consent}
            if tags and tags <= consenting:
                shown.append(photo)
        if len(shown) >= limit:
            break
    return shown
