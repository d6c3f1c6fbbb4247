from django.conf import settings
from django.db import models
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from governance.models import Cadence
from mshtgov.marking import MarkedModel
from mshtgov.models import TrackedModel
from partnerships.models.organisations import PartnerOrganisation
from partnerships.models.scoping import ScopedQuerySet


class PartnershipKind(models.TextChoices):
    STRATEGIC_FORUM = "strategic_forum", "Strategic partnership forum"
    MASH = "mash", "Multi-agency safeguarding hub (MASH)"
    SAFEGUARDING_PARTNERSHIP = "safeguarding_partnership", "Safeguarding partnership"
    REGIONAL_NETWORK = "regional_network", "Regional network"
    INTERNATIONAL_LINK = "international_link", "International link"


class Partnership(TrackedModel, MarkedModel):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=PartnershipKind.choices)
    purpose = models.TextField(blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_partnerships",
        help_text="Owns the partnership's terms of reference and agreements, and gets their review reminders.",
    )
    # A forum is also a board in the governance app: its meetings, minutes and actions live there.
    board = models.OneToOneField(
        "governance.Board",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnership",
        verbose_name="board (for a forum)",
        help_text="The governance board that holds this forum's meetings.",
    )
    reports_to = models.ForeignKey(
        "governance.Board",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reporting_partnerships",
        verbose_name="reports to",
    )
    cadence = models.CharField("meeting cadence", max_length=16, choices=Cadence.choices, default=Cadence.QUARTERLY)
    active = models.BooleanField(default=True)
    members = models.ManyToManyField(PartnerOrganisation, through="Membership", related_name="partnerships")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"], name="partnerships_partnership_kind")]

    def __str__(self):
        return self.name


class PartnershipUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Partnership, on_delete=models.CASCADE)


class PartnershipGroupObjectPermission(GroupObjectPermissionBase):
    """Granted to `partner-org-<id>` groups while the organisation is a member (see partnerships.grants)."""

    content_object = models.ForeignKey(Partnership, on_delete=models.CASCADE)


class Membership(TrackedModel):
    """An organisation's place in a partnership. Adding or removing one grants or revokes its partner
    users' access at once (services.memberships)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, related_name="memberships")
    joined_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organisation"], name="partnerships_membership_once"),
        ]

    def __str__(self):
        return f"{self.organisation} in {self.partnership}"
