"""Concerns (说事 / 社情民意) raised by residents, and what the voice app keeps around them.

- ``Category``: per banner (roads, water, pasture …), each with its time limit in days and
  whether a concern of it may be anonymous. Defaults are made by ``categories_ensure``.
- ``RoutingRule``: within a township, concerns of a category go to a chosen unit of it
  instead of the resident's own village or community.
- ``Concern``: one matter raised, with its tracking number (unit code, year, sequence),
  handled by ``unit`` (which changes when it is passed on or escalated) through the states
  received → accepted → in progress → answered → closed (rated), or reopened.
- ``ConcernStep``: every step, timestamped, with who and which unit, shown to the resident.
- ``SubmissionKey``: an ``Idempotency-Key`` a person sent, with what it created.

Workflow lives in ``services``; these models hold data and invariants only.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nutag.core.models import TimeStampedModel


class ConcernState(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", pgettext_lazy("concern", "Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", pgettext_lazy("concern", "Closed")
    REOPENED = "reopened", _("Reopened")


OPEN_STATES = (
    ConcernState.RECEIVED,
    ConcernState.ACCEPTED,
    ConcernState.IN_PROGRESS,
    ConcernState.REOPENED,
)


class StepKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", pgettext_lazy("concern", "Accepted")
    IN_PROGRESS = "in_progress", _("Work started")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed with a rating")
    REOPENED = "reopened", _("Reopened: not satisfied")
    PASSED = "passed", _("Passed to another unit")
    ESCALATED = "escalated", _("Overdue: passed to the unit above")


class Category(models.Model):
    banner = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="concern_categories"
    )
    key = models.SlugField(max_length=32)
    name = models.CharField(_("name"), max_length=80)
    days_limit = models.PositiveSmallIntegerField(
        _("Days to answer"), default=7, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    allows_anonymous = models.BooleanField(_("May be raised anonymously"), default=False)
    order = models.PositiveSmallIntegerField(default=0)
    retired = models.BooleanField(default=False)  # no longer offered; kept for its concerns

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["banner", "key"], name="voice_category_key_once")
        ]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    township = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="rules")
    target = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["township", "category"], name="voice_rule_once_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.township} {self.category} → {self.target}"


class ConcernCounter(models.Model):
    """The last sequence number given at a unit in a year (tracking numbers)."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="voice_counter_once")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.last}"


