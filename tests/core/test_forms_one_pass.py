"""Every GOV.UK form of the project is drawn in one pass (mshtgov.forms.render_in_one_pass, issue 15): the markup
must be exactly what forms/govuk_form.html and forms/govuk_field.html draw, field by field, for a new record and
one being changed, unbound, typed into and with errors (labels, hints, aria-describedby, errors and the boxes at
fault all the same). And the choice lists, which load only the columns their labels read
(mshtgov.forms.LeanChoiceIterator), show the same labels as the whole records would, without a query per option."""

import importlib
import inspect
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command
from django.db import connection
from django.forms.models import ModelChoiceIterator
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from mshtgov.forms import GovukFormMixin, LeanChoiceIterator

ROLES = ("leader", "pcc", "analyst", "coordinator", "secretary", "partner")
ROOT = Path(__file__).resolve().parents[2]
APPS = ("mshtgov", "strategy", "operations", "inspection", "partnerships", "governance", "learning")


def _import_forms_modules():
    """Every module of the project's apps that may define a form (forms, filters, views...)."""
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            try:
                importlib.import_module(module)
            except Exception:  # noqa: BLE001, S112 - a module that cannot be imported here defines no form we draw
                continue


def _form_classes():
    _import_forms_modules()
    found, queue = [], list(GovukFormMixin.__subclasses__())
    while queue:
        cls = queue.pop(0)
        queue.extend(cls.__subclasses__())
        if cls in found or cls.__module__.startswith("django.") or inspect.isabstract(cls):
            continue
        model = getattr(getattr(cls, "_meta", None), "model", None)
        if issubclass(cls, forms.ModelForm) and model is None:
            continue  # a base class (AuditedModelForm)
        found.append(cls)
    return found


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            call_command("seed_demo", password="forms-Pass-2026!", verbosity=0)
            yield {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


def _first(label):
    return apps.get_model(label)._default_manager.order_by("pk").first()


def _kwargs(cls, users) -> dict | None:
    """What the form's constructor asks for, from the demo; None when the demo holds nothing to give it."""
    from governance.packs.audience import audience_for

    wanted = inspect.signature(cls.__init__).parameters
    kwargs = {}
    givers = {
        "meeting": lambda: _first("governance.Meeting"),
        "partnership": lambda: _first("partnerships.Partnership"),
        "user": lambda: users["leader"],
        "threat": lambda: _first("strategy.Threat"),
        "measure": lambda: _first("strategy.Measure"),
        "record": lambda: _first("operations.Operation"),
        "units": lambda: ["Unit A", 'Unit "B" <&>'],
        "audience": lambda: audience_for(_first("governance.Board"), users["leader"]),
    }
    if issubclass(cls, AuthenticationForm):
        kwargs["request"] = RequestFactory().post("/accounts/login/")
    if issubclass(cls, SetPasswordForm | PasswordChangeForm):
        kwargs["user"] = users["leader"]
    for name, parameter in wanted.items():
        if parameter.kind != parameter.KEYWORD_ONLY:
            continue
        if name not in givers:
            if parameter.default is parameter.empty:
                return None
            continue
        kwargs[name] = givers[name]()
        if kwargs[name] is None:
            return None
    return kwargs


def _typed(form) -> dict:
    """Something plausible in every field: a choice from each list, words with markup, a date, a number."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        choices = [str(v) for v, _ in getattr(field, "choices", ()) if v not in ("", None)][:2]
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            data[key] = choices
        elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            data[key] = choices[-1] if choices else ""
        elif isinstance(field, forms.DateTimeField):
            data[key] = "2026-03-01T14:30"
        elif isinstance(field, forms.DateField):
            data[key] = "2026-03-01"
        elif isinstance(field, forms.BooleanField):
            data[key] = "on"
        elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            data[key] = "3"
        elif isinstance(field, forms.EmailField):
            data[key] = "someone@example.org"
        elif isinstance(field, forms.FileField):
            continue
        else:
            data[key] = 'Typed "<b>" & co'
    return data


def _wrong(form, length) -> dict:
    """Something wrong in every field: a choice not offered, a date that is not one, words far too long."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            data[key] = ["999999", "nonsense"]
        elif isinstance(field, forms.DateField | forms.DateTimeField):
            data.update({f"{key}-day": "31", f"{key}-month": "2", f"{key}-year": "20"})
        else:
            data[key] = "<x>" * length
    return data


def _instances(cls):
    """A new record, and a record of the demo being changed (a model form)."""
    yield None
    model = getattr(getattr(cls, "_meta", None), "model", None)
    if model is not None and issubclass(cls, forms.ModelForm):
        record = model._default_manager.order_by("pk").first()
        if record is not None:
            yield record


def _cases(cls, users):
    kwargs = _kwargs(cls, users)
    if kwargs is None:
        return
    for instance in _instances(cls):
        extra = {"instance": instance} if instance is not None else {}
        probe = cls(**kwargs, **extra)
        yield f"{cls.__name__} {'edit' if instance else 'new'} unbound", probe
        # A sign-in form's words are kept short: the failed sign-in is recorded (django-axes) in 255 characters.
        wrong = _wrong(probe, 60 if issubclass(cls, AuthenticationForm) else 400)
        for state, data in (("empty", {}), ("typed", _typed(probe)), ("wrong", wrong)):
            form = cls(data=data, **kwargs, **extra)
            try:
                form.is_valid()
            except ObjectDoesNotExist:
                if instance is None:
                    break  # a form only ever used on an existing record (an answer to a requirement)
                raise
            yield f"{cls.__name__} {'edit' if instance else 'new'} {state}", form


def test_every_form_is_drawn_in_one_pass_as_the_templates_draw_it(seeded, db):
    drawn, differ, classes = 0, [], _form_classes()
    assert len(classes) > 50
    for cls in classes:
        for case, form in _cases(cls, seeded):
            one_pass = str(form)
            if one_pass != str(form.render(template_name=form.template_name)) or "{{" in one_pass:
                differ.append((case, _first_difference(one_pass, str(form.render(template_name=form.template_name)))))
            drawn += 1
    assert not differ
    assert drawn > 250


def _first_difference(one: str, other: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b), min(len(one), len(other)))
    return f"one pass: {one[max(0, at - 80) : at + 80]!r}\ntemplates: {other[max(0, at - 80) : at + 80]!r}"


