"""Small template helpers for GOV.UK components, available in every template (a builtin)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from mshtgov import layout
from mshtgov.marking import Marking

register = template.Library()


@register.filter
def marking_label(value) -> str:
    try:
        return Marking(value).label
    except ValueError:
        return ""


@register.simple_tag
def marking_tag(value):
    """A tag naming a record's marking; sensitive records stand out."""
    label = marking_label(value)
    css = "govuk-tag--red" if value == Marking.OFFICIAL_SENSITIVE else "govuk-tag--grey"
    return format_html('<strong class="govuk-tag {}">{}</strong>', css, label)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(day) -> str:
    """`{{ day|date:"j M Y" }}` (12 Mar 2026) without the template machinery, for the list pages that write
    their rows out in one pass (issue 15); English month names, as the service is."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


_TAG_COLOURS = {
    "red": "govuk-tag--red",
    "amber": "govuk-tag--orange",
    "green": "govuk-tag--green",
    "grey": "govuk-tag--grey",
    "blue": "govuk-tag--blue",
    "yellow": "govuk-tag--yellow",
}


@register.simple_tag
def status_tag(label, colour="grey"):
    """A coloured GOV.UK tag whose text always says what the colour means."""
    return format_html('<strong class="govuk-tag {}">{}</strong>', _TAG_COLOURS.get(colour, ""), label)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag(takes_context=True)
def querystring_with(context, **changes):
    """The current query string with some parameters replaced (for filters and paging links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _option_html(option: dict) -> str:
    if option.get("template_name") != _OPTION_TEMPLATE:  # a widget with its own option template
        from django.template.loader import render_to_string

        return render_to_string(option["template_name"], {"widget": option})
    attrs = "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in option["attrs"].items()
        if value is not False
    )
    return format_html('<option value="{}"{}>{}</option>', str(option["value"]), mark_safe(attrs), option["label"])  # noqa: S308 - attrs built with format_html


@register.filter
def select_options(optgroups) -> str:
    """The <option>s (in their <optgroup>s) of a select widget, as Django's own option template draws them."""
    parts = []
    for group_name, group_choices, _index in optgroups:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        parts.extend("\n  " + _option_html(option) for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))  # noqa: S308 - every part built with format_html


_CHOICE_ITEM = (
    '\n      <div class="govuk-{kind}__item">\n        <input class="govuk-{kind}__input" id="{id}" name="{name}"'
    ' type="{type}" value="{value}"{checked}>\n        <label class="govuk-label govuk-{kind}__label" for="{id}">'
    "{label}</label>\n      </div>"
)


@register.filter
def choice_items(field) -> str:
    """The GOV.UK checkbox or radio items of a multiple-choice field, built in one call with the markup
    forms/govuk_field.html gave each option: a field offering every threat (200 at scale) took longer to
    draw through the template, item by item, than the rest of its page."""
    kind, input_type = ("radios", "radio") if field.widget_type == "radioselect" else ("checkboxes", "checkbox")
    items = _flat_choices(field)
    if items is None:  # grouped choices, or no id: Django's own subwidgets say what each item is
        items = [
            (option.id_for_label, str(option.data["value"]), option.data["selected"], option.choice_label)
            for option in field.subwidgets
        ]
    name = field.html_name
    return mark_safe(  # noqa: S308 - every part built with format_html
        "".join(
            format_html(
                _CHOICE_ITEM,
                kind=kind,
                type=input_type,
                id=ident,
                name=name,
                value=value,
                checked=mark_safe(" checked") if selected else "",  # noqa: S308 - a constant
                label=label,
            )
            for ident, value, selected, label in items
        )
    )


def _flat_choices(field) -> list[tuple] | None:
    """(id, value, selected, label) of each choice of a field whose choices are not grouped, worked out as
    Django's ChoiceWidget.optgroups does (ids "<id>_<index>", a value selected if its text is among the
    field's values, one only unless the widget allows several) without building an option dict per choice.
    None for grouped choices or a widget with no id."""
    widget = field.field.widget
    base_id = widget.attrs.get("id") or field.auto_id
    if not base_id or not getattr(widget, "add_id_index", False):
        return None
    values = widget.format_value(field.value())
    several = widget.allow_multiple_selected
    items, has_selected = [], False
    for index, (value, label) in enumerate(widget.choices):
        if isinstance(label, list | tuple):
            return None
        value = "" if value is None else str(value)
        selected = (not has_selected or several) and value in values
        has_selected |= selected
        items.append((f"{base_id}_{index}", value, selected, label))
    return items


@register.simple_tag(takes_context=True)
def figure(context, fig, link=True):
    """A `mshtgov.figures.Figure`: its value linked to its drill-down (plain text in a PDF or without a url).
    The link's hidden text names what is counted, so "12" reads as "12 overdue actions" out of context."""
    if fig is None:
        return "–"
    hidden = format_html('<span class="govuk-visually-hidden"> {}</span>', fig.label) if fig.label else ""
    if link and fig.url and not context.get("for_pdf"):
        return format_html(
            '<a class="govuk-link app-figure" href="{}" data-figure-key="{}" data-figure-value="{}"'
            ' data-figure-kind="{}">{}{}</a>',
            fig.url,
            fig.key,
            fig.comparable,
            fig.kind,
            fig.display,
            hidden,
        )
    return format_html(
        '<span class="app-figure" data-figure-key="{}" data-figure-value="{}">{}</span>',
        fig.key,
        fig.comparable,
        fig.display,
    )


@register.simple_tag
def result_count(count, singular, plural=None):
    """ "12 actions": the number of results a filtered list holds, marked so the figure that links here
    can be checked against it (`data-result-count`)."""
    noun = singular if count == 1 else (plural or f"{singular}s")
    return format_html(
        '<p class="govuk-body app-result-count" data-result-count="{}"><strong>{}</strong> {}</p>', count, count, noun
    )


@register.simple_tag
def figure_value(value, unit="", key=""):
    """A value shown on the page a figure drills down to, marked with the figure's key so the two can be
    compared (`data-figure-key`, `data-figure-value`). `unit` "percent" adds the % sign."""
    from mshtgov.figures import PERCENT, VALUE, Figure

    fig = Figure(key=key, value=value, kind=PERCENT if unit == PERCENT else VALUE)
    return format_html(
        '<span class="app-figure" data-figure-key="{}" data-figure-value="{}">{}</span>',
        key,
        fig.comparable,
        fig.display,
    )


@register.filter
def is_figure(value) -> bool:
    from mshtgov.figures import Figure

    return isinstance(value, Figure)


# The layout around every page (templates/base.html), written in one pass: mshtgov.layout.
@register.simple_tag(takes_context=True)
def layout_top(context):
    return mark_safe(layout.top(context))  # noqa: S308 - every value escaped by mshtgov.layout


@register.simple_tag(takes_context=True)
def layout_breadcrumbs(context):
    return mark_safe(layout.breadcrumbs(context))  # noqa: S308 - every value escaped by mshtgov.layout


@register.simple_tag(takes_context=True)
def layout_messages(context):
    return mark_safe(layout.messages(context))  # noqa: S308 - every value escaped by mshtgov.layout


@register.simple_tag(takes_context=True)
def layout_bottom(context):
    return mark_safe(layout.bottom(context))  # noqa: S308 - every value escaped by mshtgov.layout
