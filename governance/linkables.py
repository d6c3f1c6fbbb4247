"""Records an agenda item can cover, from whichever registers are installed.

Named by model label and looked up through the app registry, so governance imports none of the
registers (they sit above it) and a register that has not built a model yet is simply absent."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

LINKABLE_MODELS = [
    ("strategy.objective", "Objectives"),
    ("strategy.threat", "Threats"),
    ("strategy.measure", "Measures"),
    ("learning.lesson", "Lessons"),
    ("partnerships.partnership", "Partnerships"),
]
PER_KIND_LIMIT = 300


def available_models():
    for label, title in LINKABLE_MODELS:
        try:
            yield apps.get_model(label), title
        except (LookupError, ValueError):
            continue


def _visible(model, user):
    """Only records the user may read may be offered or linked: each register's `visible_to` decides
    (a sensitive lesson's title must not reach someone who may not read the lesson)."""
    queryset = model._default_manager.all()
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    return queryset


def grouped_choices(user) -> list:
    """[(group title, [(value, label), ...]), ...]: one query per kind of record."""
    groups = []
    for model, title in available_models():
        ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
        rows = [(f"{ct.pk}:{obj.pk}", str(obj)[:120]) for obj in _visible(model, user)[:PER_KIND_LIMIT]]
        if rows:
            groups.append((title, rows))
    return groups


def resolve(values, user) -> list:
    """Turn "<content type id>:<id>" values back into records; unknown values are dropped."""
    wanted: dict[int, set[int]] = {}
    for value in values:
        ct_id, _, pk = str(value).partition(":")
        if ct_id.isdigit() and pk.isdigit():
            wanted.setdefault(int(ct_id), set()).add(int(pk))
    allowed = {ContentType.objects.get_for_model(m, for_concrete_model=False).pk: m for m, _ in available_models()}
    records = []
    for ct_id, pks in wanted.items():
        model = allowed.get(ct_id)
        if model is not None:
            records.extend(_visible(model, user).filter(pk__in=pks))
    return records


def value_for(link) -> str:
    return f"{link.content_type_id}:{link.object_id}"
