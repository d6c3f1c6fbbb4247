"""The personal-data screen: the corpus rates, every form named in issue 11, and every form in the project."""

import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse

from mshtgov.forms import GovukFormMixin
from mshtgov.personal_data.screening import ALL_KINDS, FieldPolicy, screen_text, screened_fields
from tests.core.personal_data_corpus import FALSE_POSITIVES, TRUE_POSITIVES

ISSUE_TEXT = "Victim Jane Smith, born 14/03/1991, phone 07700 900123, lives at 12 Acacia Avenue, Northmoor NM1 2AB"


def corpus_rates():
    caught = [text for text, kind in TRUE_POSITIVES if kind in {f.kind.key for f in screen_text(text)}]
    flagged = [text for text in FALSE_POSITIVES if screen_text(text)]
    return len(caught) / len(TRUE_POSITIVES), len(flagged) / len(FALSE_POSITIVES), caught, flagged


def test_corpus_rates_are_printed_and_hold():
    assert len(TRUE_POSITIVES) >= 50 and len(FALSE_POSITIVES) >= 50
    tp_rate, fp_rate, caught, flagged = corpus_rates()
    print(
        f"\npersonal-data screen: true positives {len(caught)}/{len(TRUE_POSITIVES)} ({tp_rate:.1%}), "
        f"false positives {len(flagged)}/{len(FALSE_POSITIVES)} ({fp_rate:.1%})"
    )
    missed = [text for text, _ in TRUE_POSITIVES if text not in caught]
    assert tp_rate >= 0.95, f"missed: {missed}"
    assert fp_rate <= 0.05, f"wrongly refused: {flagged}"


def test_the_issue_text_is_refused_for_each_piece_of_personal_data():
    kinds = {f.kind.key for f in screen_text(ISSUE_TEXT)}
    assert kinds == {"named_person", "date_of_birth", "phone", "address", "postcode"}


def test_allow_list_lets_a_known_false_positive_through(settings):
    text = "Safe Harbour Refuge's office is at NM1 1AA."
    assert [f.kind.key for f in screen_text(text)] == ["postcode"]
    settings.PERSONAL_DATA_ALLOW_LIST = ["nm1 1aa"]  # matched ignoring case and spaces
    assert screen_text(text) == []
    assert [f.kind.key for f in screen_text("Victim lives at NM1 2AB")] == ["postcode"]


# --- The forms the issue names, each field that takes free text ---------------------------------------


def _governance(users):
    from governance.models import Action
    from tests.governance.factories import AgendaItemFactory, MeetingFactory

    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting)
    action = Action(title="x", owner=users["secretary"], due_date=meeting.date)
    return meeting, item, action


def _form_cases(users):
    from governance import forms as gf
    from learning.forms import lessons as lf
    from partnerships.forms import agreements as af
    from partnerships.forms import partnerships as pf
    from partnerships.forms import registers as rf
    from partnerships.forms import terms as tf
    from partnerships.models.terms import TERMS_TEXT_FIELDS
    from tests.partnerships.factories import make_partnership

    meeting, item, action = _governance(users)
    partnership = make_partnership("Northmoor forum", by=users["coordinator"])
    return [
        (lf.LessonForm, {}, ["title", "what_worked", "what_did_not", "root_cause", "recommendation"]),
        (lf.NotAcceptForm, {}, ["reason"]),
        (lf.AdvanceForm, {}, ["note"]),
        (lf.LessonActionForm, {}, ["title", "description"]),
        (lf.DisseminationForm, {}, ["audience", "method"]),
        (gf.MinutesForm, {"instance": meeting}, ["minutes", "change_reason"]),
        (gf.DecisionForm, {"meeting": meeting}, ["text"]),
        (gf.AgendaItemForm, {"instance": item, "user": users["secretary"]}, ["title", "summary"]),
        (gf.ActionForm, {"instance": action}, ["title", "description"]),
        (gf.AttendanceForm, {"meeting": meeting}, ["other_attendees"]),
        (gf.MeetingForm, {}, ["title", "location"]),
        (tf.TermsForm, {}, list(TERMS_TEXT_FIELDS)),
        (af.AgreementForm, {"partnership": partnership}, ["title", "purpose", "data_shared", "signatories"]),
        (rf.NotificationForm, {}, ["incident_reference"]),
        (rf.SupportForm, {}, ["name", "notes"]),
        (rf.ICTGForm, {}, ["child_reference", "ictg_service"]),
        (pf.MembershipRemoveForm, {}, ["change_reason"]),
    ]


