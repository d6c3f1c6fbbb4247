"""Forms of the operations register: every free-text field is screened for personal data by the
GOV.UK form mixin; counts and dates are checked by the models (messages beside the field)."""

from django import forms

from mshtgov import records, scoring
from mshtgov.filters import FilterForm, PersonChoiceField, staff_users, with_any
from mshtgov.forms import AuditedModelForm, DateInput, GovukForm
from mshtgov.reference import Pillar
from operations.models import (
    Debrief,
    Disruption,
    DisruptionLevel,
    Exploitation,
    Operation,
    OperationStatus,
    Outcome,
    ReviewStatus,
)

THREAT_KIND = "strategy.threat"

OPERATION_FIELDS = (
    "reference",
    "title",
    "opened_on",
    "closed_on",
    "status",
    "lead_unit",
    "officer_in_charge",
    "oic_pip_level",
    "exploitation_types",
    "county_lines",
    "adult_victims",
    "child_victims",
    "geography",
    "countries",
    "threats",
    "agencies",
    "harm",
    "likelihood",
    "confidence",
    "capacity",
    "capability",
    "marking",
)


def _threat_queryset():
    """The threat register's active threats, through the core's record registry (no import of strategy)."""
    kind = records.kind_by_label(THREAT_KIND)
    # Only what the checkboxes and the service read (id, and the title a threat is named by): 200 at scale.
    return kind.model._default_manager.filter(active=True).only("id", "title").order_by("title") if kind else None


class OperationForm(AuditedModelForm):
    exploitation_types = forms.MultipleChoiceField(
        label="Types of exploitation", choices=Exploitation.choices, widget=forms.CheckboxSelectMultiple
    )
    officer_in_charge = PersonChoiceField(queryset=staff_users())
    threats = forms.ModelMultipleChoiceField(
        label="Linked threats from the threat register",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Without its own assessment, the operation takes the highest priority of these threats.",
    )

    class Meta:
        model = Operation
        fields = OPERATION_FIELDS
        widgets = {"opened_on": DateInput, "closed_on": DateInput}
        help_texts = {"harm": f"The operation's own assessment ({scoring.SCHEME_NAME}): all five scores or none."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer_in_charge"].queryset = staff_users()
        threats = _threat_queryset()
        if threats is None:
            del self.fields["threats"]
        else:
            self.fields["threats"].queryset = threats
            if self.instance.pk:
                self.initial["threats"] = list(self.instance.threats.values_list("pk", flat=True))
        if self.instance.pk:
            self.initial["exploitation_types"] = self.instance.exploitation_list

    def clean_exploitation_types(self):
        chosen = self.cleaned_data["exploitation_types"]
        return ",".join(code for code in Exploitation.values if code in chosen)

    def operation_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in OPERATION_FIELDS if name != "threats"}

    def chosen_threats(self):
        return list(self.cleaned_data.get("threats") or [])


class OutcomeForm(AuditedModelForm):
    class Meta:
        model = Outcome
        exclude = ("operation",)
        widgets = {
            name: DateInput
            for name in (
                "first_charged_on",
                "cps_early_advice_on",
                "cps_decision_on",
                "pnd_operation_on",
                "pnd_victims_on",
                "pnd_suspects_on",
            )
        }


DISRUPTION_FIELDS = (
    "disrupted_on",
    "level",
    "pillar",
    "tactic_group",
    "lead_agency",
    "partner_agencies",
    "justification",
    "assessed_by",
    "reported_to_nca_on",
    "marking",
)


