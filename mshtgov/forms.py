"""GOV.UK-styled forms for every app.

`GovukForm` and `AuditedModelForm` render with the GOV.UK Frontend classes (error messages beside
the field, hints linked by aria-describedby). `AuditedModelForm` also asks why a record changed (kept in
its history) and refuses to overwrite a record someone else saved after this user opened it.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name
from django.utils import timezone

from mshtgov.personal_data.screening import not_screened, screen_form
from mshtgov.tracking import conflict_message, last_saved_by, version_of


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


_WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "nullbooleanselect": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}
_ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}
_MULTIPLE_CHOICE = {"checkboxselectmultiple", "radioselect"}


class GovukBoundField(BoundField):
    @property
    def is_multiple_choice(self) -> bool:
        return self.widget_type in _MULTIPLE_CHOICE

    @property
    def anchor_id(self) -> str:
        """Where an error-summary link for this field should land."""
        return f"{self.auto_id}_0" if self.is_multiple_choice else self.auto_id

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def described_by(self) -> str:
        ids = []
        if self.help_text:
            ids.append(self.hint_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        css = _WIDGET_CLASSES.get(self.widget_type, "govuk-input")
        if self.widget_type in _MULTIPLE_CHOICE or self.widget_type == "hidden":
            return attrs
        classes = [css, attrs.get("class", "")]
        if self.errors and css in _ERROR_CLASSES:
            classes.append(_ERROR_CLASSES[css])
        attrs["class"] = " ".join(c for c in classes if c)
        if self.described_by:
            attrs["aria-describedby"] = self.described_by
        else:
            attrs.pop("aria-describedby", None)
        return attrs


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, into a year that has none
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class DateRange:
    """The dates a date field accepts: from `earliest` to `years_ahead` years after today.

    Every date field of every form gets one (`GovukFormMixin`): a date typed as 9999-12-31 otherwise
    reaches code that adds a period to it and fails ("year 10000 is out of range")."""

    earliest: date = date(2000, 1, 1)
    years_ahead: int = 1

    def bounds(self, today: date) -> tuple[date, date]:
        return self.earliest, _years_after(today, self.years_ahead)


# Something that happened, or happens soon (a meeting, a step, a report): the default for every date field.
EVENT_DATES = DateRange()
# A date planned ahead: a due date, a review date, the end of an agreement or a plan's period.
PLANNED_DATES = DateRange(years_ahead=10)


class DateRangeValidator:
    """Refuses a date outside the field's `DateRange`, with the GOV.UK message "<Label> must be between
    <date> and <date>". Today is read when the form is validated, not when the module is loaded."""

    def __init__(self, date_range: DateRange, label: str):
        self.date_range = date_range
        self.label = label

    def __call__(self, value):
        day = value
        if isinstance(value, datetime):
            day = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
        earliest, latest = self.date_range.bounds(timezone.localdate())
        if not earliest <= day <= latest:
            raise forms.ValidationError(
                f"{self.label} must be between {_long_date(earliest)} and {_long_date(latest)}",
                code="date_out_of_range",
            )


_LARGEST_ID = 2**63 - 1


def _refuse_ids_out_of_range(field):
    """A multiple choice looks its ids up with `pk__in`, which SQLite cannot bind past 64 bits (a 500 on a
    tampered form): refuse such an id as Django refuses any id that is not one of the choices."""
    check = field._check_values

    def checked(values):
        for value in values or ():
            text = str(value).strip().lstrip("-")
            # Compared by length first: int() refuses strings of more than 4,300 digits.
            if text.isdigit() and (len(text) > 19 or int(text) > _LARGEST_ID):
                raise forms.ValidationError(
                    field.error_messages["invalid_choice"], code="invalid_choice", params={"value": text[:20]}
                )
        return check(values)

    field._check_values = checked


class GovukFormMixin:
    """GOV.UK rendering, the personal-data screen on every free-text field (`mshtgov.personal_data`), and a
    sane range on every date field.

    A form may set `personal_data_policy = {field name: not_screened(reason) | allowing(kinds, reason=...)}`,
    or `personal_data_exempt_reason` when it stores nothing (a search form); and
    `date_ranges = {field name: DateRange}` for a date field that is not an `EVENT_DATES` one."""

    bound_field_class = GovukBoundField
    personal_data_policy: dict = {}
    personal_data_exempt_reason: str = ""
    date_ranges: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_dates()
        for each in self.fields.values():
            if isinstance(each, forms.ModelMultipleChoiceField):
                _refuse_ids_out_of_range(each)

    def limit_dates(self):
        """Give every date field its range (validator, and min/max for the browser's date picker). Called
        again before validation, so a field a form adds after `__init__` is covered too."""
        today = timezone.localdate()
        for name, field in self.fields.items():
            if not isinstance(field, forms.DateField | forms.DateTimeField):
                continue
            if any(isinstance(v, DateRangeValidator) for v in field.validators):
                continue
            date_range = self.date_ranges.get(name, EVENT_DATES)
            label = str(field.label or pretty_name(name))
            field.validators.append(DateRangeValidator(date_range, label[:1].upper() + label[1:]))
            if isinstance(field, forms.DateField) and getattr(field.widget, "input_type", "") == "date":
                earliest, latest = date_range.bounds(today)
                field.widget.attrs.setdefault("min", earliest.isoformat())
                field.widget.attrs.setdefault("max", latest.isoformat())

    def full_clean(self):
        self.limit_dates()
        super().full_clean()
        screen_form(self)
        if self._errors:
            for name in list(self._errors):
                if name in self.fields:
                    self._errors[name] = self.error_class(
                        [
                            say_what_to_do(self.fields[name], error, self[name].label)
                            for error in self._errors[name].as_data()
                        ],
                        renderer=self.renderer,
                    )

    def error_summary_items(self):
        """(message, anchor) pairs in field order, for the GOV.UK error summary."""
        items = []
        first_anchor = next((f.anchor_id for f in self.visible_fields()), "")
        for message in self.non_field_errors():
            items.append((message, first_anchor))
        for field in self.visible_fields():
            for message in field.errors:
                items.append((message, field.anchor_id))
        for field in self.hidden_fields():
            for message in field.errors:
                items.append((f"{field.label}: {message}", first_anchor))
        return items


