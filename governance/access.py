"""The one way governance views reach a record: 404 for records the user may not know of, then 403 for
records they may see but not act on (`perm=`, e.g. `RUN_BOARDS`). Guardian stays behind
`Board.objects.visible_to`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from governance.models import RUN_BOARDS, Action, AgendaItem, Board, BoardPack, Decision, Meeting, Paper
from mshtgov.access import get_visible_or_404, require_perm
from mshtgov.roles import INTERNAL_ROLES, has_role, is_external_partner


def may_run_boards(user) -> bool:
    """Secretaries and senior leaders (and admins) run boards, meetings, minutes and packs."""
    return user.has_perm(RUN_BOARDS)


def sees_internal_record(user) -> bool:
    """Minutes, decisions, actions and packs are for force staff; partners see agendas and papers."""
    return has_role(user, *INTERNAL_ROLES) and not is_external_partner(user)


def _checked(user, record, perm: str | None):
    if perm:
        require_perm(user, perm)
    return record


def get_board_for_user(user, pk, *, perm: str | None = None) -> Board:
    board = get_visible_or_404(Board.objects.visible_to(user).select_related("chair", "secretary"), pk)
    return _checked(user, board, perm)


def get_meeting_for_user(user, pk, *, perm: str | None = None, internal=False) -> Meeting:
    meeting = get_visible_or_404(Meeting.objects.visible_to(user).select_related("board"), pk)
    if internal and not sees_internal_record(user):
        raise PermissionDenied
    return _checked(user, meeting, perm)


def get_agenda_item_for_user(user, pk, *, perm: str | None = None) -> AgendaItem:
    meetings = Meeting.objects.visible_to(user).values("pk")
    item = get_visible_or_404(
        AgendaItem.objects.filter(meeting__in=meetings).select_related("meeting", "meeting__board"), pk
    )
    return _checked(user, item, perm)


def get_paper_for_user(user, pk) -> Paper:
    meetings = Meeting.objects.visible_to(user).values("pk")
    return get_visible_or_404(Paper.objects.filter(meeting__in=meetings).select_related("meeting"), pk)


def get_decision_for_user(user, pk, *, perm: str | None = None) -> Decision:
    if not sees_internal_record(user):
        raise Http404
    meetings = Meeting.objects.visible_to(user).values("pk")
    decision = get_visible_or_404(
        Decision.objects.filter(meeting__in=meetings).select_related("meeting", "meeting__board"), pk
    )
    return _checked(user, decision, perm)


def get_action_for_user(user, pk) -> Action:
    return get_visible_or_404(Action.objects.visible_to(user).with_list_relations(), pk)


def may_update_action(user, action: Action) -> bool:
    return action.owner_id == user.pk or may_run_boards(user)


def get_pack_for_user(user, pk, *, perm: str | None = None) -> BoardPack:
    pack = get_visible_or_404(
        BoardPack.objects.visible_to(user).select_related("meeting", "meeting__board", "requested_by"), pk
    )
    return _checked(user, pack, perm)
