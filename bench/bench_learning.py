"""Learning: importing a 50,000-row training export (seconds, peak memory), and the lessons search and
coverage pages at scale 20 against the reference page, measured in the same run.

Targets: the import under 30 s and 300 MB; the pages within 5x the reference page.
The import runs in its own process (so its peak memory is its own) on a copy of the seeded database, so
it is checked against the existing records as a real import would be.
"""

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    PYTHON,
    ROOT,
    BenchServer,
    _env,
    copy_database,
    drop_copy,
    print_report,
    seeded_database,
)

SCALE = 20
IMPORT_ROWS = 50_000
PRODUCTS = ["msht-general-awareness", "msht-investigator-curriculum", "msht-frontline-elearning"]
GROUPS = ["frontline", "investigator", "pip2-investigator", "specialist", "staff"]
UNITS = [f"Bench unit {n}" for n in range(1, 13)] + ["North neighbourhood policing", "Force control room"]


def generate_csv(rows: int = IMPORT_ROWS) -> bytes:
    rng = random.Random(50_000)
    today = date.today()
    lines = ["staff_number,role_group,unit,product,completed_on"]
    for n in range(rows):
        # Unique (staff, product, date): each member of staff holds up to three products.
        staff, product = f"B{n // 3:06d}", PRODUCTS[n % 3]
        day = today - timedelta(days=rng.randint(1, 1400))
        lines.append(f"{staff},{rng.choice(GROUPS)},{rng.choice(UNITS)},{product},{day.isoformat()}")
    return ("\n".join(lines) + "\n").encode()


def _import_child(csv_path: str) -> None:
    """Runs inside the child process: stage and apply the file, print the figures as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mshtgov.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from learning.models import TrainingRecord
    from learning.services.training_import import training_import_apply, training_import_stage

    user = get_user_model().objects.get(username="analyst")
    raw = Path(csv_path).read_bytes()
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    before = TrainingRecord.objects.count()
    t0, c0 = time.perf_counter(), time.process_time()
    batch = training_import_stage(uploaded=SimpleUploadedFile("bench.csv", raw), by=user)
    t1, c1 = time.perf_counter(), time.process_time()
    training_import_apply(batch=batch, by=user)
    t2, c2 = time.perf_counter(), time.process_time()
    again = training_import_stage(uploaded=SimpleUploadedFile("bench.csv", raw), by=user)
    t3 = time.perf_counter()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "rows": batch.rows_total,
                "errors": batch.error_count,
                "added": TrainingRecord.objects.count() - before,
                "preview_s": t1 - t0,
                "apply_s": t2 - t1,
                "preview_cpu_s": c1 - c0,
                "apply_cpu_s": c2 - c1,
                "reimport_preview_s": t3 - t2,
                "reimport_to_add": again.to_add,
                "baseline_mb": baseline_kb / 1024,
                "peak_mb": peak_kb / 1024,
            }
        )
    )


def measure_import() -> dict:
    # A throwaway copy of the seeded database (PostgreSQL or SQLite): the import writes to it.
    db = copy_database(seeded_database(SCALE), "import")
    try:
        return _measure_import(db)
    finally:
        drop_copy(db)


def _measure_import(db: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "bench.csv"
        csv_path.write_bytes(generate_csv())
        env = _env(db)
        env["PRIVATE_STORAGE_ROOT"] = str(Path(tmp) / "private")
        started = time.perf_counter()
        out = subprocess.run(
            [PYTHON, str(Path(__file__).resolve()), "import-child", str(csv_path)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        figures["process_s"] = time.perf_counter() - started
        figures["file_mb"] = csv_path.stat().st_size / 1048576
        return figures


def main() -> bool:
    figures = measure_import()
    total = figures["preview_s"] + figures["apply_s"]
    import_ok = total < 30 and figures["peak_mb"] < 300 and figures["added"] == IMPORT_ROWS
    print(
        f"\nTraining import: {figures['rows']:,} rows ({figures['file_mb']:.1f} MB), {figures['errors']} errors, "
        f"{figures['added']:,} added\n"
        f"  preview {figures['preview_s']:.1f} s + apply {figures['apply_s']:.1f} s = {total:.1f} s (target < 30 s)\n"
        f"  CPU time (what a busy machine cannot inflate much): preview {figures['preview_cpu_s']:.1f} s + "
        f"apply {figures['apply_cpu_s']:.1f} s, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n"
        f"  peak memory of the importing process {figures['peak_mb']:.0f} MB "
        f"(Django loaded: {figures['baseline_mb']:.0f} MB; target < 300 MB)\n"
        f"  re-import of the same file: preview {figures['reimport_preview_s']:.1f} s, "
        f"{figures['reimport_to_add']} rows to add\n"
        f"  {'met' if import_ok else 'MISSED'}"
    )
    with BenchServer(scale=SCALE) as server:
        reference = server.measure("/accounts/password/", user="analyst")
        rows = [
            ("lessons list (analyst)", server.measure("/learning/lessons/", user="analyst")),
            ("lessons search (analyst)", server.measure("/learning/lessons/?q=interpreter+suspects", user="analyst")),
            (
                "lessons filtered (leader)",
                server.measure("/learning/lessons/?status=learned&source=debrief&pillar=protect", user="leader"),
            ),
            ("lessons search (pcc)", server.measure("/learning/lessons/?q=safeguarding", user="pcc")),
            ("coverage (analyst)", server.measure("/learning/training/coverage/", user="analyst")),
            ("patterns (leader)", server.measure("/learning/patterns/", user="leader")),
        ]
        pages_ok = print_report(
            rows,
            reference=reference,
            targets={
                "lessons search (analyst)": 5.0,
                "lessons filtered (leader)": 5.0,
                "lessons search (pcc)": 5.0,
                "coverage (analyst)": 5.0,
                "lessons list (analyst)": 5.0,
                "patterns (leader)": 5.0,
            },
        )
    return import_ok and pages_ok


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "import-child":
        _import_child(sys.argv[2])
    else:
        main()
