"""Inspection figures: an evidence bundle of 500 requirements citing 2,000 records, built at scale 20.

The benchmark's seeded database (scale 20) gets, in a copy, a framework of 500 requirements and a
self-assessment of it whose answers cite 2,000 records (lessons, actions, decisions and findings, four an
answer). The bundle is then built in a child process through the same service the Celery task calls
(`bundle_build`), timed, with the child's peak memory (RSS) read from the kernel.

Target (the inspection issue): builds in the background without timing out (well inside the task's soft
time limit) and under 400 MB.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REQUIREMENTS = 500
CITATIONS = 2000
MEMORY_TARGET_MB = 400


def _setup_child() -> None:
    """In the copy of the database: the big framework, its assessment and the citations."""
    import django
    from dateutil.relativedelta import relativedelta

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from governance.models import Action, Decision
    from inspection.models import Finding
    from learning.models import Lesson
    from mshtgov.models import Citation
    from mshtgov.periods import financial_year_start
    from mshtgov.reference import GuidanceTheme
    from strategy.models import Framework, Requirement, RequirementAssessment, RequirementStatus
    from strategy.services import assessment_start

    leader = get_user_model().objects.get(username="leader")
    start = financial_year_start(timezone.localdate())
    framework = Framework.objects.create(name="Bench framework of 500 requirements", source="bench")
    themes = list(GuidanceTheme)
    Requirement.objects.bulk_create(
        Requirement(
            framework=framework,
            reference=f"B-{i:03d}",
            theme=themes[i % len(themes)],
            heading="Bench",
            text=f"Requirement {i}: the force does what the guidance asks and can show it to an inspector.",
            order=i,
        )
        for i in range(REQUIREMENTS)
    )
    assessment = assessment_start(
        framework=framework,
        title="Bench self-assessment",
        period_start=start,
        period_end=start + relativedelta(years=1, days=-1),
        by=leader,
    )
    answers = list(assessment.answers.order_by("requirement__order"))
    for index, answer in enumerate(answers):
        answer.status = (RequirementStatus.MET, RequirementStatus.PARTLY_MET, RequirementStatus.NOT_MET)[index % 3]
        answer.evidence = "Reviewed at the strategic board each quarter; papers and minutes held by the secretary."
    RequirementAssessment.objects.bulk_update(answers, ["status", "evidence"])
    pools = [
        (ContentType.objects.get_for_model(Lesson), list(Lesson.objects.values_list("pk", "title")[:600])),
        (ContentType.objects.get_for_model(Action), list(Action.objects.values_list("pk", "title")[:600])),
        (ContentType.objects.get_for_model(Decision), list(Decision.objects.values_list("pk", "text")[:600])),
        (ContentType.objects.get_for_model(Finding), list(Finding.objects.values_list("pk", "text")[:600])),
    ]
    answer_type = ContentType.objects.get_for_model(RequirementAssessment)
    citations = []
    per_answer = CITATIONS // REQUIREMENTS
    for index, answer in enumerate(answers):
        for slot in range(per_answer):
            content_type, pool = pools[slot % len(pools)]
            pk, label = pool[(index * per_answer + slot) % len(pool)]
            citations.append(
                Citation(
                    citing_type=answer_type,
                    citing_id=answer.pk,
                    cited_type=content_type,
                    cited_id=pk,
                    label=str(label)[:300],
                    cited_by=leader,
                )
            )
    bulk_create_with_history(citations, Citation, default_user=leader, default_change_reason="Bench")
    print(json.dumps({"assessment": assessment.pk, "citations": len(citations)}))


def _build_child(assessment_id: int) -> None:
    """Build the bundle once, as the worker would, and print time, pages, size and peak memory."""
    import resource
    import time

    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from inspection.models import EvidenceBundle
    from inspection.services.bundles import bundle_build

    leader = get_user_model().objects.get(username="leader")
    bundle = EvidenceBundle(assessment_id=assessment_id, requested_by=leader)
    bundle._history_user = leader
    bundle.save()
    started = time.perf_counter()
    bundle = bundle_build(bundle_id=bundle.pk)
    elapsed = time.perf_counter() - started
    assert bundle.status == "ready", bundle.failure_reason
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "pages": bundle.pages,
                "zip_kb": bundle.size / 1024,
                "counts": bundle.counts,
                "load": os.getloadavg()[0],
            }
        )
    )


def _run(args: list[str], env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_inspection", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> bool:
    from bench.common import _env, copy_database, drop_copy, seeded_database

    # A throwaway copy of the seeded database (PostgreSQL or SQLite): the setup writes citations to it.
    copy = copy_database(seeded_database(20), "bundle")
    try:
        with tempfile.TemporaryDirectory() as work:
            env = {
                **_env(copy),
                "PRIVATE_STORAGE_ROOT": str(Path(work) / "private"),
                "DJANGO_SETTINGS_MODULE": "mshtgov.settings",
            }
            made = _run(["--setup-child"], env)
            figures = _run(["--build-child", str(made["assessment"])], env)
    finally:
        drop_copy(copy)
    ok = figures["peak_mb"] <= MEMORY_TARGET_MB
    counts = figures["counts"]
    print(f"\nEvidence bundle at scale 20: {REQUIREMENTS} requirements citing {made['citations']} records")
    hidden = f"withheld {counts['withheld']}, deleted {counts['deleted']}"
    print(f"  linked records in the bundle  {counts['cited']} ({hidden})")
    print(f"  PDF pages                     {figures['pages']}")
    print(f"  ZIP size                      {figures['zip_kb']:.0f} KB")
    print(f"  build time                    {figures['seconds']:.1f} s (in the background; soft time limit 240 s)")
    print(
        f"  peak memory (RSS)             {figures['peak_mb']:.0f} MB   target < {MEMORY_TARGET_MB} MB "
        f"{'met' if ok else 'MISSED'}"
    )
    print(f"  machine load (1 min)          {figures['load']:.1f}")
    return ok


if __name__ == "__main__":
    if "--setup-child" in sys.argv:
        _setup_child()
    elif "--build-child" in sys.argv:
        _build_child(int(sys.argv[sys.argv.index("--build-child") + 1]))
    else:
        main()
