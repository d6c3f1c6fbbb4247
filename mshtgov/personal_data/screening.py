"""The screen every form applies to the free text it takes: personal data is refused at the door.

`mshtgov.forms.GovukFormMixin` calls `screen_form(form)` after the form's own cleaning, so every
CharField (and so every TextField of a model form) of every form in the project is screened without
the form doing anything. A form opts a field out, or lets one kind of finding through, only with a
reason a reviewer can read:

    class SignInForm(GovukFormMixin, AuthenticationForm):
        personal_data_policy = {"username": not_screened("A sign-in name, checked against accounts, never stored.")}

    class OrganisationForm(AuditedModelForm):
        personal_data_policy = {"contacts": allowing("email", "phone", reason="Work contacts of the partner's staff.")}

A whole form that stores nothing (a search) says so with `personal_data_exempt_reason`; its terms
reach the access log only as a salted hash (`mshtgov.audit.loggable_filters`).

Known false positives (a partner's office postcode, a team mailbox) go in the
`PERSONAL_DATA_ALLOW_LIST` setting: a finding whose text matches an entry is let through.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings

from mshtgov.personal_data.detectors import KINDS, Finding, find

ALL_KINDS = frozenset(KINDS)


@dataclass(frozen=True)
class FieldPolicy:
    allow: frozenset[str]
    reason: str

    @property
    def screened(self) -> bool:
        return self.allow != ALL_KINDS


def not_screened(reason: str) -> FieldPolicy:
    """A field whose text is not screened at all (a password, a sign-in name)."""
    if not reason.strip():
        raise ValueError("Say why the field is not screened.")
    return FieldPolicy(ALL_KINDS, reason)


def allowing(*kinds: str, reason: str) -> FieldPolicy:
    """A field that may hold these kinds of finding (e.g. "email", "phone" for partner contacts)."""
    unknown = set(kinds) - ALL_KINDS
    if unknown or not kinds:
        raise ValueError(f"Unknown kinds of personal data: {sorted(unknown)}; choose from {sorted(ALL_KINDS)}")
    if not reason.strip():
        raise ValueError("Say why the field may hold this personal data.")
    return FieldPolicy(frozenset(kinds), reason)


def _normalise(text: str) -> str:
    return "".join(text.split()).casefold()


def _allow_list() -> frozenset[str]:
    return frozenset(_normalise(entry) for entry in getattr(settings, "PERSONAL_DATA_ALLOW_LIST", ()) if entry)


def screen_text(text: str, *, allow: frozenset[str] = frozenset()) -> list[Finding]:
    """What the screen refuses in `text`: the rules' findings less allowed kinds and allow-listed text."""
    if not text or not isinstance(text, str):
        return []
    allowed_text = _allow_list()
    return [f for f in find(text) if f.kind.key not in allow and _normalise(f.text) not in allowed_text]


def message_for(finding: Finding) -> str:
    found = " ".join(finding.text.split())
    if len(found) > 60:
        found = found[:57] + "..."
    return f"This looks like {finding.kind.what} (“{found}”). {finding.kind.instead}"


def field_policy(form, name: str, field) -> FieldPolicy | None:
    """The field's declared policy, or None when it is screened in full."""
    policy = getattr(form, "personal_data_policy", {}).get(name) or getattr(field, "personal_data_policy", None)
    if policy is not None:
        return policy
    widget = getattr(field, "widget", None)
    if getattr(widget, "input_type", "") == "password":
        return not_screened("A password is never shown or stored as typed.")
    return None


def screened_fields(form_or_class):
    """(name, field, policy) for every free-text field of a form (class or instance)."""
    fields = form_or_class.fields if isinstance(form_or_class, forms.BaseForm) else form_or_class.base_fields
    for name, field in fields.items():
        if isinstance(field, forms.CharField):
            yield name, field, field_policy(form_or_class, name, field)


def screen_form(form) -> None:
    """Add an error beside each free-text field holding personal data (one per kind found)."""
    if getattr(form, "personal_data_exempt_reason", ""):
        return
    cleaned = getattr(form, "cleaned_data", None)
    if not cleaned:
        return
    for name, _field, policy in list(screened_fields(form)):
        if policy is not None and not policy.screened:
            continue
        value = cleaned.get(name)
        if not isinstance(value, str) or not value:
            continue
        findings = screen_text(value, allow=policy.allow if policy else frozenset())
        seen = set()
        errors = []
        for finding in findings:
            if finding.kind.key in seen:
                continue
            seen.add(finding.kind.key)
            errors.append(forms.ValidationError(message_for(finding), code=f"personal_data_{finding.kind.key}"))
        if errors:
            form.add_error(name, errors)
