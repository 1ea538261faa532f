"""Start the app on the demo store and write a PNG of every page (1600×900, a meeting projector) to a folder.

Usage: python scripts/screenshots.py [OUT_DIR] — uses Debian's chromium (/usr/bin/chromium).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser_util import CHROMIUM_ARGS, CHROMIUM_PATH, running_app, wait_for_page, warm_up  # noqa: E402

PAGES = [
    ("oversikt", "kommun=1287"),
    ("1-stod-och-relationer-genom-livet", "kommun=1287"),
    ("2-utbildning-och-sysselsattning", "kommun=1287&kon=K"),
    ("6-ett-tryggt-sodertalje", "kommun=0181&ind=ENK_TRYGG_OMRADE"),
    ("1-folkhalsa", "kommun=0483"),
    ("trygghet", "kommun=0181"),
    ("riskfaktorer", "kommun=0483"),
    ("jamfor", "kommun=1287&jmf=G176425"),
    ("data", "kommun=1287"),
]


def main(out: Path, tall: bool = False) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with running_app() as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        warm_up(page, base)
        for path, query in PAGES:
            page.goto(f"{base}/{'' if path == 'oversikt' else path}?{query}")
            wait_for_page(page)
            target = out / f"{path}.png"
            page.screenshot(path=str(target), full_page=False)
            print(target)
        # Presentation mode as a 1920×1080 projector shows it.
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.goto(f"{base}/?kommun=0181&visning=presentation&bild=5")
        wait_for_page(page)
        page.screenshot(path=str(out / "presentation.png"))
        print(out / "presentation.png")
        page.set_viewport_size({"width": 1600, "height": 900})
        if tall:
            page.set_viewport_size({"width": 1600, "height": 4200})
            for path, query in PAGES:
                page.goto(f"{base}/{'' if path == 'oversikt' else path}?{query}")
                wait_for_page(page)
                page.screenshot(path=str(out / f"{path}_tall.png"))
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"), tall="--tall" in sys.argv)
