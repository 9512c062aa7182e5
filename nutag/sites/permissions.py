"""Who may do what on a unit's site: one rule per action.

Writing (create, edit, submit, take back, attachments, recommend up) needs the write right
at the article's unit (officers and secretaries); publishing, returning, withdrawing, pushing
down, deciding on a recommendation and editing columns need the publish right (secretaries).
Views call these to show buttons, services enforce them through
``nutag.orgs.permissions.require``.
"""

from __future__ import annotations

from nutag.core.actors import AnyUser
from nutag.orgs.models import Unit
from nutag.orgs.permissions import Perm, has_unit_perm
from nutag.sites.models import Article, Column, Placement


def can_write_at(user: AnyUser, unit: Unit) -> bool:
    """Write new articles for ``unit``'s site."""
    return has_unit_perm(user=user, perm=Perm.WRITE_ARTICLES, unit=unit)


def can_write(user: AnyUser, article: Article) -> bool:
    """Edit, submit, take back an article, manage its files, recommend it up."""
    return has_unit_perm(user=user, perm=Perm.WRITE_ARTICLES, unit=article.unit)


def can_publish_at(user: AnyUser, unit: Unit) -> bool:
    """Publish on ``unit``'s site and edit its columns."""
    return has_unit_perm(user=user, perm=Perm.PUBLISH_ARTICLES, unit=unit)


def can_publish(user: AnyUser, article: Article) -> bool:
    """Publish, return, withdraw or push down an article."""
    return has_unit_perm(user=user, perm=Perm.PUBLISH_ARTICLES, unit=article.unit)


def can_edit_column(user: AnyUser, column: Column) -> bool:
    return has_unit_perm(user=user, perm=Perm.PUBLISH_ARTICLES, unit=column.unit)


def can_decide_recommendation(user: AnyUser, placement: Placement) -> bool:
    """Accept or decline an article recommended up to ``placement.unit``."""
    return has_unit_perm(user=user, perm=Perm.PUBLISH_ARTICLES, unit=placement.unit)
