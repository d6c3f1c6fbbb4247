"""The dashboard's cards are cached per reader and per panel (issue 15), and never show an older truth
(issue 10, item 6): a write shows at once in any process, a role change changes what a card shows, a
card is never shown to a reader it was not built for, and a change rebuilds only the cards that read it."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import timezone

from mshtgov import dashboard, summaries
from mshtgov.roles import Role
from strategy.models import Threat
from tests.factories import PartnerOrganisationFactory, make_partner_user
from tests.governance.factories import ActionFactory
from tests.partnerships.factories import make_partnership
from tests.strategy.factories import ThreatFactory

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def _figure(body: str, key: str) -> str | None:
    match = re.search(rf'data-figure-key="{re.escape(key)}" data-figure-value="([^"]*)"', body)
    return match.group(1) if match else None


def _fresh_process_client(user) -> Client:
    """A reader in another process: nothing of this one's memory, only the shared cache and database."""
    client = Client()
    client.force_login(user)
    return client


def test_a_committed_write_shows_at_once_to_a_reader_in_another_process(client_for, users):
    yesterday = timezone.localdate() - timedelta(days=1)
    leader = client_for("leader")
    assert _figure(leader.get("/").content.decode(), "actions:overdue") == "0"
    ActionFactory(owner=users["analyst"], due_date=yesterday)
    assert _figure(_fresh_process_client(users["leader"]).get("/").content.decode(), "actions:overdue") == "1"
    assert _figure(leader.get("/").content.decode(), "actions:overdue") == "1"


def test_a_card_built_between_a_write_and_its_commit_is_not_served_after_the_commit(
    django_capture_on_commit_callbacks,
):
    card, versions = summaries.build_watched(lambda: (Threat.objects.count(), "before"))
    summaries.store_watched({"t-card": (card, versions)})
    assert summaries.read_watched(["t-card"]) == {"t-card": (0, "before")}
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ThreatFactory()  # the write (bumps now)
        # Another process builds now: it cannot see the uncommitted row, and stores what it saw.
        seen = summaries.build_watched(lambda: (Threat.objects.count() - 1, "read before the commit"))
        summaries.store_watched({"t-card": seen})
    assert summaries.read_watched(["t-card"]) == {}


def test_a_lost_version_counter_never_revives_a_card():
    card = summaries.build_watched(lambda: Threat.objects.count())
    summaries.store_watched({"t-lost": card})
    assert summaries.read_watched(["t-lost"]) == {"t-lost": 0}
    cache.delete(summaries._version_key(Threat))  # evicted, or the cache restarted
    assert summaries.read_watched(["t-lost"]) == {}


def test_a_card_reading_a_cached_figure_depends_on_that_figures_models():
    from governance.models import Action

    summaries.cached_summary("t-inner", lambda: 1, models=[Action])  # warm: the build runs no SQL
    _value, versions = summaries.build_watched(lambda: summaries.cached_summary("t-inner", lambda: 2, models=[Action]))
    assert summaries._version_key(Action) in versions


def test_a_change_rebuilds_only_the_cards_that_read_it(client_for, monkeypatch):
    leader = client_for("leader")
    leader.get("/")
    built = []
    real = dashboard._build
    monkeypatch.setattr(dashboard, "_build", lambda panel, *a: built.append(panel.key) or real(panel, *a))
    leader.get("/")
    assert built == []  # warm: nothing gathered
    ThreatFactory()
    leader.get("/")
    assert built == ["strategy-threats"]


def test_a_role_change_changes_what_the_cards_show(client_for, users):
    pcc = users["pcc"]
    client = client_for("pcc")
    body = client.get("/").content.decode()
    # A PCC liaison sees the operations figures as plain text: the register would refuse them.
    assert re.search(r'<span class="app-figure" data-figure-key="operations.live"', body)
    pcc.groups.add(Group.objects.get(name=Role.ANALYST.label))
    body = client.get("/").content.decode()
    assert re.search(r'<a class="govuk-link app-figure" href="[^"]+" data-figure-key="operations.live"', body)
    pcc.groups.remove(Group.objects.get(name=Role.ANALYST.label), Group.objects.get(name=Role.PCC_LIAISON.label))
    assert "operations.live" not in client.get("/").content.decode()


