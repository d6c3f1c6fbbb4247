"""The partnerships demo data: idempotent, scaled, and the partner in exactly one of several partnerships."""

import pytest
from django.utils import timezone

from governance.models import Board
from mshtgov.demo import DemoContext
from partnerships import demo
from partnerships.models import (
    ICTGReferral,
    InformationSharingAgreement,
    Membership,
    Partnership,
    SafeguardingNotification,
    TermsOfReference,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Partnership,
    Membership,
    TermsOfReference,
    InformationSharingAgreement,
    SafeguardingNotification,
    ICTGReferral,
]


def _run(users, scale, boards):
    ctx = DemoContext(scale=scale, users=users, today=timezone.localdate(), log=lambda *_: None)
    ctx.shared["boards"] = boards
    demo.seed(ctx)
    demo.seed_partnerships(ctx)


def test_demo_is_idempotent_and_confines_the_partner_to_the_forum(users):
    boards = {
        "forum": Board.objects.create(name="Forum board", kind="partnership_forum"),
        "strategic": Board.objects.create(name="Strategic board", kind="strategic"),
    }
    _run(users, 1, boards)
    counts = {m: m.objects.count() for m in MODELS}
    _run(users, 1, boards)
    assert {m: m.objects.count() for m in MODELS} == counts

    assert Partnership.objects.count() >= 5
    visible = list(Partnership.objects.visible_to(users["partner"]))
    assert [p.name for p in visible] == [demo_forum_name()]
    assert visible[0].board == boards["forum"]
    assert list(Board.objects.visible_to(users["partner"])) == [boards["forum"]]
    # Different partnerships have different members.
    member_sets = {frozenset(p.members.values_list("pk", flat=True)) for p in Partnership.objects.all()}
    assert len(member_sets) > 3

    _run(users, 2, boards)
    assert SafeguardingNotification.objects.count() == 2 * counts[SafeguardingNotification]
    assert Partnership.objects.count() > counts[Partnership]
    assert [p.name for p in Partnership.objects.visible_to(users["partner"])] == [demo_forum_name()]


def demo_forum_name():
    from partnerships.demo_partnerships import FORUM

    return FORUM
