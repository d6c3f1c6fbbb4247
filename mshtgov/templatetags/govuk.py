"""Small template helpers for GOV.UK components, available in every template (a builtin)."""

from django import template
from django.utils.html import format_html

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
