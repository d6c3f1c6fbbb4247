"""Protective marking under the Government Security Classifications Policy.

This system is accredited for OFFICIAL information only, including the OFFICIAL-SENSITIVE handling
caveat. A page or an export carries the highest marking of what it shows, never lower than the site
default.
"""

from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Marking(models.TextChoices):
    OFFICIAL = "official", "OFFICIAL"
    OFFICIAL_SENSITIVE = "official-sensitive", "OFFICIAL-SENSITIVE"


_RANK = {Marking.OFFICIAL: 1, Marking.OFFICIAL_SENSITIVE: 2}

REFUSED_MESSAGE = (
    "Choose OFFICIAL or OFFICIAL-SENSITIVE. This system is not accredited for SECRET or TOP SECRET "
    "material: do not record it here."
)


def site_default() -> Marking:
    try:
        return Marking(settings.SITE_DEFAULT_MARKING)
    except ValueError:
        return Marking.OFFICIAL


def validate_marking(value) -> None:
    if value not in Marking.values:
        raise ValidationError(REFUSED_MESSAGE, code="marking_not_accredited")


def highest(*markings) -> Marking:
    """The highest of the given markings and the site default."""
    best = site_default()
    for marking in markings:
        if marking and _RANK.get(Marking(marking), 0) > _RANK[best]:
            best = Marking(marking)
    return best


class MarkingField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault("choices", Marking.choices)
        kwargs.setdefault("default", Marking.OFFICIAL)
        kwargs.setdefault("verbose_name", "protective marking")
        kwargs.setdefault("help_text", "OFFICIAL-SENSITIVE for anything that needs a tighter need-to-know.")
        kwargs.setdefault("validators", [validate_marking])
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.error_messages["invalid_choice"] = REFUSED_MESSAGE
        return field


class MarkedModel(models.Model):
    marking = MarkingField()

    class Meta:
        abstract = True

    @property
    def is_sensitive(self) -> bool:
        return self.marking == Marking.OFFICIAL_SENSITIVE


def mark_page(request, *items) -> None:
    """Raise the page's marking to cover what it shows.

    Items may be markings, marked objects, or querysets of marked models (one EXISTS query each).
    """
    current = getattr(request, "_page_markings", [])
    for item in items:
        if item is None:
            continue
        if isinstance(item, models.QuerySet):
            if item.filter(marking=Marking.OFFICIAL_SENSITIVE).exists():
                current.append(Marking.OFFICIAL_SENSITIVE)
        elif isinstance(item, str):
            current.append(item)
        else:
            current.append(getattr(item, "marking", None))
    request._page_markings = current


class RaisedMarkings(list):
    """The markings `mark_page` raised inside `markings_raised`."""

    def kept(self) -> list[str]:
        """As a page kept in the cache stores them, to raise them again on every view (`mark_page`)."""
        return [str(marking) for marking in self if marking]


@contextmanager
def markings_raised(request):
    """Collects the markings raised while a page kept in the cache is built, apart from the page's own so far:
    the entry keeps them (`.kept()`), and a hit raises them as a miss did (issue 15)."""
    already = getattr(request, "_page_markings", [])
    raised = request._page_markings = RaisedMarkings()
    try:
        yield raised
    finally:
        request._page_markings = already


def page_marking(request) -> Marking:
    return highest(*getattr(request, "_page_markings", []))
