"""How soon the dashboard is interactive in headless Chromium: navigation start to the script's `data-ready`.

The page's script records `performance.now()` when it has drawn the first
view and wired every control (`document.body.dataset.readyMs`); each run is a
fresh page of one browser, from file://.
"""

from __future__ import annotations

from pathlib import Path

from landing_zone.dashboard.browser import chromium


def ready_seconds(index: Path, runs: int = 3) -> list[float]:
    out = []
    with chromium() as browser:
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(index.resolve().as_uri(), timeout=60_000)
            page.wait_for_selector("body[data-ready=true]", timeout=60_000)
            out.append(float(page.evaluate("document.body.dataset.readyMs")) / 1000)
            page.close()
    return out
