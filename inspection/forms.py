"""Forms of the inspection app: a finding, its filters, its steps, and a bundle request."""

from django import forms

from governance.forms import PersonChoiceField, internal_people
from governance.models import Board
from inspection.models import Finding, FindingKind, FindingSource, FindingStatus
from mshtgov.forms import PLANNED_DATES, AuditedModelForm, DateInput, GovukForm
from mshtgov.reference import GuidanceTheme
from strategy.models import Framework, Requirement


class RequirementChoiceField(forms.ModelMultipleChoiceField):
    label_columns = ("reference", "text")  # all its label reads: the list loads only these (issue 15)

    def label_from_instance(self, obj):
        return f"{obj.reference}: {obj.text[:110]}"


class FindingForm(AuditedModelForm):
    date_ranges = {"due_date": PLANNED_DATES}

    owner = PersonChoiceField(queryset=internal_people(), label="Owner")
    requirements = RequirementChoiceField(
        queryset=Requirement.objects.none(),
        required=False,
        # With JavaScript a box above the list filters it as you type (static/js/record-picker.js).
        widget=forms.SelectMultiple(attrs={"size": 8, "data-filter-options": ""}),
        label="Self-assessment requirements it bears on",
        help_text="Optional. Hold Ctrl (or Cmd) to choose more than one.",
    )

    class Meta:
        model = Finding
        fields = [
            "kind",
            "source",
            "source_report",
            "report_date",
            "reference",
            "text",
            "theme",
            "requirements",
            "owner",
            "board",
            "due_date",
            "marking",
        ]
        widgets = {"report_date": DateInput, "due_date": DateInput, "text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        framework = Framework.objects.order_by("-id").first()
        self.fields["requirements"].queryset = (
            Requirement.objects.filter(framework=framework).order_by("order")
            if framework
            else Requirement.objects.none()
        )
        self.fields["board"].queryset = Board.objects.filter(active=True).order_by("name")
        self.fields["board"].empty_label = "No board"

    def clean(self):
        cleaned = super().clean()
        report_date, due = cleaned.get("report_date"), cleaned.get("due_date")
        if report_date and due and due < report_date:
            self.add_error("due_date", "The target date must be on or after the date the report was published.")
        return cleaned


STATUS_FILTERS = [("", "Any status"), ("outstanding", "Not closed"), *FindingStatus.choices]


class FindingFilterForm(GovukForm):
    q = forms.CharField(label="Search", required=False, max_length=100, help_text="Reference, report or text.")
    status = forms.ChoiceField(choices=STATUS_FILTERS, required=False)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *FindingKind.choices], required=False)
    source = forms.ChoiceField(label="From", choices=[("", "Any source"), *FindingSource.choices], required=False)
    theme = forms.ChoiceField(choices=[("", "Any theme"), *GuidanceTheme.choices], required=False)
    overdue = forms.BooleanField(required=False, label="Overdue only")

    def criteria(self) -> dict:
        return self.cleaned_data if self.is_bound and self.is_valid() else {}

    def summary(self) -> dict:
        return {k: v for k, v in self.criteria().items() if v not in ("", None, False)}


class EvidenceForm(GovukForm):
    evidence = forms.CharField(
        label="Evidence that the finding is answered",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="What the force has done and where that is shown. Optional when records are cited as evidence.",
    )


class NoteForm(GovukForm):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class FindingActionForm(GovukForm):
    date_ranges = {"due_date": PLANNED_DATES}

    title = forms.CharField(max_length=300, label="What needs to be done")
    owner = PersonChoiceField(queryset=internal_people(), label="Owner")
    due_date = forms.DateField(label="Due date", widget=DateInput)


class BundleRequestForm(GovukForm):
    theme = forms.ChoiceField(
        label="What to include",
        choices=[("", "Every theme"), *GuidanceTheme.choices],
        required=False,
        widget=forms.RadioSelect,
    )
