"""Retention: each kind of record is reviewed after a period (settings.RETENTION_REVIEW); its owner or a
senior leader then keeps it (with a reason and a new review date) or disposes of it.

Disposal deletes the record, the records that depend on it, every historical version of each and any
built document that holds them, and leaves a tombstone (kind, id, when, who, why) and an access-log row.
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils.text import capfirst

from mshtgov import documents
from mshtgov.audit import log_access, record_label
from mshtgov.models import AccessAction
from mshtgov.personal_data.models import DisposalTombstone, RetentionDecision
from mshtgov.personal_data.redaction import DPO_PERMISSION, is_tracked, redactable_fields
from mshtgov.roles import Role, has_role, is_external_partner
from mshtgov.summaries import bump

REVIEW_PERMISSION = "mshtgov.review_retention"
MAX_KEEP_YEARS = 10


@dataclass(frozen=True)
class RecordKind:
    label: str  # "learning.lesson"
    model: type
    months: int
    owner: str | None  # path to the owning user, e.g. "owner" or "board__secretary"
    reason: str

    @property
    def name(self) -> str:
        return capfirst(self.model._meta.verbose_name)

    @property
    def plural(self) -> str:
        return capfirst(self.model._meta.verbose_name_plural)


def record_kinds() -> list[RecordKind]:
    """The kinds named in settings.RETENTION_REVIEW whose app is installed."""
    kinds = []
    for label, rule in getattr(settings, "RETENTION_REVIEW", {}).items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue  # an app not installed here
        kinds.append(RecordKind(label, model, int(rule["months"]), rule.get("owner"), rule["reason"]))
    return kinds


def kind_for(label: str) -> RecordKind | None:
    return next((k for k in record_kinds() if k.label == label), None)


def kind_of(record) -> RecordKind | None:
    return kind_for(record._meta.label_lower)


@dataclass
class DueRecord:
    kind: RecordKind
    record: models.Model
    due_on: date
    owner: object | None

    @property
    def label(self) -> str:
        return record_label(self.record)


def _due_queryset(kind: RecordKind, today: date):
    latest = RetentionDecision.objects.filter(kind=kind.label, object_id=OuterRef("pk")).order_by("-decided_at", "-id")
    qs = kind.model._default_manager.annotate(next_review=Subquery(latest.values("next_review_on")[:1]))
    cutoff = today - relativedelta(months=kind.months)
    return qs.filter(Q(next_review__isnull=True, created_at__date__lte=cutoff) | Q(next_review__lte=today))


def due_for_review(today: date, *, owner=None, limit: int | None = None) -> list[DueRecord]:
    """Records due for review today, oldest first within each kind. One query per kind. With `owner`,
    only records that person owns."""
    due = []
    for kind in record_kinds():
        qs = _due_queryset(kind, today)
        if owner is not None:
            if not kind.owner:
                continue
            qs = qs.filter(**{kind.owner: owner})
        # Every non-null foreign key (what a record's name is made of, e.g. a meeting's board), and the owner.
        qs = qs.select_related(*([kind.owner] if kind.owner else []))
        qs = qs.select_related().order_by("created_at", "pk")
        for record in qs[:limit] if limit else qs:
            due_on = record.next_review or (record.created_at.date() + relativedelta(months=kind.months))
            due.append(DueRecord(kind, record, due_on, owner_of(kind, record)))
    return due


def due_counts(today: date) -> list[tuple[RecordKind, int]]:
    return [(kind, _due_queryset(kind, today).count()) for kind in record_kinds()]


def owner_of(kind: RecordKind, record):
    value = record
    for part in (kind.owner or "").split("__"):
        if not part or value is None:
            return None
        value = getattr(value, part, None)
    return value


def may_review(user, kind: RecordKind | None = None, record=None) -> bool:
    """Senior leaders and the data protection officer review any record; an owner reviews their own."""
    if not getattr(user, "is_authenticated", False) or is_external_partner(user):
        return False
    if user.has_perm(DPO_PERMISSION) or user.has_perm(REVIEW_PERMISSION) or has_role(user, Role.SENIOR_LEADER):
        return True
    return record is not None and kind is not None and owner_of(kind, record) == user


def keep(*, record, reason: str, next_review_on: date, by, today: date) -> RetentionDecision:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Say why the record must be kept."})
    if next_review_on <= today:
        raise ValidationError({"next_review_on": "The next review must be after today."})
    if next_review_on > today + relativedelta(years=MAX_KEEP_YEARS):
        raise ValidationError({"next_review_on": f"The next review must be within {MAX_KEEP_YEARS} years."})
    return RetentionDecision.objects.create(
        kind=record._meta.label_lower,
        object_id=record.pk,
        decided_by=by,
        decided_by_name=by.get_username(),
        reason=reason,
        next_review_on=next_review_on,
    )


def _collect(record) -> dict[type, list]:
    collector = NestedObjects(using=DEFAULT_DB_ALIAS)
    collector.collect([record])
    if collector.protected:
        names = sorted({record_label(obj) for obj in collector.protected})
        raise ValidationError(
            "It cannot be disposed of while other records depend on it: "
            + ", ".join(names[:10])
            + (" and more" if len(names) > 10 else "")
            + ". Review those first."
        )
    return {model: list(instances) for model, instances in collector.data.items()}


def disposal_preview(record) -> list[tuple[str, int]]:
    """What disposing of `record` also removes: (kind, count) of the dependent records."""
    return disposal_preview_from(_collect(record), type(record))


def _texts_of(instances) -> list[str]:
    texts = []
    for instance in instances:
        for f in redactable_fields(type(instance)):
            value = getattr(instance, f.attname, "")
            if value and len(value) >= 8:
                texts.append(value)
    return texts


def dispose(*, record, reason: str, by, request=None) -> DisposalTombstone:
    """Delete `record`, its dependents, all their history and any built document holding them.

    Side effects, in order: finds built documents holding the record's text; deletes the records (their
    files once the transaction commits); deletes every historical version of each; withdraws the
    documents; writes the tombstone and one DISPOSE row to the access log."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Say why the record is being disposed of."})
    model = type(record)
    label, kind_label, pk = model._meta.label_lower, str(capfirst(model._meta.verbose_name)), record.pk
    with transaction.atomic():
        record = model._default_manager.select_for_update().get(pk=pk)
        collected = _collect(record)
        doomed = {(type(i), i.pk) for items in collected.values() for i in items}
        held = [
            found
            for found in documents.documents_holding(
                record, _texts_of(i for items in collected.values() for i in items)
            )
            if (type(found.document), found.document.pk) not in doomed  # deleted with the record (files below)
        ]
        files = [
            getattr(instance, f.attname)
            for instances in collected.values()
            for instance in instances
            for f in type(instance)._meta.concrete_fields
            if isinstance(f, models.FileField) and getattr(instance, f.attname)
        ]
        pks = {model: [i.pk for i in instances] for model, instances in collected.items()}  # delete() clears them
        record.delete()
        for collected_model, ids in pks.items():
            if is_tracked(collected_model):
                collected_model.history.model.objects.filter(id__in=ids).delete()
            bump(collected_model)
        for file in files:
            name, storage = file.name, file.storage
            transaction.on_commit(lambda n=name, s=storage: s.delete(n) if s.exists(n) else None)
        done = documents.withdraw_all(held, reason=f"it held {kind_label} {pk}, since disposed of.", by=by)
        tombstone = DisposalTombstone.objects.create(
            kind=label,
            kind_label=kind_label,
            object_id=pk,
            disposed_by=by,
            disposed_by_name=by.get_username(),
            reason=reason,
            also_disposed=dict(disposal_preview_from(collected, model)),
            documents=done,
        )
        log_access(
            request,
            AccessAction.DISPOSE,
            object_type=label,
            object_id=str(pk),
            object_repr=f"{kind_label} {pk}",
            user=by,
            detail={"reason": reason, "tombstone": tombstone.pk, "also_disposed": tombstone.also_disposed},
        )
    return tombstone


def disposal_preview_from(collected, model) -> list[tuple[str, int]]:
    return sorted(
        (str(capfirst(m._meta.verbose_name_plural)), len(instances))
        for m, instances in collected.items()
        # Link tables (many-to-many, object permissions) are not records a reader would recognise.
        if m is not model and not m._meta.auto_created and not m.__name__.endswith("ObjectPermission")
    )
