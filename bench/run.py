"""Run every benchmark in bench/ (each bench_*.py has a main()), then print one table of every figure with
its target and whether it was met (`bench.common.print_table`).

    python bench/run.py                  # all of them
    python bench/run.py bench_core bench_load
"""

import importlib
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import print_table  # noqa: E402


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    failed = []
    started = time.perf_counter()
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        try:
            module = importlib.import_module(f"bench.{name}")
            if module.main() is False:
                failed.append(name)
        except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(f"{name} (failed to run)")
    all_met = print_table()
    print(f"({time.perf_counter() - started:.0f} s)")
    if failed:
        print(f"Targets missed in: {', '.join(failed)}")
    return 0 if all_met and not failed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
