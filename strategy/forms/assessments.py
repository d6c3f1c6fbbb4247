from django import forms
from django.core.exceptions import ValidationError

from mshtgov.citations import has_citations
from mshtgov.forms import PLANNED_DATES, AuditedModelForm, DateInput, GovukForm
from mshtgov.marking import Marking
from strategy.forms.common import FILTERED_SELECT, LinkChangesInHistory, owner_field
from strategy.models import Assessment, Measure, Objective, RequirementAssessment, RequirementStatus, Threat
from strategy.services.assessments import LOCKED_MESSAGE


class AssessmentStartForm(GovukForm):
    date_ranges = {"period_end": PLANNED_DATES}

    title = forms.CharField(max_length=200, label="Title", help_text="For example, Self-assessment 2026 to 2027.")
    period_start = forms.DateField(label="Period starts", widget=DateInput)
    period_end = forms.DateField(label="Period ends", widget=DateInput)
    previous = forms.ModelChoiceField(
        queryset=Assessment.objects.none(),
        required=False,
        label="Start from an earlier assessment",
        help_text="Its answers, evidence and owners are copied, ready to review. Leave blank to start afresh.",
    )
    marking = forms.ChoiceField(
        choices=Marking.choices, initial=Marking.OFFICIAL, widget=forms.RadioSelect, label="Protective marking"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["previous"].queryset = Assessment.objects.order_by("-period_end", "-id")

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("period_start")
            and cleaned.get("period_end")
            and cleaned["period_end"] < cleaned["period_start"]
        ):
            self.add_error("period_end", "The period must end after it starts.")
        return cleaned


class AnswerForm(LinkChangesInHistory, AuditedModelForm):
    link_fields = ("evidence_objectives", "evidence_measures", "evidence_threats")

    evidence_objectives = forms.ModelMultipleChoiceField(
        queryset=Objective.objects.none(),
        required=False,
        label="Objectives that evidence it",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
        widget=FILTERED_SELECT,
    )
    evidence_measures = forms.ModelMultipleChoiceField(
        queryset=Measure.objects.filter(active=True),
        required=False,
        label="Measures that evidence it",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
        widget=FILTERED_SELECT,
    )
    evidence_threats = forms.ModelMultipleChoiceField(
        queryset=Threat.objects.active().order_by("title"),
        required=False,
        label="Threat assessments that evidence it",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
        widget=FILTERED_SELECT,
    )

    class Meta:
        model = RequirementAssessment
        fields = [
            "status",
            "evidence",
            "owner",
            "evidence_objectives",
            "evidence_measures",
            "evidence_threats",
            "marking",
        ]
        widgets = {"status": forms.RadioSelect, "marking": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = owner_field()
        self.fields["evidence_objectives"].queryset = Objective.objects.select_related("strategy").order_by(
            "-strategy__version", "pillar", "title"
        )
        # Each strategy version carries its own copy of an objective: say which one, or the list shows the
        # same title once per version with nothing to choose between them.
        self.fields["evidence_objectives"].label_from_instance = lambda o: (
            f"{o.title} (strategy version {o.strategy.version}, {o.strategy.get_status_display().lower()})"
        )
        self.fields["evidence_objectives"].label_columns = ("title", "strategy__version", "strategy__status")
        self.fields["status"].choices = [c for c in self.fields["status"].choices if c[0] != ""]

    def clean(self):
        cleaned = super().clean()
        if self.instance.assessment.is_locked:
            raise ValidationError(LOCKED_MESSAGE, code="locked")
        # Met or partly met is a claim an inspector will test: it needs evidence, written or linked
        # (an objective, measure or threat chosen here, or a record cited from the answer's page).
        if cleaned.get("status") in (RequirementStatus.MET, RequirementStatus.PARTLY_MET):
            linked = any(cleaned.get(name) for name in self.link_fields)
            cited = self.instance.pk is not None and has_citations(self.instance)
            if not (cleaned.get("evidence") or "").strip() and not linked and not cited:
                self.add_error(
                    "evidence",
                    "Enter the evidence that the requirement is met, or link a record that shows it",
                )
        return cleaned


class RaiseActionForm(GovukForm):
    date_ranges = {"due_date": PLANNED_DATES}

    title = forms.CharField(max_length=300, label="What needs to be done")
    owner = forms.ModelChoiceField(queryset=None, label="Owner")
    due_date = forms.DateField(label="Due date", widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = owner_field(required=True)


class CompareForm(GovukForm):
    earlier = forms.ModelChoiceField(queryset=None, label="Earlier assessment")
    later = forms.ModelChoiceField(queryset=None, label="Later assessment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("earlier", "later"):
            self.fields[name].queryset = Assessment.objects.order_by("-period_end", "-id")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("earlier") and cleaned.get("earlier") == cleaned.get("later"):
            self.add_error("later", "Choose two different assessments.")
        elif (
            cleaned.get("earlier")
            and cleaned.get("later")
            and cleaned["earlier"].framework_id != cleaned["later"].framework_id
        ):
            self.add_error("later", "Both assessments must be against the same framework.")
        return cleaned
