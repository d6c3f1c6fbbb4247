"""Issue 9, "done when": a crawl as every demo role, following links from the dashboard and menus over the
seeded demo data (plus the records the issue found leaking), shows no page that names (by title or
reference) a record whose own URL refuses that reader.

Names come from the core record-kind registry (mshtgov.records): every record of every registered kind, with
its described name and its title/reference fields. A record is refused when its kind's `visible_to` leaves
it out (checked against its own URL for a sample of each kind). A name shared with a record the reader may
open, or too short to be told apart from ordinary words, is not looked for."""

import html
import re
from collections import defaultdict, deque

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from governance.models import AgendaItem, AgendaLink, Board, BoardKind
from mshtgov import records
from mshtgov.marking import Marking

# One worker runs every role's crawl back to back: the demo seeded once for the module must not be flushed
# between them by a transactional test of another module.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("crawl")]

ROLES = ("leader", "pcc", "analyst", "coordinator", "secretary", "partner")
MAX_PAGES = 110  # per role
PER_PAGE_KIND = 2  # pages per URL name (one record page stands for the others of its kind)
MIN_NAME = 10
SKIP = re.compile(r"export|download|logout|/admin/|/static/|/media/|\.(csv|xlsx|pdf|zip)$|/accounts/|/mfa/")
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)


def _text(response) -> str:
    return " ".join(html.unescape(TAGS.sub(" ", response.content.decode())).split())


def _names(obj) -> set[str]:
    names = {records.describe(obj).name}
    for field in ("title", "reference", "name"):
        value = getattr(obj, field, None)
        if isinstance(value, str):
            names.add(value)
    return {" ".join(n.split()) for n in names if n and len(n.strip()) >= MIN_NAME}


def _leaky_extras(users):
    """What issue 9 found leaking, added to the demo: a sensitive lesson with an action on no board, an
    answer's action on a board the PCC liaison does not sit on, and a forum agenda item covering internal
    records."""
    from governance.services import action_create
    from strategy.models import RequirementAssessment, Threat
    from tests.learning.factories import make_lesson

    analyst, leader = users["analyst"], users["leader"]
    lesson = make_lesson(
        analyst,
        title="Crawl: informant exposed at the hand car wash",
        marking=Marking.OFFICIAL_SENSITIVE,
        operation="OP-2025-0999",
    )
    from learning.models import LessonStatus

    lesson.status = LessonStatus.IDENTIFIED
    lesson.save()
    action_create(
        title="Crawl: move informant handling to the covert unit",
        owner=analyst,
        due_date=lesson.observed_on,
        by=leader,
        source=lesson,
        marking=Marking.OFFICIAL_SENSITIVE,
    )
    hot = [records.describe(lesson).url]
    answer = RequirementAssessment.objects.order_by("pk").first()
    if answer is not None:
        secret_board = Board.objects.create(name="Crawl: covert tasking group", kind=BoardKind.TACTICAL)
        action_create(
            title="Crawl: covert tasking of the Northside team",
            owner=leader,
            due_date=lesson.observed_on,
            by=leader,
            source=answer,
            board=secret_board,
            marking=Marking.OFFICIAL_SENSITIVE,
        )
        hot.append(records.describe(answer).url)
    forum = Board.objects.filter(kind=BoardKind.PARTNERSHIP_FORUM).first()
    meeting = forum.meetings.order_by("-starts_at").first() if forum else None
    if meeting is not None:
        item = AgendaItem.objects.create(meeting=meeting, position=99, title="Crawl: learning from operations")
        threat = Threat.objects.order_by("pk").first()
        for record in (lesson, threat):
            if record is not None:
                AgendaLink.objects.create(
                    item=item,
                    content_type=ContentType.objects.get_for_model(record),
                    object_id=record.pk,
                    label=str(record),
                )
        hot.append(meeting.get_absolute_url())
    return hot


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock():
        # The module's data lives in one transaction, rolled back at the end (no other test sees it).
        block = transaction.atomic()
        block.__enter__()
        try:
            call_command("seed_demo", password="crawl-Pass-2026!", verbosity=0)
            users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
            hot = _leaky_extras(users)
            yield users, hot
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


def _catalogue():
    """[(kind, record, names)] of every record of every registered kind."""
    found = []
    for kind in records.kinds():
        for obj in records.with_relations(kind.model._default_manager.all()):
            names = _names(obj)
            if names:
                found.append((kind, obj, names))
    return found


def _crawl(client, hot):
    """Breadth first from the dashboard (whose menus lead everywhere), then the pages where issue 9 found
    leaks; at most PER_PAGE_KIND pages per URL name."""
    seen, per_name, queue, pages = set(), defaultdict(int), deque(["/", *hot]), []
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        try:
            match = resolve(url.split("?")[0])
        except Resolver404:
            continue
        key = (match.namespace, match.url_name, "?" in url)
        if per_name[key] >= PER_PAGE_KIND:
            continue
        per_name[key] += 1
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages.append((url, _text(response)))
        for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
            href = html.unescape(href)
            if not SKIP.search(href) and href not in seen:
                queue.append(href)
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_no_page_names_a_record_its_reader_may_not_open(seeded, role):
    users, hot = seeded
    user = users[role]
    client = Client()
    client.force_login(user)
    catalogue = _catalogue()
    open_names, refused = set(), []
    for kind, obj, names in catalogue:
        if records.visible(user, kind.model._default_manager.filter(pk=obj.pk)).exists():
            open_names |= names
        else:
            refused.append((kind, obj, names))
    # A forum board bears its partnership's name: a reader who sits on the board may read that name.
    open_names |= {board.name for board in Board.objects.visible_to(user)}

    # The registry says what the record's own page says: a sample of each kind's refused records is refused.
    sampled = defaultdict(int)
    for kind, obj, _ in refused:
        url = records.describe(obj).url
        if url and sampled[kind.label] < 2:
            sampled[kind.label] += 1
            assert client.get(url).status_code in (403, 404), f"{role} opens {url} that the registry refuses"

    pages = _crawl(client, hot)
    assert len(pages) > 10, f"the crawl as {role} reached only {len(pages)} pages"
    leaks = []
    for kind, obj, names in refused:
        for name in names - open_names:
            pattern = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")
            for url, text in pages:
                if pattern.search(text):
                    leaks.append(f"{url} names {kind.noun} {obj.pk} ({name!r})")
    assert not leaks, f"as {role}:\n" + "\n".join(sorted(set(leaks))[:40])
