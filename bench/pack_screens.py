"""The busiest demo meeting's board pack, with uploaded papers, as a board secretary would receive it:
built through the same service as the background task, timed (pages per second, papers included),
and every page turned into a PNG to look at.

    DATABASE_URL=sqlite:////tmp/pack.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/pack.sqlite3 DEMO_PASSWORD=... .venv/bin/python manage.py seed_demo
    DATABASE_URL=sqlite:////tmp/pack.sqlite3 .venv/bin/python bench/pack_screens.py --out /tmp/pack-shots

PNGs go to --out (default bench/results/pack-screens). Papers: three sample PDFs (1 to 4 pages) are
uploaded to the meeting's agenda items the first time, plus one damaged file, so the pack shows how a
paper that cannot be read is named. `--no-damaged` leaves the damaged one out of a new database;
`--builds N` times N builds after a warm-up.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE_PREFIX = "Sample paper: "
SAMPLES = [
    ("Performance report, quarter 3", 4),
    ("Partnership update", 1),
    ("Training needs analysis", 2),
]


def _sample_pdf(title: str, pages: int) -> bytes:
    """A paper as a partner would send it: its own layout, no marking of ours."""
    from weasyprint import HTML

    body = "".join(
        f'<section style="page-break-before:always"><h1>{title}</h1><p>Page {n} of the paper as written by its '
        "author. " + "The figures for the quarter are set out below with commentary. " * 30 + "</p></section>"
        for n in range(1, pages + 1)
    )
    html = f'<!DOCTYPE html><html lang="en-GB"><head><title>{title}</title></head><body>{body}</body></html>'
    return HTML(string=html).write_pdf()


def _add_papers(meeting, by, damaged: bool) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from governance.models import Paper
    from governance.services.papers import paper_upload

    if Paper.objects.filter(meeting=meeting, title__startswith=SAMPLE_PREFIX).exists():
        return
    items = list(meeting.agenda_items.order_by("position", "id"))
    # Uploaded in reverse agenda order, so a pack that binds them by upload order would show it.
    for index, (title, pages) in reversed(list(enumerate(SAMPLES))):
        item = items[index % len(items)] if items else None
        upload = SimpleUploadedFile("paper.pdf", _sample_pdf(title, pages), content_type="application/pdf")
        paper_upload(meeting=meeting, title=SAMPLE_PREFIX + title, upload=upload, by=by, agenda_item=item)
    if damaged:
        broken = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\nthis scan was cut short", content_type="application/pdf")
        paper_upload(
            meeting=meeting,
            title=SAMPLE_PREFIX + "Scanned letter from the Crown Prosecution Service",
            upload=broken,
            by=by,
            agenda_item=items[-1] if items else None,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "pack-screens"))
    parser.add_argument("--builds", type=int, default=2)
    parser.add_argument("--no-damaged", action="store_true")
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mshtgov.settings")
    import django

    django.setup()
    from django.db.models import Count, Q

    from governance.models import OPEN_STATUSES, BoardPack, Meeting
    from governance.services.packs import board_pack_build

    meeting = (
        Meeting.objects.annotate(
            items=Count("agenda_items", distinct=True),
            board_open=Count("board__actions", filter=Q(board__actions__status__in=OPEN_STATUSES), distinct=True),
        )
        .order_by("-board_open", "-items", "-starts_at")
        .select_related("board__secretary")
        .first()
    )
    secretary = meeting.board.secretary
    _add_papers(meeting, secretary, damaged=not args.no_damaged)

    def build() -> tuple[BoardPack, float]:
        BoardPack.objects.filter(meeting=meeting, status__in=["queued", "rendering"]).update(status="failed")
        pack = BoardPack(meeting=meeting, requested_by=secretary, sections=[])
        pack._history_user = secretary
        pack.save()
        started = time.perf_counter()
        board_pack_build(pack_id=pack.pk)
        elapsed = time.perf_counter() - started
        pack.refresh_from_db()
        assert pack.status == "ready", pack.failure_reason
        return pack, elapsed

    build()  # warm-up: fonts, CSS parser and the panels' cached summaries
    timings = []
    for _ in range(max(1, args.builds)):
        pack, elapsed = build()
        timings.append(elapsed)
    best = min(timings)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("board-pack-*.png"):
        old.unlink()
    target = out / "board-pack.pdf"
    with pack.file.open("rb") as source:
        target.write_bytes(source.read())
    print(f"Meeting: {meeting}")
    print(f"Pages: {pack.pages}; builds {', '.join(f'{t:.2f}' for t in timings)} s; best {best:.2f} s")
    print(f"Pages per second: {pack.pages / best:.1f} (load {os.getloadavg()[0]:.1f})")
    print(f"Warnings: {pack.warnings}")
    screens = Path("/work/shared/tools/screens.py")
    if screens.exists():
        subprocess.run([sys.executable, str(screens), "pdf", str(target), "--out", str(out), "--dpi", str(args.dpi)])
    else:
        subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), str(target), str(out / "board-pack")], check=True)


if __name__ == "__main__":
    main()
