"""What every signed-in request pays: the reference page taken apart, at scale 20.

In one process (Django's test client against the benchmark's database and shared cache, DEBUG off),
the reference page is requested BENCH_PARTS_REQUESTS times (default 300) with a timer around each
middleware (its own time, without the layers inside it) and around the parts that run inside the
view: loading and saving the session, loading the user, roles and permissions, the menu, the page
marking, the other context processors, the template and the view. `/healthz` without a session is
timed the same way, as the floor. Mean wall time per request, in milliseconds.
"""

import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REQUESTS = int(os.environ.get("BENCH_PARTS_REQUESTS", "300"))
spent: dict[str, float] = defaultdict(float)
_depth: dict[str, int] = defaultdict(int)


def _timed(label: str, func):
    """Wrap `func` so its inclusive wall time adds to spent[label] (re-entrant calls counted once)."""

    def wrapper(*args, **kwargs):
        _depth[label] += 1
        t0 = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            _depth[label] -= 1
            if not _depth[label]:
                spent[label] += time.perf_counter() - t0

    wrapper.__wrapped__ = func
    return wrapper


def _patch(owner, name: str, label: str) -> None:
    original = getattr(owner, name, None)
    if original is not None:
        setattr(owner, name, _timed(label, original))


def _timed_middleware(path: str):
    """A middleware class that runs the one at `path` and books its own time (minus the inner layers)."""
    from django.utils.module_loading import import_string

    inner_class = import_string(path)
    label = "middleware: " + path.rsplit(".", 1)[-1]

    class Timed:
        def __init__(self, get_response):
            def inner(request):
                t0 = time.perf_counter()
                try:
                    return get_response(request)
                finally:
                    spent[label] -= time.perf_counter() - t0

            self.inner = inner_class(inner)
            for hook in ("process_view", "process_exception", "process_template_response"):
                if hasattr(self.inner, hook):
                    setattr(self, hook, getattr(self.inner, hook))

        def __call__(self, request):
            t0 = time.perf_counter()
            try:
                return self.inner(request)
            finally:
                spent[label] += time.perf_counter() - t0

    return Timed


def _child() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mshtgov.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import backends
    from django.contrib.sessions.backends import cached_db
    from django.template.response import SimpleTemplateResponse
    from django.test import Client

    import mshtgov.context_processors as processors
    from mshtgov import marking, navigation, roles

    module = sys.modules[__name__]
    paths = []
    for index, path in enumerate(settings.MIDDLEWARE):
        setattr(module, f"Timed{index}", _timed_middleware(path))
        paths.append(f"{__name__}.Timed{index}")
    settings.MIDDLEWARE = paths

    _patch(cached_db.SessionStore, "load", "session: load")
    _patch(cached_db.SessionStore, "save", "session: save (renewal)")
    import django.contrib.auth as auth

    _patch(auth, "get_user", "user: load")
    import mshtgov.authcache as authcache

    _patch(authcache, "get_user", "user: load")
    _patch(backends.ModelBackend, "_get_permissions", "roles and permissions")
    _patch(roles, "load_grants", "roles and permissions")
    if not hasattr(roles, "load_grants"):
        roles.roles_of = _timed("roles and permissions", roles.roles_of)
    navigation.menu_for = _timed("menu (navigation)", navigation.menu_for)
    marking.page_marking = _timed("page marking", marking.page_marking)
    processors.page_marking = marking.page_marking
    processors.navigation = navigation

    for path in settings.TEMPLATES[0]["OPTIONS"]["context_processors"]:
        module_path, name = path.rsplit(".", 1)
        _patch(importlib.import_module(module_path), name, "context processors (eager part)")
    _patch(SimpleTemplateResponse, "render", "template (incl. menu and marking)")

    from django.db.backends.base.base import BaseDatabaseWrapper

    _patch(BaseDatabaseWrapper, "close_if_health_check_failed", "database: connection health check")

    from django.urls import resolve

    view = resolve("/accounts/password/").func
    view.view_class.dispatch = _timed("view (before its template)", view.view_class.dispatch)

    client = Client()
    password = os.environ["DEMO_PASSWORD"]
    assert client.post("/accounts/login/", {"username": "analyst", "password": password}).status_code == 302
    anonymous = Client()
    figures = {}
    for name, who, path in (("healthz", anonymous, "/healthz"), ("reference", client, "/accounts/password/")):
        for _ in range(10):
            who.get(path)
        spent.clear()
        samples = []
        for _ in range(REQUESTS):
            t0 = time.perf_counter()
            assert who.get(path).status_code == 200
            samples.append(time.perf_counter() - t0)
        parts = {label: seconds / REQUESTS * 1000 for label, seconds in spent.items()}
        figures[name] = {"median_ms": statistics.median(samples) * 1000, "parts": parts}
    print(json.dumps(figures))


def measure(env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child"],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def print_parts(figures: dict) -> None:
    reference, healthz = figures["reference"], figures["healthz"]
    parts = dict(reference["parts"])
    # The template's time includes the menu and the marking (drawn lazily inside it): show them apart.
    template = "template (incl. menu and marking)"
    if template in parts:
        parts["template (the rest)"] = (
            parts.pop(template) - parts.get("menu (navigation)", 0) - parts.get("page marking", 0)
        )
    print(
        f"\nreference page (password form), median {reference['median_ms']:.2f} ms in-process; "
        f"/healthz {healthz['median_ms']:.2f} ms; mean ms per request by part:"
    )
    for label, ms in sorted(parts.items(), key=lambda item: -item[1]):
        if abs(ms) >= 0.005:
            print(f"  {label:<52}{ms:>7.2f}")


def main() -> bool:
    from bench.common import _env, record, seeded_database

    url = os.environ.get("BENCH_DATABASE_URL") or seeded_database(20)
    env = _env(url, cache_prefix=f"parts{os.getpid()}")
    env["ALLOWED_HOSTS"] = "testserver"
    figures = measure(env)
    print_parts(figures)
    ratio = figures["reference"]["median_ms"] / figures["healthz"]["median_ms"]
    record(
        "request",
        "reference page in-process / healthz",
        median_ms=figures["reference"]["median_ms"],
        ratio=ratio,
        note="breakdown printed above; no target (see core)",
    )
    return True


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
    else:
        main()
