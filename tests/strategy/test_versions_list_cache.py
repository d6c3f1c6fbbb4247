"""Issue 15: the list of strategy versions is drawn once per reader, page and day and served from the cache
(strategy.views.cached) until anything it read changes: a new version, an approval (its status and approver)
show on the next view; a reader without access is refused every time, with nothing kept."""

import pytest
from django.urls import reverse

from strategy.services.plans import strategy_approve
from tests.page_cache_support import page_text as _page
from tests.page_cache_support import same_page
from tests.strategy.factories import ForceStrategyFactory

pytestmark = pytest.mark.django_db

URL = reverse("strategy:strategy-list")


def test_a_new_version_and_an_approval_show_at_once(client_for, users, stored):
    draft = ForceStrategyFactory(title="Force MSHT strategy", version=1)
    client = client_for("leader")
    first, second = _page(client.get(URL)), _page(client.get(URL))
    assert same_page(first) == same_page(second)
    assert len([key for key in stored if key.startswith("page:strategy:versions")]) == 1
    assert "Draft" in first and "Write a new strategy" in first

    ForceStrategyFactory(title="Force MSHT strategy", version=2)
    assert "Force MSHT strategy (version 2)" in _page(client.get(URL))

    strategy_approve(strategy=draft, by=users["leader"])
    approved = f" by {users['leader'].get_full_name()}</td>"  # the Approved column (the header names the reader too)
    assert approved not in first
    assert approved in _page(client.get(URL))


def test_the_pcc_liaison_reads_without_the_button_and_a_partner_is_refused(client_for, stored):
    ForceStrategyFactory(version=1)
    assert "Write a new strategy" not in _page(client_for("pcc").get(URL))
    stored.clear()
    partner = client_for("partner")
    for _ in range(2):
        assert partner.get(URL).status_code in (403, 404)
    assert not [key for key in stored if key.startswith("page:")]
