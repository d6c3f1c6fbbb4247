"""Forms for logging lessons, finding them, and moving them along their lifecycle."""

from django import forms
from django.utils import timezone

from learning.models import Lesson, LessonSource, LessonStatus, LessonTheme
from mshtgov.filters import FilterForm, PersonChoiceField, staff_users, with_any
from mshtgov.forms import PLANNED_DATES, AuditedModelForm, DateInput, GovukForm
from mshtgov.reference import GuidanceTheme, Pillar

LESSON_FIELDS = (
    "title",
    "operation_reference",
    "source",
    "observed_on",
    "pillars",
    "guidance_theme",
    "themes",
    "what_worked",
    "what_did_not",
    "root_cause",
    "recommendation",
    "owner",
    "marking",
)


class LessonForm(AuditedModelForm):
    pillars = forms.MultipleChoiceField(
        label="4P pillars",
        choices=Pillar.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose every pillar the lesson bears on.",
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=LessonTheme.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Themes from the managed list, so lessons can be compared.",
    )
    owner = PersonChoiceField(queryset=staff_users(), help_text="Who is responsible for taking the lesson forward.")

    class Meta:
        model = Lesson
        fields = LESSON_FIELDS
        widgets = {
            "observed_on": DateInput,
            "what_worked": forms.Textarea(attrs={"rows": 4}),
            "what_did_not": forms.Textarea(attrs={"rows": 4}),
            "root_cause": forms.Textarea(attrs={"rows": 3}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()
        if self.instance.pk:
            self.initial["pillars"] = self.instance.pillar_list

    def clean_pillars(self):
        chosen = self.cleaned_data["pillars"]
        return ",".join(p for p in Pillar.values if p in chosen)

    def clean_observed_on(self):
        observed = self.cleaned_data["observed_on"]
        if observed and observed > timezone.localdate():
            raise forms.ValidationError("The date observed cannot be in the future.")
        return observed

    def lesson_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in LESSON_FIELDS if name != "themes"}


OPEN_LESSONS = "open"  # the status filter's "any open status" (learning.selectors.lessons.filter_lessons)


class LessonSearchForm(FilterForm):
    """The lesson list's search box alone: its typed words are never kept, so the list draws this field live on
    every view while the other filters are drawn once (learning.views.lessons). The first field of
    `LessonFilterForm`, defined once here."""

    personal_data_exempt_reason = "A search: nothing typed is stored; free-text terms are logged only as a hash."
    q = forms.CharField(label="Search", required=False, max_length=200, help_text="Words in the title or text")


class LessonFilterForm(LessonSearchForm):
    status = forms.ChoiceField(
        required=False, choices=[*with_any(LessonStatus.choices), (OPEN_LESSONS, "Open (not learned or closed)")]
    )
    theme = forms.ModelChoiceField(required=False, queryset=LessonTheme.objects.all(), empty_label="Any")
    pillar = forms.ChoiceField(label="4P pillar", required=False, choices=with_any(Pillar.choices))
    source = forms.ChoiceField(required=False, choices=with_any(LessonSource.choices))
    guidance_theme = forms.ChoiceField(required=False, choices=with_any(GuidanceTheme.choices))
    observed_from = forms.DateField(label="Observed from", required=False, widget=DateInput)
    observed_to = forms.DateField(label="Observed to", required=False, widget=DateInput)
    learned_from = forms.DateField(label="Validated as learned from", required=False, widget=DateInput)
    learned_to = forms.DateField(label="Validated as learned to", required=False, widget=DateInput)

    from_before_to = (("observed_from", "observed_to"),)


class AdvanceForm(GovukForm):
    to_status = forms.ChoiceField(choices=LessonStatus.choices, widget=forms.HiddenInput)
    on = forms.DateField(
        label="Date of this step", widget=DateInput, help_text="Today, unless the step was taken earlier."
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What happened at this step, for the record.",
    )


class NotAcceptForm(GovukForm):
    reason = forms.CharField(
        label="Why is the lesson not accepted?", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    on = forms.DateField(label="Date of the decision", widget=DateInput)


class LessonActionForm(GovukForm):
    date_ranges = {"due_date": PLANNED_DATES}

    title = forms.CharField(label="What needs to be done", max_length=300)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    owner = PersonChoiceField(queryset=staff_users())
    due_date = forms.DateField(label="Due by", widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError("The due date cannot be in the past.")
        return due


class DisseminationForm(GovukForm):
    audience = forms.CharField(label="To whom", max_length=200, help_text="For example all PIP2 investigators.")
    method = forms.CharField(
        label="How", required=False, max_length=200, help_text="For example a briefing, a bulletin or a training input."
    )
    disseminated_on = forms.DateField(label="When", widget=DateInput)
