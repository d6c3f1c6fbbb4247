"""Forms people can fix at once (issue 13 item 6): each message in the error summary names its field and
says what to do, in GOV.UK wording, and links to the field; a message a form wrote itself is kept."""

import pytest
from django import forms

from mshtgov.forms import DateInput, GovukForm


class _Form(GovukForm):
    personal_data_exempt_reason = "A test form: stores nothing."
    title = forms.CharField()
    observed_on = forms.DateField(label="Date the lesson was observed", widget=DateInput())
    pillar = forms.ChoiceField(choices=[("pursue", "Pursue")], label="4P pillar")
    victims = forms.IntegerField(label="Number of victims")
    paper = forms.FileField(label="Paper")
    own = forms.CharField(label="What you did", error_messages={"required": "Say what you did"})


def test_messages_name_the_field_and_say_what_to_do():
    form = _Form({"observed_on": "2026-13-40", "victims": "many", "pillar": "nonsense"})
    assert not form.is_valid()
    assert form.error_summary_items() == [
        ("Enter the title", "id_title"),
        ("Date the lesson was observed must be a real date", "id_observed_on-day"),
        ("Choose the 4P pillar from the list", "id_pillar"),
        ("Enter the number of victims as a number, like 12", "id_victims"),
        ("Select the paper", "id_paper"),
        ("Say what you did", "id_own"),
    ]


@pytest.mark.django_db
def test_a_real_form_page_links_each_message_to_its_field(client_for):
    body = client_for("analyst").post("/strategy/threats/new/", {"title": ""}).content.decode()
    summary = body[body.index("govuk-error-summary") : body.index("</ul>", body.index("govuk-error-summary"))]
    assert '<a href="#id_title">Enter the title</a>' in summary
    assert "This field is required" not in body


def test_a_favicon_is_served_to_anyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