# Django's generic messages ("This field is required.") name no field; the error summary lists them away
# from their fields, so each is rewritten to say which field and what to do, in GOV.UK wording. A form
# that sets its own message for a field (error_messages=...) keeps it.
_CHOICE_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.SelectMultiple)


def _label(label) -> str:
    """ "Due date" -> "the due date"; "NRM referrals" keeps its capitals; "Your name" -> "your name"."""
    label = str(label or "this field").rstrip(" ?:")
    if label[:2] != label[:2].upper():
        label = label[0].lower() + label[1:]
    return (
        label
        if label.split(" ", 1)[0].lower() in ("the", "a", "an", "your", "this", "who", "what", "when")
        else f"the {label}"
    )


def _default_messages(field) -> dict:
    messages = {}
    for cls in reversed(type(field).__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


def say_what_to_do(field, error, label="") -> str:
    """`error` (a ValidationError of `field`) as a message naming the field and saying what to do."""
    message = error.messages[0]
    code = error.code
    if code is None or str(field.error_messages.get(code)) != str(_default_messages(field).get(code)):
        return message  # a message the form wrote for this field
    label = _label(label or field.label)
    if code == "required":
        if isinstance(field, forms.FileField):
            return f"Select {label}"
        if isinstance(field.widget, _CHOICE_WIDGETS) or isinstance(field, forms.BooleanField):
            return f"Select {label}"
        return f"Enter {label}"
    if code == "invalid" and isinstance(field, forms.DateField):
        return f"Enter {label} as a real date, for example 27 3 2026"
    if code == "invalid" and isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return f"Enter {label} as a number, like 12"
    if code == "invalid_choice":
        return f"Choose {label} from the list"
    return message


class GovukForm(GovukFormMixin, forms.Form):
    pass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d")


class VersionedFormMixin:
    """A form that carries the version of what its user opened (a hidden `seen_version`), so a save made by
    someone else meanwhile is refused instead of silently overwritten (`mshtgov.tracking.EditConflict`)."""

    @property
    def version_seen(self) -> str:
        return self.data.get(self.add_prefix("seen_version"), "")

    def accept_version(self, version: str) -> None:
        """The user has been told of the newer version: let their next submission go through."""
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_version")] = version


def version_field():
    field = forms.CharField(widget=forms.HiddenInput, required=False)
    field.personal_data_policy = not_screened("The version the editor saw: a value the form wrote.")
    return field


class AuditedModelForm(VersionedFormMixin, GovukFormMixin, forms.ModelForm):
    """A model form for a TrackedModel: asks for a reason when editing and detects lost updates."""

    change_reason = forms.CharField(
        label="Reason for the change",
        help_text="Kept in the record's history.",
        max_length=500,
        required=False,
        widget=forms.TextInput,
    )
    seen_version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = self.instance.pk is not None
        if self.editing:
            self.fields["change_reason"].required = True
            self.fields["seen_version"].initial = version_of(self.instance.updated_at)
        else:
            del self.fields["change_reason"]
        # The reason comes last, after the fields it explains.
        if "change_reason" in self.fields:
            self.fields["change_reason"] = self.fields.pop("change_reason")

    def clean(self):
        # An early check, so a stale edit is refused before any service runs; the one that counts runs when
        # the record is written, under a row lock (`mshtgov.tracking.save_checking_version`).
        cleaned = super().clean()
        if self.editing:
            model = type(self.instance)
            current = model._base_manager.filter(pk=self.instance.pk).values_list("updated_at", flat=True).first()
            if current is not None and self.version_seen != version_of(current):
                self.accept_version(version_of(current))
                raise forms.ValidationError(conflict_message(last_saved_by(self.instance), current), code="conflict")
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if self.editing:
            self.instance._seen_version = self.version_seen

    def save(self, commit=True):
        reason = self.cleaned_data.get("change_reason") or ("Created" if not self.editing else "Edited")
        self.instance._change_reason = reason
        return super().save(commit=commit)