class DisruptionForm(AuditedModelForm):
    assessed_by = PersonChoiceField(queryset=staff_users(), help_text="Who assessed the level. Not its reviewer.")

    class Meta:
        model = Disruption
        fields = DISRUPTION_FIELDS
        widgets = {
            "disrupted_on": DateInput,
            "reported_to_nca_on": DateInput,
            "justification": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_by"].queryset = staff_users()


class ReviewForm(GovukForm):
    decision = forms.ChoiceField(
        label="Your review",
        choices=[
            (ReviewStatus.ACCEPTED, "Accept at the assessed level"),
            (ReviewStatus.CHALLENGED, "Challenge: send it back to the assessor"),
            (ReviewStatus.REGRADED, "Regrade to another level"),
        ],
        widget=forms.RadioSelect,
    )
    new_level = forms.ChoiceField(
        label="New level (for a regrade)", choices=[("", "Choose a level"), *DisruptionLevel.choices], required=False
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required for a challenge or a regrade.",
    )


class DebriefForm(AuditedModelForm):
    class Meta:
        model = Debrief
        fields = ("held_on", "no_new_learning", "no_learning_reason", "summary")
        widgets = {
            "held_on": DateInput,
            "no_learning_reason": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }


SORTS = {
    "-opened": ("-opened_on", "-id"),
    "opened": ("opened_on", "id"),
    "reference": ("reference",),
    "-priority": ("-priority_score", "-opened_on", "-id"),
    "status": ("status", "-opened_on", "-id"),
}
SORT_LABELS = [
    ("-opened", "Newest opened first"),
    ("opened", "Oldest opened first"),
    ("reference", "Reference"),
    ("-priority", "Highest priority first"),
    ("status", "Status"),
]
YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]


class OperationFilterForm(FilterForm):
    personal_data_exempt_reason = "A search: nothing typed is stored; typed words are logged only as a hash."
    q = forms.CharField(label="Reference or title", required=False, max_length=100)
    status = forms.ChoiceField(required=False, choices=with_any(OperationStatus.choices))
    exploitation = forms.ChoiceField(label="Exploitation type", required=False, choices=with_any(Exploitation.choices))
    priority = forms.ChoiceField(required=False, choices=with_any(scoring.BAND_CHOICES))
    unit = forms.ChoiceField(label="Lead unit", required=False, choices=[("", "Any")])
    disruption_level = forms.ChoiceField(
        label="Has an accepted disruption at", required=False, choices=with_any(DisruptionLevel.choices)
    )
    debrief_overdue = forms.ChoiceField(label="Debrief overdue", required=False, choices=YES_NO)
    opened_from = forms.DateField(label="Opened from", required=False, widget=DateInput)
    opened_to = forms.DateField(label="Opened to", required=False, widget=DateInput)
    # Drill-down filters of the derived measures (hidden: the measure page links here with them).
    live_on = forms.DateField(required=False, widget=forms.HiddenInput)
    pip_min = forms.IntegerField(required=False, min_value=1, max_value=4, widget=forms.HiddenInput)
    pnd = forms.ChoiceField(required=False, choices=YES_NO, widget=forms.HiddenInput)
    debrief_due_by = forms.DateField(required=False, widget=forms.HiddenInput)
    debriefed_by = forms.DateField(required=False, widget=forms.HiddenInput)
    ended = forms.ChoiceField(required=False, choices=YES_NO, widget=forms.HiddenInput)
    closed_from = forms.DateField(required=False, widget=forms.HiddenInput)
    closed_to = forms.DateField(required=False, widget=forms.HiddenInput)
    charged_from = forms.DateField(required=False, widget=forms.HiddenInput)
    charged_to = forms.DateField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_LABELS)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "Any"), *[(u, u) for u in units]]

    from_before_to = (("opened_from", "opened_to"),)


class DisruptionFilterForm(FilterForm):
    personal_data_exempt_reason = "A filter: nothing typed is stored."
    review = forms.ChoiceField(label="Review", required=False, choices=with_any(ReviewStatus.choices))
    level = forms.ChoiceField(label="Level after review", required=False, choices=with_any(DisruptionLevel.choices))
    pillar = forms.ChoiceField(label="4P pillar", required=False, choices=with_any(Pillar.choices))
    counted = forms.ChoiceField(label="Counted (accepted or regraded)", required=False, choices=YES_NO)
    date_from = forms.DateField(label="Disrupted from", required=False, widget=DateInput)
    date_to = forms.DateField(label="Disrupted to", required=False, widget=DateInput)

    from_before_to = (("date_from", "date_to"),)
