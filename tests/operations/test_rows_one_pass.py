"""The register's and the disruption log's rows are written out in Python (issue 12, operations.views.rows).
They must read exactly as the template loop drew them (kept here), for every branch: a regraded disruption,
one the reader assessed in the review queue, a debrief overdue, county lines, priority bands, statuses, and
names and titles that need escaping."""

import re
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from operations.models import Disruption, DisruptionLevel, OperationStatus, ReviewStatus
from operations.selectors import disruption_list, operation_list
from operations.services.disruptions import disruption_review, may_review
from tests.operations.factories import OPENED, make_disruption, make_operation

pytestmark = pytest.mark.django_db

OPERATION_LOOP = Template(
    """{% for op in page %}
        <tr class="govuk-table__row">
          <td class="govuk-table__cell"><a class="govuk-link" href="{% url 'operations:operation-detail' op.pk %}">{{ op.reference }}</a><br>{{ op.title }}</td>
          <td class="govuk-table__cell">{{ op.opened_on|date:"j M Y" }}<br><span class="govuk-body-s">{{ op.lead_unit }}</span></td>
          <td class="govuk-table__cell">{{ op.exploitation_labels|join:", " }}{% if op.county_lines %} (county lines){% endif %}</td>
          <td class="govuk-table__cell">{% status_tag op.band_label op.band_colour %}</td>
          <td class="govuk-table__cell">{% status_tag op.get_status_display op.status_colour %}{% if op.debrief_overdue %}<br>{% status_tag "Debrief overdue" "red" %}{% endif %}</td>
        </tr>
      {% endfor %}"""  # noqa: E501
)
DISRUPTION_LOOP = Template(
    """{% for d in disruptions %}
        <tr class="govuk-table__row">
          <td class="govuk-table__cell"><a class="govuk-link" href="{% url 'operations:operation-detail' d.operation_id %}">{{ d.operation.reference }}</a></td>
          <td class="govuk-table__cell">{{ d.disrupted_on|date:"j M Y" }}</td>
          <td class="govuk-table__cell">{% status_tag d.final_level_label d.level_colour %}{% if d.regraded_level %}<br><span class="govuk-body-s">assessed {{ d.get_level_display|lower }}</span>{% endif %}</td>
          <td class="govuk-table__cell">{{ d.get_tactic_group_display }} ({{ d.get_pillar_display }})</td>
          <td class="govuk-table__cell">{{ d.assessed_by.get_full_name|default:d.assessed_by.username }}</td>
          <td class="govuk-table__cell">{{ d.get_review_status_display }}{% if d.may_review %}<br><a class="govuk-link" href="{% url 'operations:disruption-review' d.pk %}">Review<span class="govuk-visually-hidden"> the {{ d.operation.reference }} disruption of {{ d.disrupted_on|date:"j M Y" }}</span></a>{% elif queue %}<br><span class="govuk-body-s">You assessed it</span>{% endif %}</td>
        </tr>
      {% endfor %}"""  # noqa: E501
)


def _rows(page: str) -> str:
    found = re.search(r'<tbody class="govuk-table__body">\n      (.*?)\n      </tbody>', page, re.S)
    assert found, "no table on the page"
    return found.group(1)


@pytest.fixture
def register(users):
    analyst, leader = users["analyst"], users["leader"]
    analyst.first_name, analyst.last_name = "Jo <b>", "O'Neil & co"
    analyst.save()
    today = timezone.localdate()
    ops = [
        make_operation(analyst, reference="OP-2025-0001", title='Car wash <script>"x"</script> & nails'),
        make_operation(
            analyst,
            reference="OP-2025-0002",
            status=OperationStatus.CONCLUDED,
            closed_on=OPENED + timedelta(days=5),  # a debrief long overdue
            exploitation_types="criminal,sexual",
            county_lines=True,
            lead_unit="Unit <A> & 'B'",
            harm=5,
            likelihood=5,
            confidence=3,
            capacity=4,
            capability=4,
        ),
        make_operation(
            analyst, reference="OP-2025-0003", status=OperationStatus.CHARGED, exploitation_types="domestic_servitude"
        ),
        make_operation(
            analyst,
            reference="OP-2025-0004",
            status=OperationStatus.CLOSED_NFA,
            closed_on=today - timedelta(days=2),
            harm=1,
            likelihood=1,
            confidence=1,
            capacity=1,
            capability=1,
        ),
    ]
    accepted = make_disruption(ops[0], analyst, level=DisruptionLevel.MODERATE, pillar="prevent")
    regraded = make_disruption(
        ops[1], analyst, level=DisruptionLevel.MAJOR, tactic_group="vehicles", on=OPENED + timedelta(days=2)
    )
    make_disruption(ops[2], leader, level=DisruptionLevel.MINOR, assessed_by=leader)  # the leader's own
    make_disruption(ops[0], analyst, level=DisruptionLevel.NONE, on=OPENED + timedelta(days=30))  # pending
    disruption_review(disruption=accepted, decision=ReviewStatus.ACCEPTED, by=leader)
    disruption_review(
        disruption=regraded, decision=ReviewStatus.REGRADED, new_level=DisruptionLevel.MINOR, reason="Less", by=leader
    )
    return ops


def test_register_rows_read_as_the_template_drew_them(register, users, client_for):
    for role, query in (("analyst", {}), ("leader", {"sort": "-priority"}), ("leader", {"debrief_overdue": "yes"})):
        page = client_for(role).get(reverse("operations:operation-list"), query).content.decode()
        operations = operation_list(users[role], query, timezone.localdate())
        assert _rows(page) == OPERATION_LOOP.render(Context({"page": operations}))
    page = client_for("analyst").get(reverse("operations:operation-list")).content.decode()
    assert "Car wash &lt;script&gt;&quot;x&quot;&lt;/script&gt; &amp; nails" in page and '"x"</script>' not in page
    assert "(county lines)" in page and "Debrief overdue" in page and "Unit &lt;A&gt; &amp; &#x27;B&#x27;" in page


@pytest.mark.parametrize("queue", [False, True], ids=["log", "review queue"])
def test_disruption_rows_read_as_the_template_drew_them(register, users, client_for, queue):
    url = reverse("operations:review-queue" if queue else "operations:disruption-list")
    for role in ("leader", "analyst") if not queue else ("leader",):
        page = client_for(role).get(url).content.decode()
        criteria = {"review": ReviewStatus.PENDING} if queue else {}
        disruptions = list(disruption_list(users[role], criteria))
        for d in disruptions:
            d.may_review = queue and may_review(users[role], d)
        expected = DISRUPTION_LOOP.render(Context({"disruptions": disruptions, "queue": queue}))
        assert _rows(page) == expected
        assert "Jo &lt;b&gt; O&#x27;Neil &amp; co" in page and "<b>" not in page
    if queue:
        assert "You assessed it" in page and "Review<span" in page
    else:
        assert "assessed major" in page and Disruption.objects.filter(review_status=ReviewStatus.REGRADED).exists()
