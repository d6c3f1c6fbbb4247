"""The signed-in page itself and the dashboard, at scale 20.

- The reference page (the password-change form: layout, menu, marking, session, nothing else) against
  `/healthz` without a session (the floor: a request that reaches Django and the database): <= 2x.
- The dashboard of every role against the reference page: <= 1.5x with its figures cached, and <= 4x
  "cold", right after a change that invalidates every cached figure (one save of each kind of record,
  committed by another process, as a user's edit would be).
- The access log (page 1, page 2, filtered) against the reference page: <= 2.5x.
"""

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as `python bench/<file>.py`

from bench.common import PYTHON, REFERENCE_PATH, REFERENCE_USER, BenchServer, print_report, record  # noqa: E402

ROLES = ("leader", "pcc", "analyst", "coordinator", "secretary", "partner")


# The kinds of record a user edits one at a time, for the "cold after one <kind> change" rows: the realistic
# cold dashboard (one edit rebuilds only the cards that read what changed), beside the all-models row.
ONE_KIND = (
    "strategy.MeasureValue",
    "governance.Action",
    "learning.TrainingRecord",
    "operations.Disruption",
    "learning.Lesson",
    "strategy.Threat",
    "strategy.RequirementAssessment",
    "inspection.Finding",
    "partnerships.SupportService",
)


def _changer_child() -> None:
    """Runs in a child process on the server's database and cache: for each line "change" on stdin, saves
    (signals only: the rows stay as they are) one record of every domain model in one committed
    transaction, then answers "done"; for "change app.Model", one record of that model only. Whatever
    invalidates cached figures on a real save runs here."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mshtgov.settings")
    django.setup()
    from django.apps import apps
    from django.db import transaction
    from django.db.models.signals import post_save

    domain = {"governance", "strategy", "partnerships", "learning", "operations", "inspection", "mshtgov"}
    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label in domain and not m.__name__.startswith("Historical") and not m._meta.auto_created
    ]
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] != "change":
            break
        with transaction.atomic():
            for model in [apps.get_model(words[1])] if len(words) > 1 else models:
                obj = model._default_manager.order_by("pk").first()
                if obj is not None:
                    post_save.send(sender=model, instance=obj, created=False, update_fields=None, raw=False)
        print("done", flush=True)


class Changer:
    """Drives `_changer_child`: `changer()` makes one invalidating change and returns once it committed."""

    def __init__(self, env: dict):
        self.took: dict[str, list[float]] = {}  # seconds per change, by kind ("" for every model)
        self.proc = subprocess.Popen(
            [PYTHON, str(Path(__file__).resolve()), "--changer"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def __call__(self, kind: str = "") -> None:
        started = time.perf_counter()
        self.proc.stdin.write(f"change {kind}\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        if answer != "done":
            raise RuntimeError(f"the changer answered {answer!r}")
        self.took.setdefault(kind, []).append(time.perf_counter() - started)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def dashboard_rows(server: BenchServer, roles=ROLES, cold_samples: int = 8) -> tuple[list, dict]:
    rows, targets = [], {}
    for role in roles:
        name = f"dashboard ({role})"
        rows.append((name, server.measure("/", user=role)))
        targets[name] = 1.5
    changer = Changer(server.env)
    try:
        for role in roles:
            name = f"dashboard, cold figures ({role})"
            rows.append((name, server.measure("/", user=role, requests=cold_samples, warmup=1, before_each=changer)))
            targets[name] = 4.0
        for kind in ONE_KIND if "leader" in roles else ():
            name = f"dashboard cold after one {kind.split('.')[1]} change (leader)"
            rows.append(
                (
                    name,
                    server.measure(
                        "/", user="leader", requests=cold_samples, warmup=1, before_each=lambda k=kind: changer(k)
                    ),
                )
            )
            targets[name] = 4.0
    finally:
        changer.close()
    _report_warming(server, changer, rows)
    return rows, targets


def _report_warming(server: BenchServer, changer: Changer, rows: list) -> None:
    """What the cold rows above do not show. After a change commits, a job draws the dashboards of recent readers
    again (mshtgov.dashboard_warming). Tasks run in-process here, so the job runs in the changer before it
    answers, as a worker would finish it. Two figures follow. The job's cost: the change plus the job, in the
    writer's process. A reader who arrives before the job is done: warming off. Both are printed, with no
    target."""
    for kind, took in changer.took.items():
        what = f"one {kind.split('.')[1]}" if kind else "every model"
        record(
            "core",
            f"change of {what} + dashboards warmed (writer)",
            median_ms=statistics.median(took) * 1000,
            note="the change and the warming job, in the changer's process; no target",
        )
    unwarmed = Changer({**server.env, "DASHBOARD_WARMING": "false"})
    try:
        stats = server.measure(
            "/", user="leader", requests=8, warmup=1, before_each=lambda: unwarmed("governance.Action")
        )
    finally:
        unwarmed.close()
    rows.append(("dashboard cold, job not run yet (leader)", stats))


def main() -> bool:
    with BenchServer(scale=20) as server:
        reference = server.measure(REFERENCE_PATH, user=REFERENCE_USER)
        # Interleaved with the reference page like every page, so the ratio is taken sample by sample.
        healthz = server.measure("/healthz", user=None)
        floor = statistics.median(healthz.reference_ms) / healthz.median_ms
        rows, targets = dashboard_rows(server)
        rows += [
            ("access log (leader)", server.measure("/audit/access-log/", user="leader")),
            ("access log, page 2 (leader)", server.measure("/audit/access-log/?page=2", user="leader")),
            ("access log, searches (leader)", server.measure("/audit/access-log/?action=search", user="leader")),
        ]
        targets.update({name: 2.5 for name, _ in rows[-3:]})
        ok = print_report(rows, reference=reference, targets=targets, group="core")
        met = floor <= 2.0
        print(f"\nreference / healthz: {floor:.2f} (target <= 2.00) {'met' if met else 'MISSED'}")
        record(
            "core",
            "reference page / /healthz (no session)",
            user=REFERENCE_USER,
            median_ms=reference.median_ms,
            ratio=floor,
            target="<= 2.00x",
            met=met,
            note=f"healthz {healthz.median_ms:.1f} ms",
        )
        return ok and met


if __name__ == "__main__":
    if "--changer" in sys.argv:
        _changer_child()
    else:
        from bench.common import print_table

        main()
        print_table("bench_core")
