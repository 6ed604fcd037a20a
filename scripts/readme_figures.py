"""The README's pictures, made from what is committed: the key figure (test accuracy against the label budget per
augmentation, from published/lowdata) and screenshots of the docs site's home page and one chapter.

    # writes nbs/images/lowdata_budgets.png, site_home.png, site_chapter.png
    .venv/bin/python scripts/readme_figures.py
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
    from test_report import _chrome, open_page
    key_figure(ROOT / 'published' / 'lowdata', IMAGES / 'lowdata_budgets.png')
    site = Path(tempfile.mkdtemp()) / 'site'
    try:
        build_site(site, ROOT, log=lambda m: None)
        browser = _chrome()
        try:
            browser.set_window_size(1280, 900)
            for page, png in (('index.html', 'site_home.png'), ('nbs/11_cyclegan.html', 'site_chapter.png')):
                open_page(browser, site / page)
                if page != 'index.html':  # the chapter at its last figure: a published CycleGAN's sample sheet
                    browser.execute_script("[...document.querySelectorAll('.jp-OutputArea-output "
                                           "img')].pop()?.scrollIntoView()")
                browser.save_screenshot(str(IMAGES / png))
        finally:
            browser.quit()
    finally:
        shutil.rmtree(site.parent, ignore_errors=True)
    for png in ('lowdata_budgets.png', 'site_home.png', 'site_chapter.png'): print(IMAGES / png)
    return 0


if __name__ == '__main__':
    sys.exit(main())
