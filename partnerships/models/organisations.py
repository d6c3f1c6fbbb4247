from django.conf import settings
from django.db import models

from mshtgov.models import TrackedModel


class PartnerKind(models.TextChoices):
    POLICE_FORCE = "police_force", "Police force"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    HEALTH = "health", "Health"
    CPS = "cps", "Crown Prosecution Service"
    NCA = "nca", "National Crime Agency"
    IMMIGRATION_ENFORCEMENT = "immigration_enforcement", "Immigration Enforcement"
    GLAA = "glaa", "Gangmasters and Labour Abuse Authority"
    NGO = "ngo", "Non-governmental organisation"
    CHARITY = "charity", "Charity"
    BUSINESS = "business", "Business"
    INTERNATIONAL = "international", "International body"


def partner_group_name(organisation_id) -> str:
    return f"partner-org-{organisation_id}"


class PartnerOrganisation(TrackedModel):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=PartnerKind.choices)
    country = models.CharField(max_length=100, default="United Kingdom")
    responsibilities = models.TextField(blank=True)
    statutory_powers = models.TextField(blank=True)
    contacts = models.TextField(blank=True, help_text="Names, roles and how to reach them.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"], name="partnerships_org_kind_name")]

    def __str__(self):
        return self.name

    @property
    def group_name(self) -> str:
        """The group holding this organisation's partner users; object grants go to it."""
        return partner_group_name(self.pk)


class PartnerProfile(TrackedModel):
    """Links an external partner's account to the organisation they work for. Their access to
    partnerships follows that organisation's memberships."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_profile")
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, related_name="people")

    def __str__(self):
        return f"{self.user} ({self.organisation})"
