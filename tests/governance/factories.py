"""Governance records for tests. No randomness: tests say what they depend on."""

from datetime import datetime, time, timedelta

import factory
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from guardian.shortcuts import assign_perm

from governance.models import (
    Action,
    AgendaItem,
    Board,
    BoardKind,
    BoardPack,
    Decision,
    Meeting,
    MeetingStatus,
    PackStatus,
    Paper,
)
from tests.factories import UserFactory

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Board {n}")
    kind = BoardKind.STRATEGIC


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    board = factory.SubFactory(BoardFactory)
    starts_at = factory.LazyFunction(lambda: at(timezone.localdate() + timedelta(days=14)))
    location = "Room 2.14"
    status = MeetingStatus.SCHEDULED


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Decision {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    title = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.SubFactory(UserFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


def make_paper(meeting, *, title="Performance report", content=MINIMAL_PDF, name="report.pdf") -> Paper:
    paper = Paper(meeting=meeting, title=title, original_name=name, size=len(content))
    paper.file.save("paper.pdf", ContentFile(content), save=False)
    paper.save()
    return paper


def make_ready_pack(meeting, user, content=MINIMAL_PDF) -> BoardPack:
    pack = BoardPack(
        meeting=meeting,
        requested_by=user,
        status=PackStatus.READY,
        pages=1,
        size=len(content),
        finished_at=timezone.now(),
    )
    pack.save()
    pack.file.save(f"board-packs/test-pack-{pack.pk}.pdf", ContentFile(content), save=True)
    return pack


def partner_group_for(user) -> Group:
    """The partner's organisation group (`partner-org-<id>`), with the partner in it, as the
    partnerships app keeps it."""
    group, _ = Group.objects.get_or_create(name=f"partner-org-{user.partner_profile.organisation_id}")
    user.groups.add(group)
    if hasattr(user, "_mshtgov_roles"):
        del user._mshtgov_roles
    return group


def grant_forum(board, group) -> None:
    """What the partnerships app does when an organisation joins the forum's partnership."""
    assign_perm("governance.view_board", group, board)


def revoke_forum(board, group) -> None:
    from guardian.shortcuts import remove_perm

    remove_perm("governance.view_board", group, board)
