"""Who is told of an article's way to publication. Called by the sites services inside
their transaction; sending waits for the commit (``nutag.notify``)."""

from __future__ import annotations

from django.urls import reverse

from nutag.core.actors import SYSTEM, Actor
from nutag.notify.models import Kind
from nutag.notify.services import notify_people, notify_units
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm
from nutag.people.models import Person
from nutag.sites.models import Article


def _actor(user: object) -> Actor:
    return user if user is not None else SYSTEM  # type: ignore[return-value]


def _stamp(article: Article) -> str:
    return article.updated_at.strftime("%Y%m%d%H%M%S%f") if article.updated_at else "0"


def article_submitted(acting_user: object, article: Article) -> None:
    """Those who may publish on the article's unit, held at the unit itself."""
    notify_units(
        acting_user=_actor(acting_user),
        kind=Kind.ARTICLE_SUBMITTED,
        units=[article.unit],
        perm=Perm.PUBLISH_ARTICLES,
        params={"title": article.title, "unit": article.unit.name},
        event_key=f"article-submitted:{article.pk}:{_stamp(article)}",
        link=reverse("desk-article-preview", args=[article.pk]),
    )


def article_returned(acting_user: object, article: Article) -> None:
    """The writer (their person, if their login has one)."""
    if article.author_id is None:
        return
    person_ids = list(Person.objects.filter(user_id=article.author_id).values_list("pk", flat=True))
    notify_people(
        acting_user=_actor(acting_user),
        kind=Kind.ARTICLE_RETURNED,
        person_ids=person_ids,
        params={"title": article.title, "reason": article.return_reason},
        event_key=f"article-returned:{article.pk}:{_stamp(article)}",
        link=reverse("desk-article-edit", args=[article.pk]),
    )


def article_recommended(acting_user: object, article: Article, parent: Unit) -> None:
    """Those who may publish on the unit above: they decide whether to show it."""
    notify_units(
        acting_user=_actor(acting_user),
        kind=Kind.ARTICLE_RECOMMENDED,
        units=[parent],
        perm=Perm.PUBLISH_ARTICLES,
        params={"title": article.title, "unit": article.unit.name},
        event_key=f"article-recommended:{article.pk}:{parent.pk}",
        link=reverse("desk-articles", args=[parent.code]),
    )
