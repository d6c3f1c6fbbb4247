"""The agenda builder: add, reorder and remove items, and link them to the records they cover."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from governance.models import AgendaItem, AgendaLink, Meeting
from mshtgov.tracking import save_tracked, stamp


def _refuse_if_closed(meeting: Meeting) -> None:
    if meeting.is_closed:
        raise ValidationError("This meeting is closed: its agenda can no longer change.")


@transaction.atomic
def agenda_item_save(*, item: AgendaItem, links: list, by, reason: str) -> AgendaItem:
    """Save an item (new ones go last) and make its links exactly `links` (records of any app)."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _refuse_if_closed(meeting)
    item.title = (item.title or "").strip()
    if not item.title:
        raise ValidationError({"title": "Enter the agenda item's title."})
    if not item.pk:
        last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"]
        item.position = (last or 0) + 1
    save_tracked(item, by=by, reason=reason)
    wanted = {(ContentType.objects.get_for_model(r, for_concrete_model=False).pk, r.pk): r for r in links}
    for link in list(item.links.all()):
        if (link.content_type_id, link.object_id) not in wanted:
            stamp(link, by=by, reason="Link removed").delete()
        else:
            wanted.pop((link.content_type_id, link.object_id))
    for (ct_id, object_id), record in wanted.items():
        link = AgendaLink(item=item, content_type_id=ct_id, object_id=object_id, label=str(record)[:300])
        save_tracked(link, by=by, reason="Linked to the agenda item")
    return item


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, direction: str, by) -> None:
    """Swap the item with its neighbour above or below; positions are renumbered 1..n first so gaps
    left by removals never make a move do nothing."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _refuse_if_closed(meeting)
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            save_tracked(other, by=by, reason=f"Agenda reordered (moved {direction}: {item.title})")


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, by) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _refuse_if_closed(meeting)
    stamp(item, by=by, reason="Removed from the agenda").delete()
