"""The dashboard in about three screens (issue 13): at 1366x768, seeded as the demo at scale 1, the leader's
dashboard is at most three and a half screens tall, and it is accessible for the leader and the PCC liaison."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_marked, sign_in

# serialized_rollback: the demo seeder needs the reference data (measures, role groups) of the data migrations.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREEN = {"width": 1366, "height": 768}


def _reference_data() -> None:
    """The data migrations' reference rows, loaded again (each load adds only what is missing): a transactional
    test earlier on the same worker flushes them, and the serialized rollback has been seen not to bring back
    the learning role groups in CI (KeyError 'frontline' in the demo seeder)."""
    import importlib

    from django.apps import apps

    for module in (
        "strategy.migrations.0002_reference_data",
        "strategy.migrations.0003_derived_measures",
        "strategy.migrations.0004_operations_measures",
        "learning.migrations.0002_reference_data",
    ):
        importlib.import_module(module).load(apps, None)


@pytest.fixture
def demo(db):
    from django.contrib.auth import get_user_model

    _reference_data()
    call_command("seed_demo", scale=1, password="demo-Pass-2026!", verbosity=0)
    return {u.username: u for u in get_user_model().objects.filter(username__in=("leader", "pcc"))}


def test_leader_dashboard_fits_in_three_and_a_half_screens(page, demo):
    page.set_viewport_size(SCREEN)
    sign_in(page, demo["leader"])
    page.goto("/")
    expect(page.get_by_role("heading", name="Needs your attention", level=2)).to_be_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 3.5 * SCREEN["height"], f"the dashboard is {height / SCREEN['height']:.1f} screens tall"
    # What needs attention is on the first screen.
    box = page.locator(".app-attention__item").first.bounding_box()
    assert box and box["y"] + box["height"] <= SCREEN["height"]
    assert_marked(page, "OFFICIAL")
    assert_accessible(page)


def test_pcc_dashboard_and_a_panel_in_full_are_accessible(page, demo):
    page.set_viewport_size(SCREEN)
    sign_in(page, demo["pcc"])
    page.goto("/")
    assert_accessible(page)
    page.locator('a[href^="/dashboard/strategy-threats/"]').click()
    expect(page.get_by_role("heading", name="Top threats", level=1)).to_be_visible()
    assert_accessible(page)
    page.goto("/glossary/")
    assert_accessible(page)
