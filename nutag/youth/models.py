"""Young people's records and the elders' work with them.

A ``YouthRecord`` extends the people app's ``YoungPerson`` role (one-to-one): the name, birth
date, school and guardians stay on the person, the role and ``people.Guardianship`` (so the
roster import keeps writing them); the record adds what only the care committee keeps: the
class, circumstances, notes, and whether it is archived. Every row carries its unit's path
(``unit_path``) for subtree counts; all of them are registered with the tree.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nutag.core.models import TimeStampedModel

TEXT_LIMIT = 2000  # each of a visit's texts: a few minutes' writing on a phone


class Circumstance(models.Model):
    """One entry of the editable list of circumstances (留守, 单亲, 孤儿 …), kept in the admin."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_mn = models.CharField(_("Mongolian name"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("circumstance")
        verbose_name_plural = _("circumstances")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class RecordStatus(models.TextChoices):
    ACTIVE = "active", _("In care")
    ARCHIVED = "archived", _("Archived")


class YouthRecord(TimeStampedModel):
    young = models.OneToOneField(
        "people.YoungPerson",
        verbose_name=_("young person"),
        on_delete=models.PROTECT,
        related_name="record",
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    school_class = models.CharField(_("class"), max_length=50, blank=True)
    circumstances = models.ManyToManyField(
        Circumstance, verbose_name=_("circumstances"), blank=True, related_name="records"
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.ACTIVE
    )
    archived_on = models.DateField(_("archived on"), null=True, blank=True)

    class Meta:
        verbose_name = _("youth record")
        verbose_name_plural = _("youth records")
        indexes = [models.Index(fields=["unit_path", "status"])]

    def __str__(self) -> str:
        return str(self.young)


class Pairing(TimeStampedModel):
    """结对帮扶: one or more elders (and perhaps a cadre) paired with a young person."""

    record = models.ForeignKey(
        YouthRecord, verbose_name=_("youth record"), on_delete=models.CASCADE, related_name="pairs"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    elders = models.ManyToManyField(
        "people.Person", verbose_name=_("paired with"), related_name="youth_pairs"
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["unit_path", "ended_on"])]

    def __str__(self) -> str:
        return str(self.record)

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class VisitKind(models.TextChoices):
    HOME = "home", _("Home visit")
    PHONE = "phone", _("Phone call")
    SCHOOL = "school", _("At school")


class Visit(TimeStampedModel):
    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="visits"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    visited_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=VisitKind.choices)
    mood = models.TextField(_("mood and thinking"), blank=True, max_length=TEXT_LIMIT)
    study = models.TextField(_("study"), blank=True, max_length=TEXT_LIMIT)
    hardship = models.TextField(_("hardship"), blank=True, max_length=TEXT_LIMIT)
    guardianship = models.TextField(_("guardianship"), blank=True, max_length=TEXT_LIMIT)
    help_given = models.TextField(_("help given"), blank=True, max_length=TEXT_LIMIT)
    next_step = models.TextField(_("next step"), blank=True, max_length=TEXT_LIMIT)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["unit_path", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.pairing} {self.visited_on}"


