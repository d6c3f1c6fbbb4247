"""The dashboard as the senior leader and the PCC liaison see it, at 1366x768: full-page PNGs to look at,
and how many screens tall each page is (issue 13: about three; the browser test fails above 3.5).

Serve a seeded demo database first, then point this at it:

    DATABASE_URL=sqlite:////tmp/dash.sqlite3 DEBUG=true .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/dash.sqlite3 DEBUG=true DEMO_PASSWORD=P .venv/bin/python manage.py seed_demo
    DATABASE_URL=sqlite:////tmp/dash.sqlite3 DEBUG=true .venv/bin/python manage.py runserver 127.0.0.1:8000 &
    .venv/bin/python bench/dashboard_screens.py http://127.0.0.1:8000 --password P --out /tmp/dash-shots

PNGs go to --out (default bench/results/dashboard-screens): the dashboard of each user, a panel in full,
and the glossary. Exit status 1 when a dashboard is taller than --max-screens (default 3.5).
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PAGES = {
    "leader": ["/", "/dashboard/strategy-measures/", "/glossary/"],
    "pcc": ["/", "/dashboard/strategy-threats/"],
}


def main(argv=None) -> bool:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", help="the served demo, e.g. http://127.0.0.1:8000")
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "dashboard-screens"))
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=768)
    parser.add_argument("--max-screens", type=float, default=3.5)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    base = args.base.rstrip("/")
    ok = True
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for user, paths in PAGES.items():
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.goto(base + "/accounts/login/")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", args.password)
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_load_state()
            for path in paths:
                page.goto(base + path)
                page.wait_for_load_state()
                name = f"{user}-{path.strip('/').replace('/', '_') or 'dashboard'}.png"
                page.screenshot(path=str(out / name), full_page=True)
                screens = page.evaluate("document.documentElement.scrollHeight") / args.height
                too_tall = path == "/" and screens > args.max_screens
                ok = ok and not too_tall
                print(f"{out / name}  {screens:.1f} screens{'  TOO TALL' if too_tall else ''}")
            page.close()
        browser.close()
    return ok


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