@pytest.mark.django_db
def test_every_named_form_refuses_personal_data_beside_the_field(users):
    cases = _form_cases(users)
    checked = 0
    for form_class, kwargs, names in cases:
        for name in names:
            value = "SMITH-J-14031991" if name.endswith("reference") else ISSUE_TEXT
            form = form_class(data={name: value}, **kwargs)
            assert not form.is_valid()
            messages = " ".join(form.errors.get(name, []))
            assert "This looks like" in messages, f"{form_class.__name__}.{name}: {form.errors.get(name)}"
            checked += 1
    assert checked >= 35


@pytest.mark.django_db
def test_minutes_with_personal_data_are_refused_with_a_message_and_nothing_is_saved(client_for, users):
    from tests.governance.factories import MeetingFactory

    meeting = MeetingFactory(board__secretary=users["secretary"])
    meeting.minutes = "Agreed the plan."
    meeting.save()
    client = client_for("secretary")
    url = reverse("governance:meeting-minutes", args=[meeting.pk])
    seen = client.get(url).context["form"]["seen_version"].value()
    response = client.post(url, {"minutes": ISSUE_TEXT, "change_reason": "Typed up", "seen_version": seen})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and 'href="#id_minutes"' in page
    assert "This looks like a named victim, suspect or other person" in page
    assert "Use the case reference, not a name" in page
    meeting.refresh_from_db()
    assert meeting.minutes == "Agreed the plan."
    assert not meeting.history.filter(minutes__contains="Jane").exists()


@pytest.mark.parametrize(
    "reference", ["Jane-Smith-1991", "SMITH-J-14031991", "07700900123", "NM1-2AB", "KOWALSKI-1991", "140391"]
)
def test_reference_validator_refuses_the_shapes_the_issue_found(reference):
    from django.core.exceptions import ValidationError

    from mshtgov.validators import validate_pseudonymous_reference

    with pytest.raises(ValidationError):
        validate_pseudonymous_reference(reference)


@pytest.mark.parametrize("reference", ["OP-2026-0142", "MSHT/24/0077", "KESTREL-2026-01", "OPS-A-0012", "CR-12345678"])
def test_reference_validator_accepts_real_reference_shapes(reference):
    from mshtgov.validators import validate_pseudonymous_reference

    validate_pseudonymous_reference(reference)


# --- Every form in the project (so forms added later are covered) --------------------------------------

_SKIPPED_MODULE_PARTS = ("migrations", "tests", "management")


def _project_apps():
    from django.conf import settings

    root = str(settings.BASE_DIR)
    return [c for c in apps.get_app_configs() if c.path.startswith(root) and ".venv" not in c.path]


def _project_form_classes():
    names = set()
    for config in _project_apps():
        names.add(config.name)
        for info in pkgutil.walk_packages([config.path], prefix=f"{config.name}."):
            if not any(part in info.name.split(".") for part in _SKIPPED_MODULE_PARTS):
                importlib.import_module(info.name)
    found, stack = set(), [forms.BaseForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.split(".")[0] in names:
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def test_every_form_in_the_project_screens_its_free_text_fields():
    classes = _project_form_classes()
    modules = {cls.__module__.split(".")[0] for cls in classes}
    assert {"mshtgov", "governance", "strategy", "partnerships", "learning"} <= modules
    unscreened = []
    reasons = []
    text_fields = 0
    for cls in classes:
        exempt = getattr(cls, "personal_data_exempt_reason", "")
        if exempt:
            reasons.append(exempt)
        for name, _field, policy in screened_fields(cls):
            text_fields += 1
            if exempt:
                continue
            if not issubclass(cls, GovukFormMixin):
                unscreened.append(f"{cls.__module__}.{cls.__qualname__}.{name}: not a GovukFormMixin form")
            elif policy is not None:
                assert isinstance(policy, FieldPolicy) and policy.reason.strip(), f"{cls.__qualname__}.{name}"
                reasons.append(policy.reason)
    assert text_fields >= 60, text_fields
    assert not unscreened, "Forms whose free text is not screened:\n" + "\n".join(unscreened)
    assert all(len(r) > 20 for r in reasons)


def test_screen_runs_in_full_clean_of_every_govuk_form():
    """A form that overrides full_clean without calling super() would skip the screen: none does."""
    for cls in _project_form_classes():
        if issubclass(cls, GovukFormMixin) and "full_clean" in vars(cls):
            pytest.fail(f"{cls.__qualname__} overrides full_clean; keep the screen in it")


def test_policies_name_known_kinds():
    from mshtgov.personal_data.screening import allowing, not_screened

    assert not_screened("A sign-in name, never stored.").allow == ALL_KINDS
    with pytest.raises(ValueError):
        allowing("passport", reason="No such kind")
    with pytest.raises(ValueError):
        not_screened(" ")
