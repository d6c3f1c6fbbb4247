"""gunicorn.conf.py, read by gunicorn on every start (Dockerfile, docker-compose, the benchmarks)."""

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_the_access_log_leaves_out_query_strings():
    conf = runpy.run_path(str(CONF))
    assert "%(U)s" in conf["access_log_format"] and "%(r)s" not in conf["access_log_format"]
    assert "%(q)s" not in conf["access_log_format"] and "%(f)s" not in conf["access_log_format"]


def test_a_worker_freezes_what_it_loaded_and_still_collects_what_comes_later():
    conf = runpy.run_path(str(CONF))
    try:
        conf["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
        later = []
        later.append(later)  # a cycle made after the freeze
        del later
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
