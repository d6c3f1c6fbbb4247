"""Every figure on the dashboard agrees with its drill-down (issue 10, item 2; issue 13, item 7).

The demo data (`seed_demo`) is loaded; for every role the dashboard is opened (last 12 months, and this
financial year), every figure link on it (`data-figure-key`, from `{% figure %}`) is followed as that
role, and the page it opens must prove the figure: a count equals the filtered list's
`data-result-count`; any other value is shown there under the same key (`data-figure-value`). The panels
are not named here: a panel added later is walked the same way. Each panel that shows figures must
return at least one `Figure` from `gather`, and a table cell on the dashboard holding a bare number (a
count shown without its drill-down) fails the test.
"""

import re
from collections import defaultdict
from html import unescape

import pytest
from django.core.management import call_command
from django.test import Client

from mshtgov import panels
from mshtgov.figures import COUNT, collect
from mshtgov.periods import parse_period
from tests.drilldown import figure_values, result_count

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

ROLES = ("leader", "pcc", "analyst", "coordinator", "secretary", "partner")
_LINK = re.compile(
    r'<a class="govuk-link app-figure" href="([^"]*)" data-figure-key="([^"]*)" data-figure-value="([^"]*)"'
    r' data-figure-kind="([^"]*)">'
)
# A table cell holding nothing but a number: a count shown without its drill-down. (A target is not a
# count: its cell is marked `app-target`, which this pattern does not match.)
_BARE_NUMBER_CELL = re.compile(r'<td class="govuk-table__cell(?: govuk-table__cell--numeric)?">\s*(\d+)\s*</td>')


@pytest.fixture
def demo(db):
    call_command("seed_demo", password="a-demo-password-2026", verbosity=0)
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}


def _links(html):
    return {(unescape(url), key, value, kind) for url, key, value, kind in _LINK.findall(html)}


def test_every_dashboard_figure_agrees_with_its_drill_down(demo):
    from django.utils import timezone

    from mshtgov.periods import period_choices

    checked = defaultdict(int)
    problems = []
    for role, user in demo.items():
        client = Client()
        client.force_login(user)
        for choice in [None, period_choices(timezone.localdate())[3].key]:  # last 12 months, this financial year
            url = "/" if choice is None else f"/?period={choice}"
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            html = response.content.decode()
            period = parse_period(choice, timezone.localdate())
            for panel in panels.panels_for(user):
                data = panel.gather(user, period)
                figures = collect(data)
                if panel.shows_figures and not figures:
                    problems.append(f"{role}: panel {panel.key} shows no figure")
            for url_, key, value, kind in sorted(_links(html)):
                target = client.get(url_)
                if target.status_code != 200:
                    problems.append(f"{role} {url}: {key} links to {url_}, which answers {target.status_code}")
                    continue
                page = target.content.decode()
                checked[role] += 1
                if kind == COUNT:
                    counted = re.findall(r'data-result-count="(\d+)"', page)
                    if len(counted) != 1:
                        problems.append(
                            f"{role} {url}: {key} links to {url_}, which shows {len(counted)} result counts"
                        )
                    elif str(result_count(page)) != value:
                        problems.append(f"{role} {url}: {key}={value} but {url_} counts {result_count(page)}")
                elif value not in figure_values(page).get(key, set()):
                    shown = sorted(figure_values(page).get(key, set()))
                    problems.append(f"{role} {url}: {key}={value} but {url_} shows {shown or 'no such figure'}")
            for bare in _BARE_NUMBER_CELL.finditer(html):
                row = html[html.rfind("<tr", 0, bare.start()) : bare.end()]
                label = re.sub(r"<[^>]+>", " ", row).split()
                problems.append(f"{role}: a table cell shows {bare.group(1)} with no link to what it counts ({label})")
    assert not problems, "\n".join(sorted(set(problems)))
    assert checked["leader"] > 20
