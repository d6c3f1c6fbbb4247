"""No 500 from input: random, oversized, unicode, NUL and out-of-range input to every form and filter.

The pages come from the URL conf, not a list: every named URL (its arguments from the role matrix row
that `tests/test_role_matrix.py` requires for it) is opened as every role, every form found on the page
(filters are GET forms) is submitted with mutated values, and every URL the matrix knows only as a POST
is posted to. A page added tomorrow is fuzzed tomorrow. Random but seeded (FUZZ_SEED), each request in a
rolled-back savepoint, and bounded: a few submissions per form and role.
"""

import os
import random
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import resolve, reverse

from mshtgov.middleware import has_control_characters
from tests.matrix import ALL_ROLES
from tests.test_role_matrix import NOT_IN_MATRIX_PREFIXES, ROWS, _named_patterns

SEED = int(os.environ.get("FUZZ_SEED", "20261201"))
SUBMISSIONS_PER_FORM = 1
# Not fuzzed, and why: signing out ends the session the rest of the run needs.
SKIP_URL_NAMES = {"logout"}


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, date, number, file, hidden, ...
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class FoundForm:
    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)


class _FormParser(HTMLParser):
    """The forms on a page: method, action, and each field with its current value and choices."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[FoundForm] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = FoundForm((a.get("method") or "get").lower(), a.get("action") or "")
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif self._form is None or "name" not in a or "disabled" in a:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                return
            found = self._form.fields.setdefault(a["name"], Field(a["name"], kind))
            if kind in {"checkbox", "radio"}:
                found.options.append(a.get("value", "on"))
                if "checked" in a:
                    found.value = a.get("value", "on")
            else:
                found.value = a.get("value", "")
        elif tag == "select":
            self._select = self._form.fields.setdefault(a["name"], Field(a["name"], "select"))
        elif tag == "textarea":
            self._textarea = self._form.fields.setdefault(a["name"], Field(a["name"], "textarea"))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def forms_on(html: str) -> list[FoundForm]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


# What a tester would type. Each mutation replaces one field's value.
UNICODE = ["Ｚａｌｅｗｓｋｉ", "ملف", "𝕳𝖊𝖑𝖑𝖔 👩‍⚖️", "e\u0301\u0301\u0301", "\u202eevil", "\u200b", "Ω≈ç√∫", "\ufeff"]
EDGE = ["", " ", "-1", "0", "9" * 40, "1e309", "NaN", "-Infinity", "0x1F", "1.5", "'; DROP TABLE x; --", "%s%n"]
DATES = ["9999-12-31", "0001-01-01", "1899-12-31", "2026-02-30", "31/12/9999", "2026-13-01", "10000-01-01"]
CONTROL = ["\x00", "a\x00b", "\x1b[31m", "\x07", "x\x7f"]


def mutated_value(rng: random.Random, found: Field) -> str | list[str]:
    kind = rng.choice(["random", "oversized", "unicode", "edge", "dates", "control", "option"])
    if kind == "random":
        return "".join(chr(rng.randint(32, 0x2FFF)) for _ in range(rng.randint(1, 40)))
    if kind == "oversized":
        return rng.choice(["A", "é", "字", "1"]) * rng.choice([501, 5_001, 60_000])
    if kind == "unicode":
        return rng.choice(UNICODE)
    if kind == "edge":
        return rng.choice(EDGE)
    if kind == "dates":
        return rng.choice(DATES)
    if kind == "control":
        return rng.choice(CONTROL)
    # An unknown or repeated choice, an id of a record that does not exist or that another role owns.
    if found.options:
        return rng.choice([found.options * 2, ["999999999"], ["-5"], [rng.choice(found.options) + "x"]])
    return str(rng.randint(-(10**12), 10**12))


def payloads(rng: random.Random, form: FoundForm, n: int):
    """The form as rendered (its own values: often valid, so the weird field gets past the rest), with a
    random third of its fields replaced; and once with every date and number at its extreme."""
    base = {f.name: f.value for f in form.fields.values() if f.kind != "file" and (f.value or f.kind != "checkbox")}
    editable = [f for f in form.fields.values() if f.kind != "file" and f.name != "csrfmiddlewaretoken"]
    for _ in range(n):
        data = dict(base)
        for found in rng.sample(editable, k=max(1, len(editable) // 3)) if editable else []:
            data[found.name] = mutated_value(rng, found)
        if rng.random() < 0.3:
            data["unexpected_" + rng.choice(UNICODE + ["x"])] = rng.choice(EDGE)
        yield data
    extreme = dict(base)
    for found in editable:
        if found.kind in {"date", "datetime-local"}:
            extreme[found.name] = "9999-12-31" if found.kind == "date" else "9999-12-31T23:59"
        elif found.name.endswith(("-day", "-month", "-year", "-time")):  # a GOV.UK date input's boxes
            extreme[found.name] = {"day": "31", "month": "12", "year": "9999", "time": "23:59"}[
                found.name.rsplit("-")[-1]
            ]
        elif found.kind == "number":
            extreme[found.name] = "9" * 30
    yield extreme


def _expects_refusal(data: dict) -> bool:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return has_control_characters(query)


def _targets() -> list[tuple[object, list[tuple[str, object]]]]:
    """Every named URL with the role-matrix row(s) that give its arguments and POST data, grouped by the
    matrix module whose `build(world)` makes the records those rows name."""
    by_name: dict[str, list] = {}
    for module, row in ROWS:
        by_name.setdefault(row.url_name, []).append((module, row))
    by_module: dict[int, tuple[object, list]] = {}
    for name in sorted(set(_named_patterns())):
        if name.startswith(NOT_IN_MATRIX_PREFIXES) or name in SKIP_URL_NAMES:
            continue
        for module, row in by_name[name]:  # KeyError: the role matrix test names the URL that has no row
            by_module.setdefault(id(module), (module, []))[1].append((name, row))
    return list(by_module.values())


def _module_world(users, module):
    """What the role matrix gives a module's rows: the users and what its `build(world)` adds."""
    world = SimpleNamespace(users=users)
    if hasattr(module, "build"):
        module.build(world)
    return world