def test_a_card_is_never_shown_to_a_reader_it_was_not_built_for(client_for, users):
    yesterday = timezone.localdate() - timedelta(days=1)
    ActionFactory(owner=users["leader"], due_date=yesterday)
    assert _figure(client_for("leader").get("/").content.decode(), "actions:mine:overdue") == "1"
    # Same role, another person: their own overdue actions, not the leader's.
    other = type(users["leader"]).objects.create_user("leader2", password="x" * 20)  # noqa: S106
    other.groups.add(Group.objects.get(name=Role.SENIOR_LEADER.label))
    assert _figure(_fresh_process_client(other).get("/").content.decode(), "actions:mine:overdue") == "0"
    # Two partners of different organisations: each sees their own partnerships only.
    make_partnership("Harbour Forum", by=users["coordinator"], members=[users["partner"].partner_profile.organisation])
    elsewhere = make_partner_user("partner2", PartnerOrganisationFactory(name="Elsewhere Refuge"))
    make_partnership("Elsewhere Network", by=users["coordinator"], members=[elsewhere.partner_profile.organisation])
    first = client_for("partner").get("/").content.decode()
    second = _fresh_process_client(elsewhere).get("/").content.decode()
    assert "Harbour Forum" in first and "Elsewhere Network" not in first
    assert "Elsewhere Network" in second and "Harbour Forum" not in second


def test_a_warm_dashboard_gathers_nothing_and_runs_few_queries(client_for, django_assert_max_num_queries):
    leader = client_for("leader")
    leader.get("/")
    with django_assert_max_num_queries(4):
        assert leader.get("/").status_code == 200


def test_signing_in_keeps_what_was_built_from_people_but_a_name_change_does_not(users):
    """Signing in stamps last_login, which no page shows: pages and cards that name people stay served
    (before, every sign-in voided them all). Any other change to a person still voids them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import update_last_login

    people = get_user_model().objects
    built = summaries.build_watched(lambda: sorted(people.values_list("last_name", flat=True)))
    summaries.store_watched({"names": built})
    analyst = users["analyst"]
    update_last_login(None, analyst)  # what Django's user_logged_in receiver does
    assert summaries.read_watched(["names"]) == {"names": built[0]}
    analyst.last_name = "Okafor-Reid"
    analyst.save()
    assert summaries.read_watched(["names"]) == {}


def test_a_build_inside_another_makes_the_outer_one_depend_on_what_it_consulted():
    """The dashboard's page is built around its cards, each built watched: a card consulting a cached figure
    (no SQL) makes the page depend on that figure's models too."""
    from governance.models import Action

    summaries.cached_summary("t-figure", lambda: 1, models=[Action])  # warm: consulting it runs no SQL
    _page, versions = summaries.build_watched(
        lambda: summaries.build_watched(lambda: summaries.cached_summary("t-figure", lambda: 2, models=[Action]))
    )
    assert summaries._version_key(Action) in versions
    # And on the tables the inner build's own queries read (parsed once, by the inner build).
    _page, versions = summaries.build_watched(lambda: summaries.build_watched(lambda: Threat.objects.count()))
    assert summaries._version_key(Threat) in versions


def test_a_warm_dashboard_is_one_entry_and_a_change_draws_it_again_from_its_cards(client_for, monkeypatch, users):
    yesterday = timezone.localdate() - timedelta(days=1)
    leader = client_for("leader")
    first = leader.get("/").content.decode()
    gathered = []
    real = dashboard.cards
    monkeypatch.setattr(dashboard, "cards", lambda *a: gathered.append(a) or real(*a))
    again = leader.get("/").content.decode()
    assert gathered == [] and _figure(again, "actions:overdue") == _figure(first, "actions:overdue") == "0"
    ActionFactory(owner=users["analyst"], due_date=yesterday)
    assert _figure(leader.get("/").content.decode(), "actions:overdue") == "1"
    assert len(gathered) == 1
    # The same period asked for by name is the same page; another period is another page.
    named = leader.get("/?period=12m").content.decode()
    assert _figure(named, "actions:overdue") == "1" and len(gathered) == 1
    assert leader.get("/?period=24m").status_code == 200 and len(gathered) == 2


def test_a_panel_page_is_drawn_once_per_reader_and_again_after_a_change_it_read(client_for, users, monkeypatch):
    import dataclasses

    from mshtgov import panels

    panel = panels.get("governance-actions")
    gathered = []
    spy = dataclasses.replace(panel, gather=lambda *a: gathered.append(panel.key) or panel.gather(*a))
    monkeypatch.setitem(panels._panels, panel.key, spy)
    leader = client_for("leader")
    first = leader.get("/dashboard/governance-actions/").content.decode()
    assert _figure(first, "actions:overdue") == "0"
    assert _figure(leader.get("/dashboard/governance-actions/").content.decode(), "actions:overdue") == "0"
    assert gathered.count("governance-actions") == 1
    ActionFactory(owner=users["analyst"], due_date=timezone.localdate() - timedelta(days=1))
    assert _figure(leader.get("/dashboard/governance-actions/").content.decode(), "actions:overdue") == "1"
    assert gathered.count("governance-actions") == 2
    # Another reader has a page of their own; one who may not see the panel is refused, and nothing is drawn.
    client_for("secretary").get("/dashboard/governance-actions/")
    assert gathered.count("governance-actions") == 3
    assert client_for("partner").get("/dashboard/governance-actions/").status_code == 404
    assert gathered.count("governance-actions") == 3
