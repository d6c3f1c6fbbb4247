from django import forms
from django.contrib.auth import get_user_model

from mshtgov.forms import PLANNED_DATES, AuditedModelForm, DateInput
from mshtgov.roles import Role
from partnerships.models import InformationSharingAgreement, PartnerOrganisation


class AgreementForm(AuditedModelForm):
    date_ranges = {"start_date": PLANNED_DATES, "end_date": PLANNED_DATES, "review_date": PLANNED_DATES}

    parties = forms.ModelMultipleChoiceField(
        queryset=PartnerOrganisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Only members of the partnership can be parties.",
        error_messages={
            "invalid_choice": "Choose parties from the partnership's members: %(value)s is not one of them.",
            "invalid_pk_value": "Choose parties from the partnership's members.",
            "required": "Choose at least one party.",
        },
    )

    class Meta:
        model = InformationSharingAgreement
        fields = [
            "title",
            "reference",
            "parties",
            "purpose",
            "lawful_basis",
            "data_shared",
            "mechanism",
            "start_date",
            "end_date",
            "review_date",
            "signatories",
            "status",
            "owner",
            "marking",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "review_date": DateInput()}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        self.fields["parties"].queryset = PartnerOrganisation.objects.filter(memberships__partnership=partnership)
        if self.instance.pk:
            self.initial["parties"] = list(self.instance.party_links.values_list("organisation_id", flat=True))
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True, groups__name__in=[Role.PARTNERSHIP_COORDINATOR.label, Role.SENIOR_LEADER.label]
            )
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        # People by name, not by username.
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.get_username()

    def clean(self):
        cleaned = super().clean()
        start, end, review = cleaned.get("start_date"), cleaned.get("end_date"), cleaned.get("review_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date.")
        if start and review and review < start:
            self.add_error("review_date", "The review date must be on or after the start date.")
        return cleaned
