"""Select boxes draw their options in one call (mshtgov.templatetags.govuk.select_options) rather than a
template per option; the markup must stay exactly what Django's own templates draw."""

import re

from django import forms
from django.forms.renderers import DjangoTemplates

from mshtgov.forms import GovukFormRenderer

CHOICES = [
    ("", "Choose one"),
    ("Objectives", [("objective:1", 'Protect <victims> & "partners"'), ("objective:2", "Pursue")]),
    ("Threats", [("threat:7", "County lines")]),
    (3, "A plain number"),
]


def _squash(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_options_match_djangos_own_rendering_for_single_and_multiple_selects():
    cases = [
        (forms.Select(choices=CHOICES, attrs={"class": "govuk-select"}), "objective:2"),
        (forms.SelectMultiple(choices=CHOICES, attrs={"size": 8}), ["objective:1", "threat:7", "3"]),
        (forms.Select(choices=[("a", "A")]), None),
    ]
    for widget, value in cases:
        ours = widget.render("links", value, renderer=GovukFormRenderer())
        theirs = widget.render("links", value, renderer=DjangoTemplates())
        assert _squash(ours) == _squash(theirs)
    ours = cases[1][0].render("links", cases[1][1], renderer=GovukFormRenderer())
    assert "Protect &lt;victims&gt; &amp; &quot;partners&quot;" in ours
    assert ours.count(" selected>") == 3 and '<optgroup label="Threats">' in ours
