"""What governance tells the core about its records: how to name them, who may see them (mshtgov.records),
and how they join the golden thread (mshtgov.thread). Governance knows none of the registers: an action's
source and an agenda item's links are generic relations, resolved through the same registries."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone

from governance.access import sees_internal_record
from governance.models import Action, AgendaItem, AgendaLink, Decision, Meeting, Paper
from mshtgov import records
from mshtgov.marking import Marking
from mshtgov.thread import Relation, register_relations
from mshtgov.tracking import save_tracked


def _visible_meetings(user):
    return Meeting.objects.visible_to(user).values("pk")


def _internal_in_visible_meetings(user, queryset, field="meeting"):
    """Decisions are for force staff, in meetings the reader may see (as `get_decision_for_user`)."""
    if not sees_internal_record(user):
        return queryset.none()
    return queryset.filter(**{f"{field}__in": _visible_meetings(user)})


def _in_visible_meetings(user, queryset):
    """Agenda items and papers follow their meeting (partners see a forum's agenda and papers)."""
    return queryset.filter(meeting__in=_visible_meetings(user))


def _describe_action(action):
    state = action.get_status_display()
    if action.is_overdue(timezone.localdate()):
        state = f"{state}, overdue"
    return records.Described(action.title, state, action.due_date, action.get_absolute_url())


def _describe_decision(decision):
    return records.Described(
        decision.text[:120],
        f"Decided at {decision.meeting.board.name}",
        decision.meeting.date,
        reverse("governance:decision-detail", args=[decision.pk]),
    )


def _describe_item(item):
    return records.Described(
        item.title,
        f"On the agenda of {item.meeting}",
        item.meeting.date,
        reverse("governance:agenda-item-detail", args=[item.pk]),
    )


def _describe_meeting(meeting):
    return records.Described(str(meeting), meeting.get_status_display(), meeting.date, meeting.get_absolute_url())


def _describe_paper(paper):
    return records.Described(
        paper.title,
        f"Paper for {paper.meeting}",
        paper.meeting.date,
        reverse("governance:paper-download", args=[paper.pk]),
    )


KINDS = [
    records.RecordKind(
        "governance.action",
        "action",
        "actions",
        _describe_action,
        select_related=("owner",),
        search_fields=("title",),
        order=20,
    ),
    records.RecordKind(
        "governance.decision",
        "board decision",
        "board decisions",
        _describe_decision,
        visible=_internal_in_visible_meetings,
        select_related=("meeting", "meeting__board"),
        search_fields=("text",),
        raises_actions=True,
        order=30,
    ),
    records.RecordKind(
        "governance.agendaitem",
        "agenda item",
        "agenda items",
        _describe_item,
        visible=_in_visible_meetings,
        select_related=("meeting", "meeting__board"),
        search_fields=("title",),
        order=40,
    ),
    records.RecordKind(
        "governance.meeting",
        "meeting",
        "meetings",
        _describe_meeting,
        select_related=("board",),
        search_fields=("title", "board__name"),
        order=45,
    ),
    records.RecordKind(
        "governance.paper",
        "board paper",
        "board papers",
        _describe_paper,
        visible=_in_visible_meetings,
        select_related=("meeting", "meeting__board"),
        search_fields=("title",),
        order=50,
    ),
]


def _type(obj):
    return ContentType.objects.get_for_model(obj, for_concrete_model=False)


def actions_raised_from(record):
    """Any record: the actions raised from it, whatever app it lives in."""
    if isinstance(record, Action):
        return
    yield Relation("Actions raised from it", Action.objects.for_source(record))


def discussed_at(record):
    """Any record an agenda item covers: the agenda items (and so meetings) that discussed it."""
    items = AgendaLink.objects.filter(content_type=_type(record), object_id=record.pk).values("item_id")
    if not isinstance(record, AgendaItem):
        yield Relation("Discussed at", AgendaItem.objects.filter(pk__in=items))


def action_source(action):
    """An action: the record it was raised from (a lesson, a decision, an answer, a finding...)."""
    if action.source_content_type_id and action.source_object_id:
        model = action.source_content_type.model_class()
        if model is not None:
            queryset = model._default_manager.filter(pk=action.source_object_id)
            missing = () if queryset.exists() else ("The record this action was raised from (deleted)",)
            yield Relation("Raised from", queryset, missing)


def decision_neighbours(decision):
    yield Relation("Decided on the agenda item", AgendaItem.objects.filter(decisions=decision))


def agenda_item_neighbours(item):
    yield Relation("Decisions taken on it", Decision.objects.filter(agenda_item=item))
    yield Relation("Papers for it", Paper.objects.filter(agenda_item=item))
    links = list(AgendaLink.objects.filter(item=item).values_list("content_type_id", "object_id"))
    for ct_id, ids in records.group_by_kind(links).items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is not None:
            yield Relation("Records it covers", model._default_manager.filter(pk__in=ids))


def _actions_follow_source_marking(sender, instance, **kwargs):
    """A record that raises actions became OFFICIAL-SENSITIVE: so do the actions raised from it (each saved
    with its history, naming who changed the source)."""
    kind = records.kind_of(instance)
    if kind is None or not kind.raises_actions or getattr(instance, "marking", None) != Marking.OFFICIAL_SENSITIVE:
        return
    for action in Action.objects.for_source(instance).exclude(marking=Marking.OFFICIAL_SENSITIVE):
        action.marking = Marking.OFFICIAL_SENSITIVE
        save_tracked(
            action, by=getattr(instance, "_history_user", None), reason="Marking follows its source", clean=False
        )


def _actions_lose_their_source(model, pk):
    """A record that raised actions was deleted (disposed of): its actions now point at nothing, and are no
    longer visible through it (`ActionQuerySet.visible_to` reads the flag instead of looking the record up)."""
    Action.objects.filter(
        source_content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        source_object_id=pk,
        source_deleted=False,
    ).update(source_deleted=True)
    # An update sends no signal: cached figures and lists that read the flag must be told (mshtgov.summaries).
    from mshtgov.summaries import bump

    bump(Action)


def register() -> None:
    post_save.connect(_actions_follow_source_marking, dispatch_uid="governance.actions_follow_source_marking")
    records.on_source_deleted(_actions_lose_their_source)
    for kind in KINDS:
        records.register_kind(kind)
    register_relations(actions_raised_from)
    register_relations(discussed_at)
    register_relations(action_source, label="governance.action")
    register_relations(decision_neighbours, label="governance.decision")
    register_relations(agenda_item_neighbours, label="governance.agendaitem")