def _submit(client, method, url, data):
    with transaction.atomic():
        try:
            response = client.post(url, data) if method == "post" else client.get(url, data)
        finally:
            transaction.set_rollback(True)
    return response


def _short(data) -> str:
    return repr({k: (v[:40] + f"…({len(v)})" if isinstance(v, str) and len(v) > 40 else v) for k, v in data.items()})


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_input_gives_a_500(role, users):
    rng = random.Random(f"{SEED}-{role}")
    client = Client(raise_request_exception=False)
    client.force_login(users[role])
    failures, forms_fuzzed, started = [], 0, time.monotonic()
    fuzzed = set()  # a form on many pages (signing out, the session timeout) is fuzzed once

    def check(method, url, data):
        response = _submit(client, method, url, data)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {method.upper()} {url} {_short(data)}")
        elif _expects_refusal(data) and response.status_code != 400:
            failures.append(f"control characters not refused ({response.status_code}): {method.upper()} {url}")
        return response

    for module, rows in _targets():
        # Each module's records in a savepoint of their own, as the role matrix builds them one module at a time.
        with transaction.atomic():
            world = _module_world(users, module)
            for name, row in rows:
                url = reverse(name, kwargs=row.kwargs(world) if row.kwargs else None)
                if row.method == "post":
                    # A POST-only endpoint (a button): its own data, then mutated.
                    data = row.data(world) if row.data else {}
                    fake = FoundForm("post", url, {k: Field(k, "text", str(v)) for k, v in data.items()})
                    for payload in payloads(rng, fake, SUBMISSIONS_PER_FORM):
                        check("post", url, payload)
                        forms_fuzzed += 1
                    continue
                if row.expected[role] != 200:
                    continue  # a page this role is refused shows it no form (the role matrix checks the refusal)
                page = _submit(client, "get", url + (f"?{row.query}" if row.query else ""), {})
                if page.status_code >= 500:
                    failures.append(f"{page.status_code} GET {url}")
                if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
                    continue
                if row.query:  # parameters the page reads without a form (?since=, ?page=)
                    params = QueryDict(row.query)
                    fake = FoundForm("get", url, {k: Field(k, "text", params[k]) for k in params})
                    for payload in payloads(rng, fake, SUBMISSIONS_PER_FORM):
                        check("get", url, payload)
                for form in forms_on(page.content.decode()):
                    action = form.action or url
                    if urlsplit(action).netloc or not action.startswith("/"):
                        continue
                    action_path = urlsplit(action).path
                    signature = (form.method, action_path, tuple(sorted(form.fields)))
                    if signature in fuzzed or resolve(action_path).url_name in SKIP_URL_NAMES:
                        continue
                    fuzzed.add(signature)
                    for payload in payloads(rng, form, SUBMISSIONS_PER_FORM):
                        check(form.method, action_path, payload)
                        forms_fuzzed += 1
            transaction.set_rollback(True)
    elapsed = time.monotonic() - started
    print(f"{role}: {forms_fuzzed} submissions in {elapsed:.1f}s")
    assert forms_fuzzed > 20, "the fuzz found almost no forms: is the page discovery broken?"
    assert not failures, f"{len(failures)} bad responses as {role}:\n" + "\n".join(failures[:40])
