"""A worker killed while rendering (kill -9, as the OOM killer would): the job is redelivered (late
acknowledgement, reject on worker lost) and the pack completes on the second attempt.

Runs a real prefork worker in a subprocess against Redis and a file database, so it needs Redis
(CI sets REQUIRE_WORKER_TESTS, so a skip fails there)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.celery_support import BROKER

ROOT = Path(__file__).resolve().parents[2]
# A database of its own on the same Redis, so this worker never takes the in-process tests' messages.
KILL_BROKER = BROKER.rsplit("/", 1)[0] + "/14" if urlparse(BROKER).path not in ("", "/") else BROKER + "/14"

SETUP = """
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from governance.models import Action, Board, Meeting
from governance.services.packs import board_pack_request
secretary = get_user_model().objects.create_user("secretary", "secretary@force.invalid", "x" * 20)
board = Board.objects.create(name="Killed worker board", kind="tactical", secretary=secretary)
meeting = Meeting.objects.create(board=board, starts_at=timezone.now() + timedelta(days=7))
today = timezone.localdate()
Action.objects.bulk_create([
    Action(title=f"Long action number {i} to make the pack take a while to lay out", owner=secretary,
           board=board, due_date=today + timedelta(days=i % 90 - 30))
    for i in range(1500)
])
pack, _ = board_pack_request(meeting=meeting, by=secretary, sections=["actions"])
print("PACK", pack.pk)
"""


def _state(db_path, pack_id):
    with sqlite3.connect(db_path, timeout=5) as conn:
        return conn.execute(
            "SELECT status, attempts, failure_reason FROM governance_boardpack WHERE id = ?", (pack_id,)
        ).fetchone()


def _children(pid) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


@pytest.mark.worker
def test_killed_worker_redelivers_and_the_pack_completes(redis_required, tmp_path):
    db_path = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mshtgov.settings",
        "SECRET_KEY": "worker-test-" + "k" * 50,
        "HTTPS_ONLY": "false",
        "DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{db_path}",
        "CELERY_BROKER_URL": KILL_BROKER,
        "PRIVATE_STORAGE_ROOT": str(tmp_path / "private"),
        "LOG_LEVEL": "WARNING",
    }
    python = sys.executable
    subprocess.run(
        [python, "-m", "celery", "-A", "mshtgov", "purge", "-f", "-Q", "celery,pdf"],
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    subprocess.run([python, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run(
        [python, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    pack_id = int(out.split("PACK")[-1].split()[0])
    assert _state(db_path, pack_id)[:2] == ("queued", 0)

    worker = subprocess.Popen(
        [
            python,
            "-m",
            "celery",
            "-A",
            "mshtgov",
            "worker",
            "-Q",
            "celery,pdf",
            "--pool=prefork",
            "-c",
            "1",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        killed = False
        while time.monotonic() < deadline and not killed:
            status, attempts, _ = _state(db_path, pack_id)
            if status == "rendering" and attempts == 1:
                for child in _children(worker.pid):
                    os.kill(child, signal.SIGKILL)
                    killed = True
            time.sleep(0.05)
        assert killed, f"the pack never started rendering: {_state(db_path, pack_id)}"

        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            status, attempts, reason = _state(db_path, pack_id)
            if status in ("ready", "failed"):
                break
            time.sleep(0.5)
        assert (status, attempts) == ("ready", 2), reason
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
