"""The study card on a person's own home page (/desk/me/), registered with
``nutag.people.home`` from ``StudyConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from nutag.people.home import HomeCard
from nutag.people.models import Person
from nutag.study.models import PointEntry


def study_cards(request: HttpRequest) -> Iterable[HomeCard]:
    """My study record and points, for a login with a person record: two queries."""
    if not request.user.is_authenticated:
        return
    person = Person.objects.filter(user_id=request.user.pk).select_related("unit").first()
    if person is None:
        return
    total = PointEntry.objects.filter(person=person).aggregate(s=Sum("points"))["s"] or 0
    yield HomeCard(
        title=_("My study record and points"),
        text=_("Points: %(n)s") % {"n": total},
        url=reverse("study-me", args=[person.unit.code]),
        link_text=_("My study record"),
        order=30,
    )
