"""GOV.UK-styled forms for every app.

`GovukForm` and `AuditedModelForm` render with the GOV.UK Frontend classes (error messages beside
the field, hints linked by aria-describedby). `AuditedModelForm` also asks why a record changed (kept in
its history) and refuses to overwrite a record someone else saved after this user opened it.
"""

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.forms.boundfield import BoundField
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.forms.utils import from_current_timezone, pretty_name
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from mshtgov.fixed_choices import fixed_sql
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


# The columns a model's own label (`__str__`) reads, for the models offered in choice lists: a list drawn from
# them loads only these (`LeanChoiceIterator`). Test: tests/core/test_forms_lean_choices.py.
LABEL_COLUMNS = {
    "strategy.Measure": ("name",),
    "strategy.Threat": ("title",),
    "strategy.Objective": ("title",),
    "strategy.Requirement": ("reference", "text"),
    "strategy.Assessment": ("title",),
    "strategy.NationalStrategy": ("name",),
    "partnerships.PartnerOrganisation": ("name",),
    "governance.Board": ("name",),
    "governance.AgendaItem": ("title",),
    "learning.LessonTheme": ("name",),
    "learning.RoleGroup": ("name",),
}


class LeanChoiceIterator(ModelChoiceIterator):
    """A model choice list that loads only the columns its labels read: a form offering every threat,
    objective and measure (460 options at scale 20) spent most of its time loading and parsing whole rows,
    timestamps and long texts included, to show a title (issue 15). Used for drawing only: a chosen value is
    still looked up in the field's own queryset, whole, when the form is read."""

    def __init__(self, field, columns):
        super().__init__(field)
        self.source, self.columns = self.queryset, columns
        self.queryset = self.queryset.only(*columns)


def label_columns(field) -> tuple[str, ...] | None:
    """The columns `field`'s option labels read, or None when they are not known (the list is loaded whole).

    A field may say (`field.label_columns`); a list of people is labelled by name (full name or user name);
    a model's own label is known for the models in LABEL_COLUMNS."""
    if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
        return None
    queryset = field.queryset
    names, deferring = queryset.query.deferred_loading
    if queryset._prefetch_related_lookups or (deferring and names):
        return None
    columns = getattr(field, "label_columns", None)
    model = queryset.model
    if columns is None:
        if model is get_user_model():
            columns = ("first_name", "last_name", model.USERNAME_FIELD)
        elif "label_from_instance" not in field.__dict__ and (
            type(field).label_from_instance is forms.ModelChoiceField.label_from_instance
        ):
            columns = LABEL_COLUMNS.get(model._meta.label)
        if columns is None or queryset.query.select_related:
            return None
    if field.to_field_name:
        columns = (*columns, field.to_field_name)
    if not deferring and not set(columns) <= set(names):  # already .only(): never load less than it asked
        columns = (*columns, *sorted(names))
    return columns


