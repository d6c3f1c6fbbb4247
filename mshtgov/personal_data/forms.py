"""Forms of the data protection pages: redact a value, keep or dispose of a record due for review."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.text import capfirst

from mshtgov.forms import PLANNED_DATES, DateInput, GovukForm
from mshtgov.personal_data.redaction import redactable_fields
from mshtgov.personal_data.screening import not_screened


class RedactForm(GovukForm):
    personal_data_policy = {
        "passage": not_screened("The personal data to remove: searched for and replaced, never stored or logged.")
    }

    field = forms.ChoiceField(label="Field", widget=forms.RadioSelect)
    passage = forms.CharField(
        label="Words to remove",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off", "spellcheck": "false"}),
        help_text="Copy them from the record. They are replaced wherever they appear in this field, in every "
        "earlier version and in the reasons given for changes. Leave blank to replace the whole field.",
    )
    reason = forms.CharField(
        label="Why is this being redacted?",
        max_length=300,
        help_text="Shown in the record in place of the words, in its history and in the access log. For "
        "example: victim's name recorded in error.",
        error_messages={"required": "Say why the text is being redacted."},
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [(f.name, capfirst(f.verbose_name)) for f in redactable_fields(type(record))]


class ReviewForm(GovukForm):
    date_ranges = {"next_review_on": PLANNED_DATES}

    decision = forms.ChoiceField(
        label="Decision",
        choices=[("keep", "Keep it and review it again later"), ("dispose", "Dispose of it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to keep the record or dispose of it."},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the decision. Do not repeat any personal data the record holds.",
        error_messages={"required": "Say why."},
    )
    next_review_on = forms.DateField(
        label="Review again by",
        required=False,
        widget=DateInput,
        help_text="Only when keeping it: a date after today, within 10 years.",
    )
    confirm = forms.BooleanField(
        label="I understand that disposing of it deletes it, everything listed above and all their history",
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "keep":
            review = cleaned.get("next_review_on")
            if not review and "next_review_on" not in self.errors:
                self.add_error("next_review_on", "Enter the date by which the record must be reviewed again.")
            elif review and review <= timezone.localdate():
                self.add_error("next_review_on", "The next review must be after today.")
            elif review and review > timezone.localdate() + timedelta(days=3653):
                self.add_error("next_review_on", "The next review must be within 10 years.")
        if cleaned.get("decision") == "dispose" and not cleaned.get("confirm"):
            self.add_error("confirm", "Confirm that the record and all its history will be deleted.")
        return cleaned
