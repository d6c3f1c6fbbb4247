"""One permission vocabulary: every page declares what it needs with `@require` / `RequireMixin`, and
governance's "runs boards" is a named permission, not copies of a role tuple."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from governance.models import RUN_BOARDS
from mshtgov.access import Rule, may_open, rule_of
from mshtgov.roles import Role, granted_permissions
from tests.governance.factories import BoardFactory

# Pages of signing in and out (and the health check): they run before, or outside, a role's work.
ACCOUNT_PAGES = {
    "healthz",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "mfa-verify",
    "mfa-recovery",
    "mfa-setup",
    "mfa-enrol",
    "mfa-recovery-codes",
    "session-extend",
}


def _named_views(patterns=None, namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin: staff only, its own permission checks
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_views(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def test_every_page_declares_what_it_needs():
    views = dict(_named_views())
    assert len(views) > 100, "the URL walk found too few pages"
    undeclared = sorted(name for name, view in views.items() if name not in ACCOUNT_PAGES and rule_of(view) is None)
    assert undeclared == [], f"pages without @require / RequireMixin: {undeclared}"


def test_partners_pass_only_the_gates_that_let_them(users):
    partner, secretary = users["partner"], users["secretary"]
    scoped = Rule(perms=("partnerships.view_partnership",), partners=True)
    internal = Rule(perms=("partnerships.view_partnership",))
    assert scoped.allows(partner) and not internal.allows(partner)
    assert internal.allows(users["coordinator"]) and not internal.allows(secretary)
    assert Rule().allows(secretary)  # nothing declared: any signed-in user


def test_links_follow_the_page_gates(users):
    assert may_open(users["coordinator"], "partnerships:reviews")
    assert not may_open(users["partner"], "partnerships:reviews")
    assert may_open(users["partner"], "partnerships:partnership-list")
    assert not may_open(users["secretary"], "partnerships:organisation-create")


def test_running_boards_is_one_named_permission_granted_to_leaders_and_secretaries():
    assert RUN_BOARDS in granted_permissions(Role.SENIOR_LEADER)
    assert RUN_BOARDS in granted_permissions(Role.BOARD_SECRETARY)
    for role in (Role.ANALYST, Role.PCC_LIAISON, Role.PARTNERSHIP_COORDINATOR, Role.EXTERNAL_PARTNER):
        assert RUN_BOARDS not in granted_permissions(role), role


@pytest.mark.django_db
def test_board_pages_check_the_permission_not_the_role(users, client_for):
    board = BoardFactory(name="Strategic board")
    edit = reverse("governance:board-edit", args=[board.pk])
    assert client_for("secretary").get(edit).status_code == 200
    # Take the permission from the secretaries' group: a secretary no longer runs boards.
    run = Permission.objects.get(content_type__app_label="governance", codename="run_boards")
    Group.objects.get(name=Role.BOARD_SECRETARY.label).permissions.remove(run)
    secretary = client_for("secretary")
    # Running boards is what let the secretary see every board: without it, one not sat on is unknown.
    assert secretary.get(edit).status_code == 404
    assert secretary.get(reverse("governance:board-create")).status_code == 403
    assert secretary.get(reverse("governance:action-create")).status_code == 403
    # ...and an analyst given it does.
    analyst_group = Group.objects.get(name=Role.ANALYST.label)
    analyst_group.permissions.add(run)
    assert client_for("analyst").get(edit).status_code == 200


def test_every_domain_app_starts_through_its_registration():
    from django.apps import apps

    from mshtgov.registration import DomainAppConfig

    for name in ("governance", "strategy", "partnerships", "learning"):
        assert isinstance(apps.get_app_config(name), DomainAppConfig), name
    assert all(granted_permissions(role) for role in Role if role != Role.EXTERNAL_PARTNER)
