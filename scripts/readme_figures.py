"""The README's pictures, made from what is committed: the key figure (test accuracy against the label budget per
augmentation, from published/lowdata) and screenshots of the docs site's home page and one chapter.

    .venv/bin/python scripts/readme_figures.py     # writes nbs/images/lowdata_budgets.png, site_home.png, site_chapter.png
"""
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / 'nbs' / 'images'
sys.path.insert(0, str(ROOT / 'tests'))


def main() -> int:
    from digitgan.site import build_site, key_figure
    from test_report import _chrome
    from selenium.webdriver.support.ui import WebDriverWait
    key_figure(ROOT / 'published' / 'lowdata', IMAGES / 'lowdata_budgets.png')
    site = Path(tempfile.mkdtemp()) / 'site'
    try:
        build_site(site, ROOT, log=lambda m: None)
        browser = _chrome()
        try:
            browser.set_window_size(1280, 900)
            for page, png in (('index.html', 'site_home.png'), ('nbs/08a_cgan.html', 'site_chapter.png')):
                browser.get((site / page).as_uri())
                WebDriverWait(browser, 60).until(lambda b: b.execute_script('return document.readyState') == 'complete')
                if page != 'index.html':  # a chapter where it shows an output
                    browser.execute_script("document.querySelector('.jp-OutputArea-output img')?.scrollIntoView()")
                browser.save_screenshot(str(IMAGES / png))
        finally:
            browser.quit()
    finally:
        shutil.rmtree(site.parent, ignore_errors=True)
    for png in ('lowdata_budgets.png', 'site_home.png', 'site_chapter.png'): print(IMAGES / png)
    return 0


if __name__ == '__main__':
    sys.exit(main())
