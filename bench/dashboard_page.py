"""How soon the dashboard is interactive in headless Chromium: navigation start to the script's `data-ready`.

The page's script records `performance.now()` when it has drawn the first
view and wired every control (`document.body.dataset.readyMs`); each run is a
fresh page of one browser, from file://.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def ready_seconds(index: Path, runs: int = 3) -> list[float]:
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(index.resolve().as_uri(), timeout=60_000)
                page.wait_for_selector("body[data-ready=true]", timeout=60_000)
                out.append(float(page.evaluate("document.body.dataset.readyMs")) / 1000)
                page.close()
        finally:
            browser.close()
    return out
