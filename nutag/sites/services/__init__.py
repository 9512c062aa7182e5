"""Every write to the unit sites: columns, articles and their workflow, push down, recommend up.

Workflow of an article (``ArticleStatus``)::

    draft ──submit──▶ submitted ──publish──▶ published ──withdraw──▶ withdrawn
      ▲  ◀─withdraw──┘    │return(reason)                               │
      │                   ▼                                             │
      └──── edit ──── returned ◀────────── edit, submit, publish ───────┘

- writing (create, edit, submit, take back, attachments, recommend up) needs
  ``Perm.WRITE_ARTICLES`` at the article's unit (officers and secretaries);
- publishing, returning, withdrawing a published article, pushing down, accepting a
  recommendation and editing columns need ``Perm.PUBLISH_ARTICLES`` (secretaries).

Rights flow down the tree, so a township secretary may publish a village's article. Anything
out of reach raises ``NotFound`` (a 404, the same as a missing object). ``acting_user=SYSTEM``
is the system (the demo loader): rights are not checked. Every call is atomic and writes an
audit row; a change of what a public page shows is announced after commit
(``nutag.sites.events.site_changed``). Files are written before the rows that point to them
and deleted again if the transaction fails; files a change replaces are deleted after commit.

The writes live in submodules, split along their seams: ``articles`` (the lifecycle),
``placements`` (push down, recommend up), ``columns``, ``files`` (uploads and attachments);
``_common`` holds the shared inputs and private helpers. Import from this package.
"""

from nutag.sites.services._common import (
    ARTICLE_FIELDS,
    COLUMN_FIELDS,
    EDITABLE,
    PUBLISHABLE,
    ArticleFiles,
    ArticleInput,
)
from nutag.sites.services.articles import (
    article_create,
    article_publish,
    article_return,
    article_submit,
    article_update,
    article_withdraw,
)
from nutag.sites.services.columns import (
    column_move,
    column_update,
    columns_ensure,
    columns_reorder,
)
from nutag.sites.services.files import attachment_add, attachment_remove
from nutag.sites.services.placements import (
    article_push,
    article_recommend,
    recommendation_accept,
    recommendation_decline,
    units_below,
)

__all__ = [
    "ARTICLE_FIELDS",
    "COLUMN_FIELDS",
    "EDITABLE",
    "PUBLISHABLE",
    "ArticleFiles",
    "ArticleInput",
    "article_create",
    "article_publish",
    "article_push",
    "article_recommend",
    "article_return",
    "article_submit",
    "article_update",
    "article_withdraw",
    "attachment_add",
    "attachment_remove",
    "column_move",
    "column_update",
    "columns_ensure",
    "columns_reorder",
    "recommendation_accept",
    "recommendation_decline",
    "units_below",
]
