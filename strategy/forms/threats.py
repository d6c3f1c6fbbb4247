from django import forms

from mshtgov import scoring
from mshtgov.forms import PLANNED_DATES, AuditedModelForm, DateInput
from strategy.forms.common import owner_field
from strategy.models import Threat, ThreatAssessment


class ThreatForm(AuditedModelForm):
    date_ranges = {"review_date": PLANNED_DATES}

    class Meta:
        model = Threat
        fields = ["title", "category", "level", "description", "owner", "review_date", "active", "marking"]
        widgets = {"level": forms.RadioSelect, "marking": forms.RadioSelect, "review_date": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = owner_field()


class ThreatAssessmentForm(AuditedModelForm):
    class Meta:
        model = ThreatAssessment
        fields = ["assessed_on", "harm", "likelihood", "confidence", "capacity", "capability", "rationale", "marking"]
        widgets = {
            "assessed_on": DateInput,
            "marking": forms.RadioSelect,
            **{name: forms.RadioSelect for name in scoring.SCALES},
        }

    def __init__(self, *args, threat=None, **kwargs):
        super().__init__(*args, **kwargs)
        if threat is not None:
            self.instance.threat = threat
        for name in scoring.SCALES:
            field = self.fields[name]
            low, high = scoring.bounds(name)
            field.label = scoring.DIMENSION_LABELS[name]
            message = f"Choose a score for {scoring.DIMENSION_LABELS[name].lower()} from {low} to {high}."
            field.error_messages["invalid_choice"] = message
            field.error_messages["required"] = message
            # A radio list must not offer the "---------" blank choice.
            field.choices = [c for c in field.choices if c[0] != ""]

    def clean(self):
        cleaned = super().clean()
        if self.instance.threat_id and cleaned.get("assessed_on"):
            clash = ThreatAssessment.objects.filter(
                threat_id=self.instance.threat_id, assessed_on=cleaned["assessed_on"]
            )
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error("assessed_on", "This threat already has an assessment on that date.")
        return cleaned
