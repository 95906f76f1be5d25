"""Debian's Chromium, headless, for the dashboard's browser tests and its time-to-interactive benchmark.

`playwright install` cannot download browsers here: both drive the system's
`/usr/bin/chromium` (`apt-get install chromium`) with these flags. playwright
(the test extra) is imported only when a browser is launched, never when
`landing_zone.dashboard` is.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


@contextlib.contextmanager
def chromium(executable: str = CHROMIUM) -> Iterator[Any]:
    """A launched headless Chromium (a playwright Browser), closed when the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=list(FLAGS))
        try:
            yield browser
        finally:
            browser.close()
