"""Conventions of the house that a reader cannot see broken from one file (docs/CONVENTIONS.md)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("mshtgov", "governance", "strategy", "partnerships", "learning", "operations")


def _files(pattern):
    found = [p for app in APPS for p in (ROOT / app).rglob(pattern) if "migrations" not in p.parts]
    assert found, f"no {pattern} files found under {APPS}"
    return found


def test_no_template_decides_what_is_overdue():
    """Whether a date is past is a model or queryset rule (e.g. `ActionQuerySet.with_overdue`), never a
    comparison with `today` in a template."""
    # Inside a template tag only: "Live today</dt>" is words, "{% if due < today %}" is a rule.
    comparison = re.compile(r"\{%[^%]*(?:[<>]=?\s*today\b|\btoday\s*[<>])[^%]*%\}")
    offending = [
        str(p.relative_to(ROOT)) for p in _files("*.html") + _files("*.txt") if comparison.search(p.read_text())
    ]
    assert offending == []


def test_history_who_and_why_are_set_in_one_place():
    """Services save tracked records through mshtgov.tracking; nobody else sets simple-history's fields."""
    hand_set = re.compile(r"\._history_user\s*=|\._change_reason\s*=")
    allowed = {"mshtgov/tracking.py", "mshtgov/forms.py"}  # the helpers, and AuditedModelForm's own reason
    offending = [
        rel
        for p in _files("*.py")
        if (rel := str(p.relative_to(ROOT))) not in allowed and hand_set.search(p.read_text())
    ]
    assert offending == []
