from django import forms

from mshtgov.forms import PLANNED_DATES, AuditedModelForm, DateInput
from strategy.forms.common import FILTERED_SELECT, LinkChangesInHistory, owner_field
from strategy.models import ForceStrategy, Measure, NationalStrategy, Objective, StrategyStatus, Threat

# Facts about an approved strategy that change after approval (the PCC is briefed later, the control
# strategy is refreshed each year); everything else is fixed once approved.
AFTER_APPROVAL_FIELDS = ("pcc_briefed_on", "pcc_support", "msht_in_control_strategy", "control_strategy_rank")


class ForceStrategyForm(AuditedModelForm):
    date_ranges = {"period_start": PLANNED_DATES, "period_end": PLANNED_DATES}

    class Meta:
        model = ForceStrategy
        fields = [
            "title",
            "period_start",
            "period_end",
            "summary",
            "pcc_briefed_on",
            "pcc_support",
            "msht_in_control_strategy",
            "control_strategy_rank",
            "marking",
        ]
        widgets = {
            "period_start": DateInput,
            "period_end": DateInput,
            "pcc_briefed_on": DateInput,
            "pcc_support": forms.RadioSelect,
            "marking": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.status == StrategyStatus.APPROVED:
            for name in list(self.fields):
                if name not in (*AFTER_APPROVAL_FIELDS, "change_reason", "seen_version"):
                    del self.fields[name]
        if not self.instance.pk:
            newest = ForceStrategy.objects.order_by("-version").values_list("version", flat=True).first() or 0
            self.instance.version = newest + 1

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end after it starts.")
        if cleaned.get("msht_in_control_strategy") and not cleaned.get("control_strategy_rank"):
            self.add_error("control_strategy_rank", "Enter MSHT's rank in the control strategy, such as 3.")
        if cleaned.get("control_strategy_rank") and not cleaned.get("msht_in_control_strategy"):
            self.add_error("control_strategy_rank", "Leave the rank blank when MSHT is not in the control strategy.")
        return cleaned


class ObjectiveForm(LinkChangesInHistory, AuditedModelForm):
    date_ranges = {"due_date": PLANNED_DATES}

    link_fields = ("national_strategies", "threats", "measures")

    national_strategies = forms.ModelMultipleChoiceField(
        queryset=NationalStrategy.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="National strategies it aligns with",
    )
    threats = forms.ModelMultipleChoiceField(
        queryset=Threat.objects.active().order_by("title"),
        required=False,
        label="Threats it addresses",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
        widget=FILTERED_SELECT,
    )
    measures = forms.ModelMultipleChoiceField(
        queryset=Measure.objects.filter(active=True),
        required=False,
        label="Measures that track it",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
        widget=FILTERED_SELECT,
    )

    class Meta:
        model = Objective
        fields = [
            "pillar",
            "title",
            "description",
            "owner",
            "rag",
            "status_note",
            "status_date",
            "due_date",
            "national_strategies",
            "threats",
            "measures",
            "marking",
        ]
        widgets = {
            "pillar": forms.RadioSelect,
            "rag": forms.RadioSelect,
            "marking": forms.RadioSelect,
            "status_date": DateInput,
            "due_date": DateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = owner_field()
        if self.instance.pk:
            self.fields["owner"].initial = self.instance.owner_id

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status_note") and not cleaned.get("status_date"):
            self.add_error("status_date", "Enter the date the status note describes.")
        return cleaned


class NationalStrategyForm(AuditedModelForm):
    class Meta:
        model = NationalStrategy
        fields = ["name", "short_name", "description", "order", "active"]