def test_choice_lists_show_the_labels_the_whole_records_give_and_cost_no_query_per_option(seeded, db):
    lean = 0
    for cls in _form_classes():
        kwargs = _kwargs(cls, seeded)
        if kwargs is None:
            continue
        for instance in _instances(cls):
            form = cls(**kwargs, **({"instance": instance} if instance is not None else {}))
            for name, field in form.fields.items():
                form[name]  # noqa: B018 - the bound field gives the widget its choice list
                choices = getattr(field.widget, "choices", None)
                if not isinstance(choices, LeanChoiceIterator):
                    continue
                whole = [(str(v), str(label)) for v, label in ModelChoiceIterator(field)]
                with CaptureQueriesContext(connection) as queries:
                    labels = [(str(v), str(label)) for v, label in choices]
                assert labels == whole, f"{cls.__name__}.{name}"
                assert len(whole) <= 1 or len(queries) <= 1, f"{cls.__name__}.{name}: {len(queries)} queries"
                lean += 1
    assert lean > 20


def test_drawing_an_edit_form_costs_no_query_per_option(seeded, db):
    """The answer form offers every objective, measure and threat: drawing it costs a query per list."""
    from strategy.forms.assessments import AnswerForm

    answer = _first("strategy.RequirementAssessment")
    form = AnswerForm(instance=answer)
    with CaptureQueriesContext(connection) as queries:
        page = str(form)
    assert page.count("<option") > 20
    assert len(queries) <= 8, [q["sql"][:120] for q in queries]


def test_choice_lists_are_kept_and_a_change_to_what_they_show_is_seen_at_once(seeded, db):
    """The lists' values and labels are kept (mshtgov.forms.use_kept_choice_lists): a second draw reads no
    list from the database and gives the same page; renaming a threat, adding an objective or renaming a
    person shows at once; what is chosen is each form's own."""
    from strategy.forms.assessments import AnswerForm
    from strategy.models import Objective, Threat

    answer = _first("strategy.RequirementAssessment")
    first = str(AnswerForm(instance=answer))
    with CaptureQueriesContext(connection) as queries:
        again = str(AnswerForm(instance=answer))
    assert again == first
    lists = (
        'SELECT "strategy_threat"."id", "strategy_threat"."title" FROM',
        'SELECT "strategy_measure"."id", "strategy_measure"."name" FROM',
    )
    assert not [q for q in queries if q["sql"].startswith(lists)]

    threat = Threat.objects.filter(active=True).order_by("pk").first()
    threat.title = 'Renamed "threat" <now>'
    threat.save()
    objective = Objective.objects.order_by("pk").first()
    objective.pk, objective.title = None, "A new objective"
    objective.save()
    person = seeded["analyst"]
    person.first_name, person.last_name = "Renamed", "Person"
    person.save()
    page = str(AnswerForm(instance=answer))
    assert "Renamed &quot;threat&quot; &lt;now&gt;" in page and "A new objective" in page
    assert "Renamed Person" in page

    chosen = AnswerForm({"evidence_threats": [str(threat.pk)], "status": "nonsense"}, instance=answer)
    chosen.is_valid()
    assert f'<option value="{threat.pk}" selected>' in str(chosen)
    assert f'<option value="{threat.pk}" selected>' not in str(AnswerForm(instance=answer))
