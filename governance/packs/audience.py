"""Who a board pack is built for, and what every one of them may see.

A pack is printed and handed round: it is read by the board, not only by the secretary who asked for it.
Its audience is the board's chair, secretary and members; for a partnership forum also the users of the
partner organisations granted the forum (their groups hold `view_board` on it). A section, a panel, a
covered record or an action is included only if EVERY member of the audience may see it, and a panel only
if it shows every one of them the same thing (it is gathered and drawn for each, and left out when the
drawings differ: it would show someone records or figures that are not theirs)."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from governance.access import sees_internal_record
from governance.models import Action, Board, BoardGroupObjectPermission, BoardKind


@dataclass
class Audience:
    board: Board
    members: list = field(default_factory=list)  # the board's chair, secretary and members (active accounts)
    partners: list = field(default_factory=list)  # users of the partner organisations granted a forum
    organisations: int = 0  # how many partner organisations (groups) those users come from
    requester: object = None  # the only known reader of a board with nobody recorded on it

    @property
    def readers(self) -> list:
        readers = [*self.members, *self.partners]
        return readers or ([self.requester] if self.requester is not None else [])

    def describe(self) -> str:
        """What the pack's page and cover say about whom it was built for."""
        if not (self.members or self.partners):
            return (
                f"No chair, secretary or member is recorded for {self.board.name}: built for the person who asked "
                "for it, with only what they may see."
            )
        people = f"the {len(self.members)} member{'' if len(self.members) == 1 else 's'} of {self.board.name}"
        if self.partners:
            orgs = f"{self.organisations} partner organisation{'' if self.organisations == 1 else 's'}"
            people += f" and the {len(self.partners)} user{'' if len(self.partners) == 1 else 's'} of its {orgs}"
        return f"Built for {people}: it holds only what every one of them may see."

    def all_see_internal(self) -> bool:
        return bool(self.readers) and all(sees_internal_record(user) for user in self.readers)

    def all_see_actions(self, actions) -> bool:
        """Whether every reader may open every one of `actions` (one query per reader)."""
        ids = {action.pk for action in actions}
        if not ids:
            return self.all_see_internal()
        return all(Action.objects.visible_to(user).filter(pk__in=ids).count() == len(ids) for user in self.readers)


def audience_for(board: Board, requester=None) -> Audience:
    User = get_user_model()
    people = {board.chair_id, board.secretary_id, *board.members.values_list("pk", flat=True)} - {None}
    members = list(User.objects.filter(pk__in=people, is_active=True).order_by("pk"))
    partners, organisations = [], 0
    if board.kind == BoardKind.PARTNERSHIP_FORUM:
        groups = set(
            BoardGroupObjectPermission.objects.filter(
                content_object=board, permission__codename="view_board"
            ).values_list("group_id", flat=True)
        )
        organisations = len(groups)
        partners = list(
            User.objects.filter(groups__in=groups, is_active=True).exclude(pk__in=people).distinct().order_by("pk")
        )
    return Audience(board, members, partners, organisations, requester)