class Need(TimeStampedModel):
    """The needs ledger: a need, the resource found for it, resolved or not."""

    record = models.ForeignKey(
        YouthRecord, verbose_name=_("youth record"), on_delete=models.CASCADE, related_name="needs"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    need = models.CharField(_("need"), max_length=200)
    resource = models.CharField(_("resource found"), max_length=200, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["resolved_on", "-created_at"]
        indexes = [models.Index(fields=["unit_path", "resolved_on"])]

    def __str__(self) -> str:
        return self.need


class YouthPolicy(models.Model):
    """What the banner sets: after how many days without a visit a pair is reminded."""

    unit = models.OneToOneField(
        "orgs.Unit", verbose_name=_("banner"), on_delete=models.CASCADE, related_name="+"
    )
    visit_every_days = models.PositiveSmallIntegerField(
        _("remind a pair after this many days without a visit"), default=30
    )
    adult_age = models.PositiveSmallIntegerField(
        _("a record is archived at this age"),
        default=18,
        validators=[MinValueValidator(14), MaxValueValidator(25)],
    )
    keep_archived_years = models.PositiveSmallIntegerField(
        _("archived records are deleted after this many years"),
        default=3,
        validators=[MaxValueValidator(30)],
    )

    class Meta:
        verbose_name = _("youth-care rule")
        verbose_name_plural = _("youth-care rules")

    def __str__(self) -> str:
        return str(self.unit)


class DeedKind(models.TextChoices):
    """做好事、办实事、解难事."""

    GOOD_DEED = "good", _("A good deed")
    PRACTICAL = "practical", _("A practical thing done")
    HARD_PROBLEM = "hard", _("A hard problem solved")


class GoodDeed(TimeStampedModel):
    """The care committee's log of help given: rolls up the tree by ``unit_path``."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    done_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=DeedKind.choices)
    what = models.CharField(_("what was done"), max_length=200)
    elders = models.ManyToManyField(
        "people.Person", verbose_name=_("elders involved"), blank=True, related_name="good_deeds"
    )
    people_helped = models.PositiveIntegerField(_("people helped"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("good deed")
        verbose_name_plural = _("good deeds")
        ordering = ["-done_on", "-id"]
        indexes = [models.Index(fields=["unit_path", "done_on"])]

    def __str__(self) -> str:
        return self.what


# --- Activities ---------------------------------------------------------------------------


class ActivityKind(models.TextChoices):
    CAMP = "camp", _("Summer camp")
    LECTURE = "lecture", _("Lecture")
    LEGAL = "legal", _("Legal education")
    HERITAGE = "heritage", _("Heritage and culture")
    SPORTS = "sports", _("Sports")


class Activity(TimeStampedModel):
    """An activity of a unit's care committee for young people (a summer camp, a lecture …)."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=120)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120)
    capacity = models.PositiveSmallIntegerField(_("places"), default=30)
    summary = models.TextField(_("report"), blank=True, max_length=TEXT_LIMIT)
    report_article_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Labels of the audit keys that are not fields (``core.audit.change_rows``).
    audit_labels: ClassVar[dict[str, Any]] = {"report_article": _("Report")}

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit_path", "held_on"])]

    def __str__(self) -> str:
        return self.title


class ConsentHow(models.TextChoices):
    PAPER = "paper", _("Signed on paper")
    PHONE = "phone", _("By phone")
    PERSON = "person", _("In person")
    MESSAGE = "message", _("By message")


class SignUp(TimeStampedModel):
    """A young person signed up for an activity, with their guardian's consent (minors)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="signups"
    )
    young = models.ForeignKey(
        "people.YoungPerson",
        verbose_name=_("young person"),
        on_delete=models.CASCADE,
        related_name="activity_signups",
    )
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    consent_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("consent given by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_relation = models.CharField(_("relation"), max_length=20, blank=True)
    consent_how = models.CharField(
        _("how consent was given"), max_length=10, choices=ConsentHow.choices, blank=True
    )
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    photo_consent = models.BooleanField(_("photos may be shown publicly"), default=False)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Labels of the audit keys that are not fields (``core.audit.change_rows``).
    audit_labels: ClassVar[dict[str, Any]] = {"present": _("Present")}

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "young"], name="youth_signup_once")
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.young_id}"


class ActivityPhoto(TimeStampedModel):
    """A photo of an activity, kept private. Shown publicly only when every young person
    tagged in it has photo consent for the activity, or when it shows nobody
    (``youth.selectors.activities.photo_is_public``)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.CharField(max_length=200, editable=False)  # a name in youth's private storage
    shows_nobody = models.BooleanField(_("no young person is in this photo"), default=False)
    tagged = models.ManyToManyField(
        "people.YoungPerson",
        verbose_name=_("young people in the photo"),
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image


class VisitPhoto(TimeStampedModel):
    """A photo taken on a visit: private, served only to those who can read the record."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.CharField(max_length=200, editable=False)

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image
