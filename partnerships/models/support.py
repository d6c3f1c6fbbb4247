from django.db import models

from mshtgov.models import TrackedModel
from partnerships.models.organisations import PartnerOrganisation


class SupportStage(models.TextChoices):
    BEFORE_NRM = "before_nrm", "Before NRM referral"
    AFTER_NRM = "after_nrm", "After NRM referral"
    DECLINED_NRM = "declined_nrm", "For those who decline NRM"
    CHILDREN = "children", "Children"


class SupportKind(models.TextChoices):
    SUPPORT_SERVICE = "support_service", "Support service"
    RECEPTION_CENTRE = "reception_centre", "Reception centre"
    ACCOMMODATION = "accommodation", "Safe accommodation"
    ADVOCACY = "advocacy", "Advocacy and outreach"


class Commissioner(models.TextChoices):
    PCC = "pcc", "Police and crime commissioner"
    FORCE = "force", "Force"
    NATIONAL = "national", "National (Modern Slavery Victim Care Contract)"


class SupportQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(start_date__lte=day).filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=day))


class SupportService(TrackedModel):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=SupportKind.choices, default=SupportKind.SUPPORT_SERVICE)
    stage = models.CharField(max_length=16, choices=SupportStage.choices)
    provider = models.ForeignKey(
        PartnerOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="support_services"
    )
    commissioned_by = models.CharField("commissioned by", max_length=16, choices=Commissioner.choices)
    funded_by = models.CharField("funded by", max_length=16, choices=Commissioner.choices)
    capacity = models.PositiveIntegerField(help_text="Places or cases it can take at once.")
    start_date = models.DateField("start date")
    end_date = models.DateField("end date", null=True, blank=True)
    notes = models.TextField(blank=True)

    objects = SupportQuerySet.as_manager()

    class Meta:
        ordering = ["stage", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="partnerships_support_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["stage", "end_date"], name="partnerships_support_stage")]

    def __str__(self):
        return self.name
