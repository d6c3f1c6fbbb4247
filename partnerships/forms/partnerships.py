from django import forms
from django.contrib.auth import get_user_model

from governance.models import Board, BoardKind
from mshtgov.forms import AuditedModelForm, GovukForm
from mshtgov.personal_data.screening import allowing
from mshtgov.roles import Role
from partnerships.models import PartnerOrganisation, Partnership


class OrganisationForm(AuditedModelForm):
    personal_data_policy = {
        "contacts": allowing(
            "email",
            "phone",
            "postcode",
            "address",
            reason="Work contact details of the partner's own staff and offices, which this field exists to hold.",
        )
    }

    class Meta:
        model = PartnerOrganisation
        fields = ["name", "kind", "country", "responsibilities", "statutory_powers", "contacts", "active"]


def _staff_who_coordinate():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[Role.PARTNERSHIP_COORDINATOR.label, Role.SENIOR_LEADER.label])
        .distinct()
        .order_by("last_name", "first_name")
    )


class PartnershipForm(AuditedModelForm):
    class Meta:
        model = Partnership
        fields = ["name", "kind", "purpose", "coordinator", "board", "reports_to", "cadence", "active", "marking"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = _staff_who_coordinate()
        self.fields["coordinator"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        # A board can be the forum of one partnership only.
        taken = Partnership.objects.exclude(pk=self.instance.pk).exclude(board=None).values("board_id")
        self.fields["board"].queryset = Board.objects.filter(kind=BoardKind.PARTNERSHIP_FORUM).exclude(pk__in=taken)
        self.fields["reports_to"].queryset = Board.objects.exclude(kind=BoardKind.PARTNERSHIP_FORUM)


class MembershipAddForm(GovukForm):
    organisation = forms.ModelChoiceField(
        queryset=PartnerOrganisation.objects.none(),
        label="Organisation",
        help_text="Its partner users will see this partnership, its forum, its terms of reference and the "
        "agreements it is party to as soon as you add it.",
        error_messages={"invalid_choice": "Choose an organisation that is not already a member."},
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = PartnerOrganisation.objects.filter(active=True).exclude(
            memberships__partnership=partnership
        )


class MembershipRemoveForm(GovukForm):
    change_reason = forms.CharField(
        label="Why is the organisation leaving?",
        help_text="Kept in the membership's history. Its partner users lose access at once.",
        max_length=500,
        error_messages={"required": "Say why the organisation is leaving the partnership."},
    )
