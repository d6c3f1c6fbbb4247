from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from mshtgov.marking import MarkedModel
from mshtgov.models import TrackedModel
from partnerships.models.organisations import PartnerOrganisation
from partnerships.models.partnerships import Partnership
from partnerships.models.scoping import ScopedQuerySet


class TermsStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The texts a new version copies from the one before, in the order the page shows them.
TERMS_TEXT_FIELDS = ("purpose", "scope", "membership", "decision_making", "escalation", "intelligence_sharing")


class TermsQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(status=TermsStatus.APPROVED)

    def published(self):
        """Versions partners may read: the approved one and those it replaced."""
        return self.filter(status__in=(TermsStatus.APPROVED, TermsStatus.SUPERSEDED))

    def review_due(self, by_date):
        return self.current().filter(review_date__lte=by_date)


class TermsOfReference(TrackedModel, MarkedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="terms")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=TermsStatus.choices, default=TermsStatus.DRAFT)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="based on"
    )
    purpose = models.TextField(blank=True)
    scope = models.TextField(blank=True)
    membership = models.TextField(blank=True, help_text="Who sits on the partnership and in what capacity.")
    decision_making = models.TextField("decision making", blank=True, help_text="Quorum, how decisions are made.")
    escalation = models.TextField(blank=True, help_text="When and to whom matters are escalated.")
    intelligence_sharing = models.TextField(
        "intelligence-sharing mechanisms", blank=True, help_text="For example GAIN, MASH systems, secure email."
    )
    review_date = models.DateField("review date", null=True, blank=True)
    approved_on = models.DateField("approved on", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="approved by",
    )

    objects = TermsQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-version"]
        verbose_name = "terms of reference"
        verbose_name_plural = "terms of reference"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "version"], name="partnerships_tor_version_once"),
            models.UniqueConstraint(
                fields=["partnership"], condition=models.Q(status="approved"), name="partnerships_tor_one_approved"
            ),
            models.CheckConstraint(
                condition=models.Q(review_date__isnull=True)
                | models.Q(approved_on__isnull=True)
                | models.Q(review_date__gte=models.F("approved_on")),
                name="partnerships_tor_review_after_approval",
            ),
        ]
        indexes = [models.Index(fields=["status", "review_date"], name="partnerships_tor_status_review")]

    def __str__(self):
        return f"{self.partnership} terms of reference v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == TermsStatus.DRAFT


class TermsOfReferenceUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE)


class TermsOfReferenceGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE)


class TermsMemberRow(TrackedModel):
    """One row of the responsibilities-and-powers matrix: what one member organisation does and may do."""

    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="member_rows")
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, related_name="+")
    responsibilities = models.TextField(blank=True)
    powers = models.TextField("statutory powers", blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["terms", "organisation"], name="partnerships_tormember_once"),
        ]

    def __str__(self):
        return f"{self.organisation} in {self.terms}"
