"""Every governance record keeps its history (who, when, what, why)."""

from django.apps import apps

DOMAIN_APPS = {"mshtgov", "strategy", "governance", "partnerships", "learning"}


def _domain_models():
    for model in apps.get_models():
        if model._meta.app_label not in DOMAIN_APPS or model.__name__.startswith("Historical"):
            continue
        if model.__name__.endswith("ObjectPermission"):
            continue  # guardian grant rows: changed only through membership, which is itself tracked
        yield model


def test_every_domain_model_keeps_history_or_says_why_not():
    untracked = [
        model._meta.label
        for model in _domain_models()
        if not hasattr(model, "history") and not getattr(model, "history_exempt_reason", "")
    ]
    assert not untracked, f"Models without simple-history and no history_exempt_reason: {untracked}"