class GovukBoundField(BoundField):
    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        if (columns := label_columns(field)) is not None:
            field.widget.choices = LeanChoiceIterator(field, columns)

    @property
    def is_multiple_choice(self) -> bool:
        return self.widget_type in _MULTIPLE_CHOICE

    @property
    def is_date_input(self) -> bool:
        return isinstance(self.field.widget, DateInput)

    @property
    def anchor_id(self) -> str:
        """Where an error-summary link for this field should land (a date: its first box at fault)."""
        if self.is_date_input:
            return f"{self.auto_id}-{self.field.widget.faulty_parts(self.value())[0] if self.errors else 'day'}"
        return f"{self.auto_id}_0" if self.is_multiple_choice else self.auto_id

    @property
    def date_hint(self) -> str:
        """A date's hint: the field's own help text, then the GOV.UK example."""
        help_text = str(self.help_text or "").strip()
        if help_text and not help_text.endswith((".", "?", ")")):
            help_text += "."
        return " ".join(t for t in (help_text, f"For example, {self.field.widget.example}") if t)

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def described_by(self) -> str:
        ids = []
        if self.help_text or self.is_date_input:
            ids.append(self.hint_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if isinstance(widget or self.field.widget, DateInput):
            # The fieldset carries the hint and error; the widget marks the boxes at fault itself.
            if self.errors:
                attrs["data-date-errors"] = True
            return attrs
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


# --- Dates: the GOV.UK date input (day, month, year boxes), never the browser's locale picker -------------

DATE_PARTS = ("day", "month", "year")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_ISO_DATE = re.compile(r"\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\s*")
_ISO_DATETIME = re.compile(
    r"\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ]([0-9]{1,2}:[0-9]{2})(?::[0-9]{2}(?:\.[0-9]+)?)?)?\s*"
)
_ONE_OR_TWO_DIGITS = re.compile(r"[0-9]{1,2}")


def _month_number(text: str) -> int | None:
    """ "3", "03", "March", "mar", "Sept" -> 3 or 9; anything else None."""
    if _ONE_OR_TWO_DIGITS.fullmatch(text):
        return int(text) if 1 <= int(text) <= 12 else None
    word = text.lower().rstrip(".")
    if len(word) >= 3 and word.isascii() and word.isalpha():
        matches = [i for i, name in enumerate(_MONTHS, start=1) if name.startswith(word)]
        return matches[0] if len(matches) == 1 else None
    return None


class DateParts(str):
    """What someone typed into a date input's boxes (day, month, year, and the time for a date and time),
    each stripped of spaces.

    A `str`, so that anything reading the raw value sees ISO (2027-03-27, 2027-03-27 14:30) when the boxes
    hold a real date; `value` is that date (or naive datetime), or None with `faults` (the boxes at fault)
    and `problem` saying why."""

    def __new__(cls, day: str = "", month: str = "", year: str = "", time: str | None = None):
        parts = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
        if time is not None:
            parts["time"] = time.strip()
        found, faults, problem = _read_parts(parts)
        if isinstance(found, datetime):
            text = found.isoformat(sep=" ", timespec="minutes")
        else:
            text = found.isoformat() if found else "/".join(parts.values())
        self = super().__new__(cls, text)
        self.parts, self.value, self.faults, self.problem = parts, found, faults, problem
        return self

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.parts)

    @property
    def is_empty(self) -> bool:
        return not any(self.parts.values())


_TIME = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?\s*([ap])?(?:\.?m\.?)?", re.IGNORECASE)


