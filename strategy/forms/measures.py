from django import forms
from django.core.exceptions import ValidationError

from mshtgov.forms import AuditedModelForm, DateInput, GovukForm
from strategy.models import Measure, MeasureValue
from strategy.periods import period_end_for


class MeasureForm(AuditedModelForm):
    class Meta:
        model = Measure
        fields = [
            "code",
            "name",
            "definition",
            "unit",
            "direction",
            "target",
            "frequency",
            "pillar",
            "data_source",
            "active",
        ]
        widgets = {
            "unit": forms.RadioSelect,
            "direction": forms.RadioSelect,
            "frequency": forms.RadioSelect,
            "pillar": forms.RadioSelect,
        }


class MeasureValueForm(AuditedModelForm):
    class Meta:
        model = MeasureValue
        fields = ["period_start", "value", "note"]
        widgets = {"period_start": DateInput}
        labels = {"period_start": "Period starts"}

    def __init__(self, *args, measure=None, **kwargs):
        super().__init__(*args, **kwargs)
        if measure is not None:
            self.instance.measure = measure
        measure = self.instance.measure
        self.fields["period_start"].help_text = (
            "The first day of the quarter: 1 January, 1 April, 1 July or 1 October."
            if measure.frequency == "quarterly"
            else "The first day of the month."
        )
        self.fields["value"].min_value = 0
        self.fields["value"].widget.attrs["min"] = 0

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None and value < 0:
            raise ValidationError("Enter a value of 0 or more.")
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period_start"):
            self.instance.period_end = period_end_for(cleaned["period_start"], self.instance.measure.frequency)
        return cleaned


class MeasureUploadForm(GovukForm):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: measure, period_start, period_end, value, note (optional). Dates as YYYY-MM-DD.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError("The file must be a CSV file (ending .csv).")
        if upload.size > 1_000_000:
            raise ValidationError("The file must be smaller than 1 MB.")
        try:
            self.text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("The file must be saved as UTF-8 CSV.") from None
        return upload
