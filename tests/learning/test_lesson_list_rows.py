"""The lesson list's rows are written out in Python (issue 15): they must read exactly as the template drew
them, every value escaped, a sensitive lesson tagged, a lesson without themes showing a dash."""

from datetime import date

import pytest
from django.template import Context, Template

from learning.models import Lesson
from learning.views.lessons import lesson_rows_html
from mshtgov.marking import Marking
from tests.learning.factories import make_lesson

pytestmark = pytest.mark.django_db

# The loop learning/lesson_list.html ran before the rows were written out in Python.
TEMPLATE_ROWS = (
    "{% load govuk %}{% for lesson in page %}\n"
    '        <tr class="govuk-table__row">\n'
    '          <td class="govuk-table__cell"><a class="govuk-link" '
    "href=\"{% url 'learning:lesson-detail' lesson.pk %}\">"
    "{{ lesson.reference }}</a><br>{{ lesson.title }}{% if lesson.is_sensitive %}<br>{% marking_tag lesson.marking %}"
    "{% endif %}</td>\n"
    '          <td class="govuk-table__cell">{{ lesson.observed_on|date:"j M Y" }}</td>\n'
    '          <td class="govuk-table__cell">{{ lesson.get_source_display }}</td>\n'
    '          <td class="govuk-table__cell">{{ lesson.theme_names|default:"–" }}</td>\n'
    '          <td class="govuk-table__cell">{% status_tag lesson.get_status_display lesson.status_colour %}</td>\n'
    "        </tr>\n      {% endfor %}"
)


def test_rows_read_as_the_template_drew_them(users):
    make_lesson(users["analyst"], title='Interpreter "known" to <the> suspects & co', themes=["Interpreters"])
    make_lesson(users["analyst"], title="Safe house", marking=Marking.OFFICIAL_SENSITIVE)
    make_lesson(users["analyst"], title="September lesson", source="cps_feedback", observed=date(2025, 9, 30))
    lessons = list(Lesson.objects.order_by("id"))
    html = str(lesson_rows_html(lessons))
    assert html == Template(TEMPLATE_ROWS).render(Context({"page": lessons}))
    assert "&lt;the&gt;" in html and "OFFICIAL-SENSITIVE" in html and "–" in html