class Concern(TimeStampedModel):
    number = models.CharField(max_length=40, unique=True)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="concerns"
    )
    unit_path = models.CharField(max_length=255, db_index=True)
    origin = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="concerns")
    text = models.TextField(max_length=4000)
    photos = models.JSONField(default=list, blank=True)
    voice_note = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=120, blank=True)
    is_public = models.BooleanField(default=False)
    is_anonymous = models.BooleanField(default=False)
    # The resident; emptied (not deleted) when their person record goes.
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_behalf = models.BooleanField(default=False)  # entered by an officer (a call, a visit)
    state = models.CharField(
        _("state"), max_length=12, choices=ConcernState.choices, default=ConcernState.RECEIVED
    )
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    limit_at = models.DateTimeField()  # the category's time limit from the day it came
    due_at = models.DateTimeField()  # the current deadline (renewed when escalated)
    escalations = models.PositiveSmallIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(
        _("Rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.CharField(_("comment on the rating"), max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "state"], name="voice_concern_path_state"),
            models.Index(fields=["state", "due_at"], name="voice_concern_due"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.state in OPEN_STATES and self.due_at < timezone.now()


class ConcernStep(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=12, choices=StepKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(max_length=4000, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.concern_id} {self.kind}"


class SubmissionKey(models.Model):
    """An ``Idempotency-Key`` a login sent: the same key again returns the first concern."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="voice_submission_key_once")
        ]

    def __str__(self) -> str:
        return self.key


class Electorate(models.TextChoices):
    RESIDENTS = "residents", _("The unit's verified residents")
    PARTY = "party", _("The unit's Party members")


class Poll(TimeStampedModel):
    """A village poll (议事): a question with options, open between two times, for the
    unit's verified residents or its Party members, one vote each. Who may vote and whether
    they voted is kept (``PollVoter``); what anyone voted is not: options keep counts only."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="polls")
    unit_path = models.CharField(max_length=255, db_index=True)
    question = models.CharField(max_length=300)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    electorate = models.CharField(
        max_length=12, choices=Electorate.choices, default=Electorate.RESIDENTS
    )
    live_results = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_at", "-id"]

    def __str__(self) -> str:
        return self.question

    @property
    def is_open(self) -> bool:
        from django.utils import timezone

        return self.opens_at <= timezone.now() < self.closes_at


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class PollVoter(models.Model):
    """One person who may vote in a poll, and when they voted (never what)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="voters")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    voted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "person"], name="voice_poll_voter_once")
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}:{self.person_id}"


# --- Comments and the secretary's inbox (issue 13, item 5) -------------------------------


class Moderation(models.TextChoices):
    AFTER = "after", _("Published at once, checked afterwards")
    BEFORE = "before", _("Checked by the secretary before publication")


class TalkSettings(models.Model):
    """A unit's choice of moderation for the comments on its site; at a banner also the
    word list: a comment containing one of its words is held for the secretary."""

    unit = models.OneToOneField("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    moderation = models.CharField(
        _("Moderation"), max_length=8, choices=Moderation.choices, default=Moderation.AFTER
    )
    words = models.TextField(max_length=20000, blank=True)  # one word or phrase a line

    def __str__(self) -> str:
        return str(self.unit)

    def word_list(self) -> list[str]:
        return [w.strip().lower() for w in self.words.splitlines() if w.strip()]


class CommentState(models.TextChoices):
    HELD = "held", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden")


class Comment(TimeStampedModel):
    """A verified resident's comment on an article as shown on ``unit``'s site, or on a
    public concern raised there. Never deleted: hiding keeps the row and an audit row."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True)
    article = models.ForeignKey(
        "unitsites.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    concern = models.ForeignKey(
        Concern, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=60, blank=True)  # as shown: "牧民 王**"
    text = models.TextField(max_length=1000)
    state = models.CharField(_("state"), max_length=10, choices=CommentState.choices)
    held_for = models.CharField(max_length=20, blank=True)  # moderation, words, reports
    reports = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["unit_path", "state"], name="voice_comment_path_state")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=False) | models.Q(concern__isnull=False),
                name="voice_comment_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pk}: {self.text[:30]}"


class CommentReport(models.Model):
    """One login's report of abuse on a comment (once each)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="voice_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.comment_id}:{self.user_id}"


class InboxThread(TimeStampedModel):
    """A private thread between a resident and their unit's secretary (or committee):
    read by the resident and the unit's officers (and those above them) only."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True)
    # The resident; emptied (not deleted) when their person record goes.
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=120)
    last_at = models.DateTimeField()
    # Unread state on both sides: when each side last read the thread.
    resident_read_at = models.DateTimeField(null=True, blank=True)
    office_read_at = models.DateTimeField(null=True, blank=True)
    last_from_resident = models.BooleanField(default=True)

    class Meta:
        ordering = ["-last_at", "-id"]

    def __str__(self) -> str:
        return self.subject

    @property
    def unread_by_resident(self) -> bool:
        return not self.last_from_resident and (
            self.resident_read_at is None or self.resident_read_at < self.last_at
        )

    @property
    def unread_by_office(self) -> bool:
        return self.last_from_resident and (
            self.office_read_at is None or self.office_read_at < self.last_at
        )


class InboxMessage(models.Model):
    thread = models.ForeignKey(InboxThread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_resident = models.BooleanField()
    text = models.TextField(max_length=2000)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.thread_id}: {self.text[:30]}"


# --- Mutual aid (社群互助) and emergencies ---------------------------------------------------


class AidKind(models.TextChoices):
    REQUEST = "request", _("Request: I need")
    OFFER = "offer", _("Offer: I can give")


class AidTopic(models.TextChoices):
    TRANSPORT = "transport", _("A truck or transport")
    VET = "vet", _("A vet or animal health")
    FODDER = "fodder", _("Hay and fodder")
    LOST = "lost", _("Livestock lost")
    FOUND = "found", _("Livestock found")
    OTHER = "other", _("Other help")


class AidStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    HIDDEN = "hidden", _("Hidden by an officer")


class AidPost(TimeStampedModel):
    """A request or an offer of help on a unit's 社群互助 column (a truck to lend, a vet
    needed, hay to sell, livestock lost or found with its ear tag and marks). Open until the
    poster or an officer marks it met; an officer may hide an abusive one (audited)."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="aid_posts")
    unit_path = models.CharField(max_length=255, db_index=True)
    kind = models.CharField(max_length=8, choices=AidKind.choices)
    topic = models.CharField(max_length=12, choices=AidTopic.choices)
    title = models.CharField(max_length=120)
    text = models.TextField(max_length=2000, blank=True)
    marks = models.CharField(max_length=200, blank=True)  # ear tag, brand, colour
    contact = models.CharField(max_length=60, blank=True)
    photos = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=8, choices=AidStatus.choices, default=AidStatus.OPEN)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit_path", "status"], name="voice_aid_path_status")]

    def __str__(self) -> str:
        return self.title


class EmergencyKind(models.TextChoices):
    SNOWSTORM = "snowstorm", _("Snowstorm")
    FIRE = "fire", _("Fire")
    FLOOD = "flood", _("Flood")
    MISSING = "missing", _("Missing person")
    OTHER = "other", _("Other danger")


class Radius(models.TextChoices):
    UNIT = "unit", _("This unit only")
    NEIGHBOURS = "neighbours", _("This unit and its neighbours under the same township")
    TOWNSHIP = "township", _("The whole township")
    BANNER = "banner", _("The whole banner")


class Emergency(TimeStampedModel):
    """An emergency an officer publishes from ``origin`` over a radius. ``unit`` is the top of
    the area (where the publishing right is needed and checked); ``areas`` are the units whose
    sites show it at the top and whose people are told at once and may say they are safe."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True)
    origin = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=EmergencyKind.choices)
    radius = models.CharField(max_length=12, choices=Radius.choices, default=Radius.UNIT)
    text = models.TextField(max_length=1000)
    areas = models.ManyToManyField("orgs.Unit", related_name="emergencies")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class SafetyStatus(models.TextChoices):
    SAFE = "safe", _("I am safe")
    HELP = "help", _("I need help")


class EmergencyStatus(models.Model):
    """One person's answer in an emergency: safe or needing help (one each, changeable)."""

    emergency = models.ForeignKey(Emergency, on_delete=models.CASCADE, related_name="statuses")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=SafetyStatus.choices)
    note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["emergency", "person"], name="voice_emergency_status_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.emergency_id}:{self.person_id} {self.status}"
