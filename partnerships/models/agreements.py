from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from mshtgov.marking import MarkedModel
from mshtgov.models import TrackedModel
from partnerships.models.organisations import PartnerOrganisation
from partnerships.models.partnerships import Partnership
from partnerships.models.scoping import ScopedQuerySet


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


class LawfulBasis(models.TextChoices):
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement purposes (DPA 2018 Part 3)"
    PUBLIC_TASK = "public_task", "Public task (UK GDPR Article 6(1)(e))"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (UK GDPR Article 6(1)(c))"
    VITAL_INTERESTS = "vital_interests", "Vital interests (UK GDPR Article 6(1)(d))"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests (UK GDPR Article 6(1)(f))"
    CONSENT = "consent", "Consent (UK GDPR Article 6(1)(a))"


class SharingMechanism(models.TextChoices):
    GAIN = "gain", "GAIN (Government Agency Intelligence Network)"
    MASH_SYSTEM = "mash_system", "MASH case system"
    SECURE_EMAIL = "secure_email", "Secure email"
    SECURE_PORTAL = "secure_portal", "Secure portal"
    MEETING = "meeting", "At meetings"
    OTHER = "other", "Other"


class AgreementQuerySet(ScopedQuerySet):
    def live(self):
        return self.filter(status__in=(AgreementStatus.DRAFT, AgreementStatus.ACTIVE))

    def review_due(self, by_date):
        """Live agreements whose end or review date falls on or before `by_date`."""
        return self.live().filter(models.Q(end_date__lte=by_date) | models.Q(review_date__lte=by_date))

    def in_status(self, status: str, today):
        """Agreements whose status, as derived on `today` (see `InformationSharingAgreement.status_on`), is
        `status`: an active agreement past its end date is expired, whatever was stored."""
        past_end = models.Q(status=AgreementStatus.ACTIVE, end_date__lt=today)
        if status == AgreementStatus.EXPIRED:
            return self.filter(models.Q(status=AgreementStatus.EXPIRED) | past_end)
        if status == AgreementStatus.ACTIVE:
            return self.filter(status=AgreementStatus.ACTIVE).exclude(past_end)
        return self.filter(status=status)


class InformationSharingAgreement(TrackedModel, MarkedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agreements")
    title = models.CharField(max_length=200)
    reference = models.CharField(max_length=40, unique=True, help_text="For example ISA-2026-004.")
    parties = models.ManyToManyField(PartnerOrganisation, through="AgreementParty", related_name="agreements")
    purpose = models.TextField()
    lawful_basis = models.CharField("lawful basis", max_length=32, choices=LawfulBasis.choices)
    data_shared = models.TextField("data shared")
    mechanism = models.CharField(max_length=24, choices=SharingMechanism.choices)
    start_date = models.DateField("start date")
    end_date = models.DateField("end date", null=True, blank=True)
    review_date = models.DateField("review date", null=True, blank=True)
    signatories = models.TextField(blank=True, help_text="Who signed for each party, and in what role.")
    status = models.CharField(max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Gets the review reminders. Left empty, the partnership's coordinator does.",
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = "information-sharing agreement"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="partnerships_agreement_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["title"], name="partnerships_agreement_title"),
            models.Index(fields=["partnership", "status"], name="partnerships_agreement_status"),
            models.Index(fields=["status", "end_date"], name="partnerships_agreement_expiry"),
        ]

    def __str__(self):
        return self.title

    def status_on(self, today) -> str:
        """The status as it stands on `today`, derived from the dates so it is never left stale: an active
        agreement past its end date is "Expired"; one past its review date is "Active, review overdue"."""
        if self.status == AgreementStatus.ACTIVE and self.end_date and self.end_date < today:
            return AgreementStatus.EXPIRED.label
        if self.status == AgreementStatus.ACTIVE and self.review_date and self.review_date < today:
            return "Active, review overdue"
        return self.get_status_display()

    @property
    def current_status(self) -> str:
        from django.utils import timezone

        return self.status_on(timezone.localdate())


class InformationSharingAgreementUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(InformationSharingAgreement, on_delete=models.CASCADE)


class InformationSharingAgreementGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(InformationSharingAgreement, on_delete=models.CASCADE)


class AgreementParty(TrackedModel):
    agreement = models.ForeignKey(InformationSharingAgreement, on_delete=models.CASCADE, related_name="party_links")
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="partnerships_agreementparty_once"),
        ]

    def __str__(self):
        return f"{self.organisation} party to {self.agreement}"
