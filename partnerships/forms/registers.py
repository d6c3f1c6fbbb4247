from django.contrib.auth import get_user_model

from mshtgov.forms import PLANNED_DATES, AuditedModelForm, DateInput
from mshtgov.roles import INTERNAL_ROLES
from partnerships.models import (
    ICTGReferral,
    Partnership,
    PartnershipKind,
    SafeguardingNotification,
    SupportService,
)


class NotificationForm(AuditedModelForm):
    class Meta:
        model = SafeguardingNotification
        fields = [
            "incident_reference",
            "incident_recorded_on",
            "body",
            "partnership",
            "notified_on",
            "notified_by",
            "marking",
        ]
        widgets = {"incident_recorded_on": DateInput(), "notified_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = Partnership.objects.filter(
            kind__in=(PartnershipKind.MASH, PartnershipKind.SAFEGUARDING_PARTNERSHIP)
        )
        self.fields["notified_by"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=[r.label for r in INTERNAL_ROLES])
            .distinct()
        )

    def clean(self):
        cleaned = super().clean()
        recorded, notified = cleaned.get("incident_recorded_on"), cleaned.get("notified_on")
        not_future(self, cleaned, ("incident_recorded_on", "notified_on"))
        if recorded and notified and notified < recorded:
            self.add_error(
                "notified_on", "The notification date must be on or after the date the incident was recorded."
            )
        return cleaned


def not_future(form, cleaned, names) -> None:
    """Dates of things that have happened (recorded, notified, referred, reviewed) cannot be after today."""
    from django.utils import timezone

    today = timezone.localdate()
    for name in names:
        day = cleaned.get(name)
        if day and day > today:
            label = form.fields[name].label or name.replace("_", " ")
            form.add_error(name, f"The {str(label).lower()} must be today or in the past.")


class SupportForm(AuditedModelForm):
    date_ranges = {"start_date": PLANNED_DATES, "end_date": PLANNED_DATES}

    class Meta:
        model = SupportService
        fields = [
            "name",
            "kind",
            "stage",
            "provider",
            "commissioned_by",
            "funded_by",
            "capacity",
            "start_date",
            "end_date",
            "notes",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date.")
        return cleaned


class ICTGForm(AuditedModelForm):
    date_ranges = {"next_review_on": PLANNED_DATES}

    class Meta:
        model = ICTGReferral
        fields = [
            "child_reference",
            "referred_on",
            "ictg_service",
            "status",
            "last_review_on",
            "next_review_on",
            "marking",
        ]
        widgets = {"referred_on": DateInput(), "last_review_on": DateInput(), "next_review_on": DateInput()}

    def clean(self):
        cleaned = super().clean()
        referred, last, nxt = cleaned.get("referred_on"), cleaned.get("last_review_on"), cleaned.get("next_review_on")
        not_future(self, cleaned, ("referred_on", "last_review_on"))
        if referred and last and last < referred:
            self.add_error("last_review_on", "The last review must be on or after the referral date.")
        if last and nxt and nxt <= last:
            self.add_error("next_review_on", "The next review must be after the last review.")
        return cleaned