def _read_time(text: str) -> time | None:
    """ "14:30", "14.30", "9:05", "2:30pm", "2pm" -> a time; "14" alone, "25:00", "2:30xm" -> None."""
    found = _TIME.fullmatch(text)
    if not found or (found[3] is None and text.lower().endswith("m")):
        return None
    hour, minute, half = int(found[1]), int(found[2] or 0), (found[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    elif found[2] is None:
        return None
    return time(hour, minute) if hour <= 23 and minute <= 59 else None


def _read_parts(typed: dict) -> tuple[date | datetime | None, tuple[str, ...], str]:
    missing = tuple(p for p in typed if not typed[p])
    if len(missing) == len(typed):
        return None, (), ""
    if missing:
        return None, missing, "missing"
    day, month, year = typed["day"], typed["month"], typed["year"]
    day_number = int(day) if _ONE_OR_TWO_DIGITS.fullmatch(day) and 1 <= int(day) <= 31 else None
    month_number = _month_number(month)
    year_number = int(year) if re.fullmatch(r"[0-9]{4}", year) and int(year) >= 1 else None
    clock = _read_time(typed["time"]) if "time" in typed else None
    numbers = {"day": day_number, "month": month_number, "year": year_number}
    if "time" in typed:
        numbers["time"] = clock
    faults = tuple(p for p, n in numbers.items() if n is None)
    if faults == ("year",) and year.isascii() and year.isdigit():
        return None, faults, "year"
    if faults == ("time",):
        return None, faults, "time"
    if faults:
        return None, faults, "real"
    try:
        found = date(year_number, month_number, day_number)
    except ValueError:  # 31 April, 29 February in a common year
        return None, ("day",), "real"
    return (datetime.combine(found, clock) if clock else found), (), ""


def date_parts_of(value, with_time: bool = False) -> DateParts | None:
    """A date input's value as its boxes: what was typed, a date (or datetime), or an ISO date from a
    query string or a test (`?opened_from=2026-01-01`, `starts_at=2026-03-01T14:30`). None for anything
    else (shown as empty boxes)."""
    if isinstance(value, DateParts):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        clock = f"{value:%H:%M}" if with_time else None
        return DateParts(str(value.day), str(value.month), str(value.year), clock)
    if isinstance(value, date):
        return DateParts(str(value.day), str(value.month), str(value.year), "" if with_time else None)
    if isinstance(value, str) and (iso := (_ISO_DATETIME if with_time else _ISO_DATE).fullmatch(value)):
        year, month, day = iso.groups()[:3]
        clock = (iso[4] or "") if with_time else None
        return DateParts(str(int(day)), str(int(month)), year, clock)
    return None


def _listed(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def date_problem_message(parts: DateParts, label: str) -> str:
    """GOV.UK wording for a date that could not be read, naming the field ("Due date must include a month")."""
    if parts.problem == "missing":
        return f"{label} must include a {_listed(parts.faults)}"
    if parts.problem == "year":
        return f"{label} must include a year with 4 numbers, for example 2027"
    if parts.problem == "time":
        return f"{label} must include a real time, for example 14:30 or 2:30pm"
    return f"{label} must be a real date"


def _example_date(date_range: DateRange, today: date) -> str:
    """The hint's example: a day in the past for events, next year for planned dates."""
    year = today.year + 1 if date_range.years_ahead > 1 else today.year - 1
    return f"27 3 {year}"


class DateInput(forms.Widget):
    """The GOV.UK date input: a fieldset (drawn by forms/govuk_field.html) holding three boxes named
    `<name>-day`, `<name>-month`, `<name>-year`. It also reads a plain `<name>=YYYY-MM-DD` (drill-down
    links and filters put ISO dates in query strings) and fills the boxes from it when redrawn.

    Never `<input type="date">`: the browser's picker shows dates in the browser's locale (month first in
    a US-set browser), cannot be typed into the same way in every browser and is poorly read by screen
    readers. `GovukFormMixin` gives every date field this widget and reads the boxes GOV.UK style."""

    template_name = "forms/widgets/govuk_date.html"
    use_fieldset = True
    with_time = False
    example = "27 3 2026"  # replaced per field by GovukFormMixin.limit_dates

    def __init__(self, attrs=None):
        attrs = {k: v for k, v in (attrs or {}).items() if k not in ("class", "min", "max")}
        super().__init__(attrs)

    @property
    def part_names(self) -> tuple[str, ...]:
        return (*DATE_PARTS, "time") if self.with_time else DATE_PARTS

    def subwidget_names(self, name: str) -> list[str]:
        return [f"{name}-{part}" for part in self.part_names]

    def value_from_datadict(self, data, files, name):
        typed = [data.get(n) for n in self.subwidget_names(name)]
        if any(isinstance(t, str) and t.strip() for t in typed):
            return DateParts(*((t if isinstance(t, str) else "") for t in typed))
        if name in data:
            return data.get(name)
        if any(t is not None for t in typed):
            return ""
        return None

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(n in data for n in self.subwidget_names(name))

    def id_for_label(self, id_):
        return f"{id_}-day" if id_ else id_

    def format_value(self, value):
        return date_parts_of(value, self.with_time)

    def faulty_parts(self, value) -> tuple[str, ...]:
        """The boxes to mark when the field has an error: those at fault if the value could not be read,
        otherwise all of them (the whole date is wrong: out of range, or empty and required)."""
        parts = date_parts_of(value, self.with_time)
        if parts is not None and parts.faults:
            return parts.faults
        return self.part_names

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        attrs = widget["attrs"]
        has_errors = attrs.pop("data-date-errors", False)
        for dropped in ("class", "required", "aria-describedby", "aria-invalid", "min", "max"):
            attrs.pop(dropped, None)
        base_id = attrs.pop("id", None) or f"id_{name}"
        parts = widget["value"]
        at_fault = self.faulty_parts(parts) if has_errors else ()
        widget["id"] = base_id
        widget["items"] = [
            {
                "part": part,
                "label": part.capitalize(),
                "id": f"{base_id}-{part}",
                "name": f"{name}-{part}",
                "value": parts.parts.get(part, "") if parts is not None else "",
                "width": {"year": 4, "time": 5}.get(part, 2),
                "numeric": part != "time",  # 14:30 needs a colon, which a numeric keypad may not offer
                "error": part in at_fault,
            }
            for part in self.part_names
        ]
        return context


class DateTimeInput(DateInput):
    """The GOV.UK date input with a fourth box for the time (`<name>-time`: 14:30, 2:30pm), for a
    DateTimeField (a meeting's start). Reads a plain `<name>=YYYY-MM-DDTHH:MM` too."""

    with_time = True


def _reading_date_parts(to_python, label: str, with_time: bool = False):
    """Wraps a date field's `to_python` so the boxes' problems get GOV.UK messages naming the field."""
    iso = _ISO_DATETIME if with_time else _ISO_DATE

    def read(value):
        if isinstance(value, str) and not isinstance(value, DateParts) and iso.fullmatch(value):
            value = date_parts_of(value, with_time)
        if isinstance(value, DateParts):
            if value.is_empty:
                return None
            if value.value is None:
                raise forms.ValidationError(date_problem_message(value, label), code="invalid_date")
            if isinstance(value.value, datetime):
                try:
                    return from_current_timezone(value.value)
                except forms.ValidationError:  # the hour the clocks go forward (missing) or back (twice)
                    raise forms.ValidationError(
                        f"{label} is in the hour when the clocks change: enter a time before 1am or after 2am",
                        code="invalid_date",
                    ) from None
            return value.value
        return to_python(value)

    return read


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
        """Give every date field its range (a validator, and the hint's example) and the GOV.UK date input,
        read GOV.UK style (`DateInput`). Called again before validation, so a field a form adds after
        `__init__` is covered too."""
        today = timezone.localdate()
        for name, field in self.fields.items():
            if not isinstance(field, forms.DateField | forms.DateTimeField):
                continue
            if any(isinstance(v, DateRangeValidator) for v in field.validators):
                continue
            date_range = self.date_ranges.get(name, EVENT_DATES)
            label = str(field.label or pretty_name(name))
            label = label[:1].upper() + label[1:]
            field.validators.append(DateRangeValidator(date_range, label))
            if isinstance(field.widget, forms.HiddenInput):
                continue
            with_time = isinstance(field, forms.DateTimeField)
            if not isinstance(field.widget, DateInput) or field.widget.with_time != with_time:
                # A model form's default widget, or a browser date picker: never shown (issue 13 item 6).
                field.widget = (DateTimeInput if with_time else DateInput)(attrs=field.widget.attrs)
                field.widget.is_required = field.required
            field.widget.example = _example_date(date_range, today)
            if with_time:
                field.widget.example += " and a time such as 14:30"
            field.to_python = _reading_date_parts(field.to_python, label, with_time)

    def render(self, template_name=None, context=None, renderer=None):
        """`{{ form }}`: the markup forms/govuk_form.html gives, drawn in one pass (`render_in_one_pass`)."""
        if (
            template_name is None
            and context is None
            and renderer is None
            and self.template_name == GovukFormRenderer.form_template_name
        ):
            return render_in_one_pass(self)
        return super().render(template_name, context, renderer)

    # Django's RenderableMixin binds these to its own render(): `{{ form }}` calls __html__.
    __str__ = render
    __html__ = render

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


def _attrs_html(attrs: dict) -> str:
    """Attributes as Django's django/forms/widgets/attrs.html writes them (True bare, False left out)."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _widget_context(field: BoundField) -> dict:
    """The widget's context exactly as `BoundField.as_widget()` builds it before its template draws it."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return widget.get_context(field.html_name, field.value(), attrs)["widget"]


def _errors_html(field: BoundField) -> str:
    if not field.errors:
        return ""
    messages = "<br>".join(
        f'<span class="govuk-visually-hidden">Error:</span> {conditional_escape(error)}' for error in field.errors
    )
    return f'<p id="{field.error_id}" class="govuk-error-message">{messages}</p>'


def _esc(text) -> str:
    """`conditional_escape`, quicker for a plain str (the same text: Django's escape is html.escape)."""
    return html.escape(text) if type(text) is str else conditional_escape(text)


def _group_open(field: BoundField) -> str:
    return f'<div class="govuk-form-group{" govuk-form-group--error" if field.errors else ""}">\n'


def _plain_group(field: BoundField, box: str) -> str:
    """forms/govuk_field.html's plain branch (a label, the hint, the errors, then the widget)."""
    optional = "" if field.field.required else " (optional)"
    hint = f'<div id="{field.hint_id}" class="govuk-hint">{conditional_escape(field.help_text)}</div>'
    return (
        f'{_group_open(field)}  <label class="govuk-label govuk-label--s" for="{field.auto_id}">'
        f"{conditional_escape(field.label)}{optional}</label>\n  {hint if field.help_text else ''}\n"
        f"  {_errors_html(field)}\n\n  {box}\n</div>"
    )


_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _is_plain_select(widget) -> bool:
    """Django's Select or SelectMultiple as it is (our select.html draws it), not one that changes how its
    options are worked out (NullBooleanSelect's values, a widget with its own option template...)."""
    kind = type(widget)
    return (
        isinstance(widget, forms.Select)
        and widget.template_name == _SELECT_TEMPLATE
        and widget.option_template_name == _OPTION_TEMPLATE
        and not widget.option_inherits_attrs
        and kind.format_value is forms.Select.format_value
        and kind.get_context is forms.Select.get_context
        and kind.optgroups is forms.Select.optgroups
        and kind.options is forms.Select.options
        and kind.create_option is forms.Select.create_option
    )


def _options_html(widget, values) -> str | None:
    """The <option>s as ChoiceWidget.optgroups and select_option.html give them (a value selected if its text
    is among the values, only the first unless the widget allows several), without an option dict and a
    template call per option. None for grouped choices."""
    values = set(values)
    several = widget.allow_multiple_selected
    parts, has_selected = [], False
    for value, label in widget.choices:
        if isinstance(label, list | tuple):
            return None
        text = "" if value is None else str(value)
        selected = (not has_selected or several) and text in values
        has_selected |= selected
        parts.append(f'\n  <option value="{_esc(text)}"{" selected" if selected else ""}>{_esc(label)}</option>')
    return "".join(parts)


def _select_html(field: BoundField) -> str | None:
    """templates/django/forms/widgets/select.html, its options written out in one loop; None if not a plain
    select."""
    widget = field.field.widget
    if not _is_plain_select(widget):
        return None
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    options = _options_html(widget, widget.format_value(field.value()))
    if options is None:
        return None
    attrs = widget.build_attrs(widget.attrs, attrs)
    if widget.allow_multiple_selected:
        attrs["multiple"] = True
    return f'<select name="{_esc(field.html_name)}"{_attrs_html(attrs)}>{options}\n</select>'


def _checkbox_group(field: BoundField) -> str:
    """forms/govuk_field.html's single-checkbox branch around Django's input.html."""
    widget = _widget_context(field)
    value = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
    name = conditional_escape(widget["name"])
    box = f'<input type="{widget["type"]}" name="{name}"{value}{_attrs_html(widget["attrs"])}>'
    help_text = conditional_escape(field.help_text)
    hint = f'<div id="{field.hint_id}" class="govuk-hint govuk-checkboxes__hint">{help_text}</div>' if help_text else ""
    return (
        f"{_group_open(field)}  {_errors_html(field)}\n\n"
        '  <div class="govuk-checkboxes govuk-checkboxes--small">\n    <div class="govuk-checkboxes__item">\n'
        f'      {box}\n      <label class="govuk-label govuk-checkboxes__label" for="{field.auto_id}">'
        f"{conditional_escape(field.label)}</label>\n    </div>\n    {hint}\n  </div>\n</div>"
    )


def _choice_items_html(field: BoundField) -> str:
    """The `choice_items` filter's markup (mshtgov.templatetags.govuk), escaped without a format_html per item."""
    from mshtgov.templatetags.govuk import _flat_choices, choice_items

    items = _flat_choices(field)
    if items is None:
        return choice_items(field)
    kind, input_type = ("radios", "radio") if field.widget_type == "radioselect" else ("checkboxes", "checkbox")
    name = _esc(field.html_name)
    parts = []
    for ident, value, selected, label in items:
        ident = _esc(ident)
        parts.append(
            f'\n      <div class="govuk-{kind}__item">\n        <input class="govuk-{kind}__input" id="{ident}"'
            f' name="{name}" type="{input_type}" value="{_esc(value)}"{" checked" if selected else ""}>\n'
            f'        <label class="govuk-label govuk-{kind}__label" for="{ident}">{_esc(label)}</label>\n'
            "      </div>"
        )
    return "".join(parts)


def _choices_group(field: BoundField) -> str:
    """forms/govuk_field.html's branch for radios and checkbox lists: a fieldset, its legend, hint and errors."""
    described = field.described_by
    described = f' aria-describedby="{_esc(described)}"' if described else ""
    hint = f'<div id="{field.hint_id}" class="govuk-hint">{conditional_escape(field.help_text)}</div>'
    kind = "govuk-radios govuk-radios--small" if field.widget_type == "radioselect" else "govuk-checkboxes"
    if field.widget_type != "radioselect":
        kind += " govuk-checkboxes--small"
    return (
        f'{_group_open(field)}  <fieldset class="govuk-fieldset"{described}>\n'
        f'    <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{conditional_escape(field.label)}'
        f"</legend>\n    {hint if field.help_text else ''}\n    {_errors_html(field)}\n\n"
        f'    <div class="{kind}">\n      {_choice_items_html(field)}\n    </div>\n  </fieldset>\n</div>'
    )


# Django's widgets drawn by input.html alone: the value (if any) and the attributes.
_INPUT_TEMPLATES = {
    f"django/forms/widgets/{kind}.html" for kind in ("text", "hidden", "number", "email", "url", "password", "search")
}


def _input_html(field: BoundField) -> str | None:
    """An input drawn by Django's input.html (text, hidden, number, email, url, password); None for any other."""
    widget = field.field.widget
    if (
        not isinstance(widget, forms.widgets.Input)
        or widget.template_name not in _INPUT_TEMPLATES
        or field.field.localize
        or field.field.show_hidden_initial
    ):
        return None
    context = _widget_context(field)
    value = context["value"]
    value = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(context["type"])}" name="{conditional_escape(context["name"])}"'
        f"{value}{_attrs_html(context['attrs'])}>"
    )


def _textarea_html(field: BoundField) -> str | None:
    """Django's textarea.html; None for another widget."""
    widget = field.field.widget
    if not isinstance(widget, forms.Textarea) or widget.template_name != "django/forms/widgets/textarea.html":
        return None
    context = _widget_context(field)
    value = context["value"]
    return (
        f'<textarea name="{conditional_escape(context["name"])}"{_attrs_html(context["attrs"])}>\n'
        f"{conditional_escape(value) if value else ''}</textarea>"
    )


def _date_group(field: BoundField) -> str:
    """forms/govuk_field.html's date branch around forms/widgets/govuk_date.html."""
    widget = _widget_context(field)
    boxes, attrs = [], _attrs_html(widget["attrs"])
    for item in widget["items"]:
        error = " govuk-input--error" if item["error"] else ""
        numeric = ' inputmode="numeric"' if item["numeric"] else ""
        invalid = ' aria-invalid="true"' if item["error"] else ""
        boxes.append(
            '\n  <div class="govuk-date-input__item">\n    <div class="govuk-form-group">\n'
            f'      <label class="govuk-label govuk-date-input__label" for="{conditional_escape(item["id"])}">'
            f"{conditional_escape(item['label'])}</label>\n"
            f'      <input class="govuk-input govuk-date-input__input govuk-input--width-{item["width"]}{error}"'
            f' id="{conditional_escape(item["id"])}" name="{conditional_escape(item["name"])}" type="text"'
            f'{numeric} value="{conditional_escape(item["value"])}"{invalid}{attrs}>\n'
            "    </div>\n  </div>"
        )
    inputs = f'<div class="govuk-date-input" id="{conditional_escape(widget["id"])}">{"".join(boxes)}\n</div>'
    optional = "" if field.field.required else " (optional)"
    return (
        f"{_group_open(field)}"
        f'  <fieldset class="govuk-fieldset" role="group" aria-describedby="{field.described_by}">\n'
        f'    <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{conditional_escape(field.label)}'
        f"{optional}</legend>\n"
        f'    <div id="{field.hint_id}" class="govuk-hint">{conditional_escape(field.date_hint)}</div>\n'
        f"    {_errors_html(field)}\n\n    {inputs}\n  </fieldset>\n</div>"
    )


def _field_group(field: BoundField) -> str:
    """One visible field as forms/govuk_field.html draws it (`field.as_field_group()`), the same markup; a field
    with its own template, or a widget not written out here (a file upload...), still drawn by the template."""
    own = field.field
    if own.template_name is not None or own.show_hidden_initial or own.localize:
        return str(field.as_field_group())
    widget = own.widget
    if field.is_multiple_choice:
        return _choices_group(field)
    if field.is_date_input:
        if type(widget) in (DateInput, DateTimeInput) and widget.template_name == DateInput.template_name:
            return _date_group(field)
        return str(field.as_field_group())
    if field.widget_type == "checkbox":
        if type(widget) is forms.CheckboxInput and widget.template_name == "django/forms/widgets/checkbox.html":
            return _checkbox_group(field)
        return str(field.as_field_group())
    box = _select_html(field) or _textarea_html(field) or _input_html(field)
    return _plain_group(field, box) if box is not None else str(field.as_field_group())


def _choice_list_key(form, name: str, field) -> str | None:
    """The cache key of a field's choice list: the form, the field (its labels) and the query with its
    parameters (whose list, for a list scoped to its reader); None for an empty queryset (nothing to keep)."""
    choices = field.widget.choices
    try:
        sql, params = fixed_sql(choices.source, choices.columns, choices.queryset) or (
            choices.queryset.query.sql_with_params()
        )
    except EmptyResultSet:
        return None
    empty = None if field.empty_label is None else str(field.empty_label)
    digest = hashlib.sha256(repr((sql, params, empty)).encode()).hexdigest()[:32]
    return f"choice-list:{type(form).__module__}.{type(form).__qualname__}.{name}:{digest}"


def use_kept_choice_lists(form) -> None:
    """Give each of the form's lean choice lists (`LeanChoiceIterator`: people, threats, objectives...) its
    (value, label) pairs from the cache, read for all of them in two round trips; a list not kept is built
    watched (mshtgov.summaries.build_watched) and kept until anything its query read changes. The answer
    form's four lists (460 options at scale 20) cost four queries and 460 records on every draw (issue 15).

    Only the lists' values and labels are kept: what is chosen is worked out on every draw, from the form's
    own values, and a chosen value is still read through the field's queryset when the form is validated."""
    from mshtgov.summaries import build_watched, every_version, read_watched, store_watched

    wanted = {}
    for name, field in form.fields.items():
        form[name]  # noqa: B018 - the bound field gives the widget its lean list
        lean = isinstance(getattr(field.widget, "choices", None), LeanChoiceIterator)
        if lean and (key := _choice_list_key(form, name, field)) is not None:
            wanted[key] = field
    if not wanted:
        return
    kept, built, before = read_watched(list(wanted)), {}, None
    for key, field in wanted.items():
        if key not in kept:
            before = before or every_version()
            iterator = field.widget.choices
            built[key] = build_watched(lambda it=iterator: [(str(v), str(label)) for v, label in it], before)
            kept[key] = built[key][0]
        field.widget.choices = kept[key]
    if built:
        store_watched(built)


def render_in_one_pass(form) -> str:
    """The form as forms/govuk_form.html and forms/govuk_field.html draw it, the same markup, with each field
    written out in one call rather than through three templates per field (and a template per option): selects
    and multiple selects, radios and checkbox lists, single checkboxes, text areas, text, number, email and
    hidden inputs and GOV.UK dates. A list page's filter form of eight fields cost more to draw than its fifty
    rows, an operation's form of twenty fields most of its page (issues 12 and 15). The default drawing of every
    GovukForm (`GovukFormMixin.render`). Any other kind of field (a file upload) is still drawn by the field
    template. tests/core/test_forms_one_pass.py compares the two for every form of the project, bound, unbound
    and with errors."""
    use_kept_choice_lists(form)
    parts = ["".join(_input_html(field) or str(field) for field in form.hidden_fields()), "\n"]
    parts.extend(_field_group(field) for field in form.visible_fields())
    return mark_safe("".join(parts).strip())  # noqa: S308 - every part escaped above or drawn by a template
