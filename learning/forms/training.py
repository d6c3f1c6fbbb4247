"""Forms for the training catalogue, imports and the establishment."""

from django import forms

from learning.models import RoleGroup, TrainingProduct
from learning.services.training_csv import MAX_IMPORT_BYTES
from mshtgov.forms import AuditedModelForm, GovukForm


class ProductForm(AuditedModelForm):
    audience = forms.ModelMultipleChoiceField(
        queryset=RoleGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text="The role groups who should hold this product.",
    )

    class Meta:
        model = TrainingProduct
        fields = (
            "name",
            "code",
            "provider",
            "national",
            "description",
            "audience",
            "refresher_months",
            "target_percent",
            "active",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CsvUploadForm(GovukForm):
    file = forms.FileField(label="CSV file")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file (its name ends .csv).")
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1048576:.0f} MB: the largest file you can import is "
                f"{MAX_IMPORT_BYTES // 1048576} MB. Split the export into smaller files."
            )
        return upload


class TrainingImportForm(CsvUploadForm):
    file = forms.FileField(
        label="Training export (CSV)",
        help_text="Columns: staff_number, role_group, unit, product, completed_on. Nothing is imported until "
        "you have checked the preview.",
    )


class EstablishmentImportForm(CsvUploadForm):
    file = forms.FileField(
        label="Establishment (CSV)",
        help_text="Columns: unit, role_group, headcount. Each row sets the headcount of a role group in a unit.",
    )


class EstablishmentForm(GovukForm):
    unit = forms.CharField(label="Unit", max_length=120, help_text="A new unit name adds the unit.")
    role_group = forms.ModelChoiceField(queryset=RoleGroup.objects.all(), label="Role group")
    headcount = forms.IntegerField(
        min_value=0, max_value=100_000, help_text="How many people of this role group the unit has."
    )

    def clean_unit(self):
        return " ".join(self.cleaned_data["unit"].split())
