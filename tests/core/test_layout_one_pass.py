"""Issue 15: the layout around every page is written by mshtgov.layout in one pass. It must be the very markup
the templates it replaced drew (kept in tests/core/layout_reference/), for every kind of reader and page: signed
in or not, with a menu and its current section, a wide page, every kind of message, breadcrumbs with and without
links, an OFFICIAL-SENSITIVE page, and text that must be escaped wherever it comes from."""

import re
from pathlib import Path

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.template import Engine, RequestContext, engines
from django.test import RequestFactory

from mshtgov.marking import Marking, mark_page

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "layout_reference"
CHILD = "{% extends layout %}{% block title %}A page{% endblock %}{% block content %}<p>The body</p>{% endblock %}"


def _reference_engine() -> Engine:
    live = engines["django"].engine
    sources = {
        "ref/base.html": (REFERENCE / "base.html").read_text(),
        **{
            f"includes/{name}": (REFERENCE / name).read_text()
            for name in ("marking_banner.html", "messages.html", "session_dialog.html")
        },
    }
    return Engine(
        loaders=[("django.template.loaders.locmem.Loader", sources)],
        context_processors=live.context_processors,
        builtins=["mshtgov.templatetags.govuk"],
        libraries={"static": "django.templatetags.static"},
    )


def _request(path="/governance/actions/?q=%3Ca%3E&x=1", user=None):
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _drawn(engine, layout, request, context) -> str:
    html = engine.from_string(CHILD).render(RequestContext(request, {"layout": layout, **context}))
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)  # masked afresh on each draw


def _both(request, **context) -> tuple[str, str]:
    reference = _reference_engine()
    live = engines["django"].engine
    old = _drawn(reference, reference.get_template("ref/base.html"), request, context)
    new = _drawn(live, live.get_template("base.html"), request, context)
    return old, new


def test_a_signed_out_page():
    old, new = _both(_request("/accounts/login/"))
    assert new == old and "Signed in as" not in new


def test_a_signed_in_page_with_its_menu_section_and_crumbs(users):
    request = _request(user=users["leader"])
    crumbs = [("Action log", "/governance/actions/"), ("Brief <teams> & co", "")]
    old, new = _both(request, breadcrumbs=crumbs)
    assert new == old
    assert 'aria-current="true"' in new and "Brief &lt;teams&gt; &amp; co" in new
    assert 'value="/governance/actions/?q=%3Ca%3E&amp;x=1"' in new  # the session dialog's way back


def test_a_wide_sensitive_page_with_every_kind_of_message(users):
    request = _request("/", user=users["analyst"])
    for level in (messages.SUCCESS, messages.ERROR, messages.WARNING, messages.INFO):
        messages.add_message(request, level, f"Level {level}: <b>saved</b>")
    mark_page(request, Marking.OFFICIAL_SENSITIVE)
    old, new = _both(request, wide_page=True)
    assert new == old
    assert new.count("app-marking--sensitive") == 2 and "app-width-container--wide" in new
    assert "Problem" in new and "Warning" in new and "Important" in new and "&lt;b&gt;saved" in new


def test_a_name_that_must_be_escaped_and_no_crumbs(users):
    user = users["pcc"]
    user.first_name, user.last_name = "<Ada>", "O'Brien & Co"
    old, new = _both(_request("/strategy/", user=user))
    assert new == old and "&lt;Ada&gt; O&#x27;Brien &amp; Co" in new and "govuk-breadcrumbs" not in new


def test_a_partner_sees_only_their_menu(users):
    old, new = _both(_request("/partnerships/", user=users["partner"]))
    assert new == old
