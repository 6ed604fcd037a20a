"""The docs site: `digitgan docs` builds it without Quarto from the README, the notebooks (with their committed
outputs) and the published reports; a real headless Chromium opens every page: loaded, no console errors, every
image decoded, every sidebar link leads to a page of the site, and each published report shows its headline table."""
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest


from conftest import chrome, open_page, run_cli

pytestmark = pytest.mark.slow  # trains generators, runs grids or drives a browser

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp('site') / 'site'
    r = run_cli('docs', '--out', out, '--quiet')
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == f'documentation: {out / "index.html"}'
    return out


def test_site_has_every_chapter_and_report(site):
    chapters = {f'nbs/{p.stem}.html' for p in (ROOT / 'nbs').glob('[0-9][0-9]*_*.ipynb')}
    reports = {p.relative_to(ROOT).as_posix() for p in (ROOT / 'published').glob('*/report/*.html')}
    pages = {p.relative_to(site).as_posix() for p in site.rglob('*.html')}
    assert pages == {'index.html'} | chapters | reports
    assert reports, 'no published report to show'


def test_docs_refuses_a_file_as_its_folder(tmp_path):
    (tmp_path / 'taken').write_text('x')
    r = run_cli('docs', '--out', tmp_path / 'taken', '--quiet')
    assert r.returncode == 2 and r.stderr.count('\n') == 1 and 'taken' in r.stderr, r.stderr
    assert (tmp_path / 'taken').read_text() == 'x'


def test_site_in_a_real_browser(site):
    browser = chrome()
    try:
        for page in sorted(site.rglob('*.html')):
            name = page.relative_to(site).as_posix()
            open_page(browser, page)
            links = browser.execute_script("return [...document.querySelectorAll('nav.dg-side a')].map(a => a.href)")
            assert len(links) >= 2 + len(list((ROOT / 'nbs').glob('[0-9][0-9]*_*.ipynb'))), name
            for link in links:
                target = Path(unquote(urlparse(link).path))
                assert target.is_file() and site in target.parents, f'{name}: sidebar link {link} leads nowhere'
            broken = browser.execute_script(
                "return [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt || "
                "i.src.slice(0, 60))")
            assert not broken, f'{name}: images not decoded: {broken}'
            errors = [e for e in browser.get_log('browser') if e['level'] == 'SEVERE']
            assert not errors, f'{name}: console errors {errors}'
            if name.startswith('published/') and name.endswith('/index.html'):
                rows = browser.execute_script("return document.querySelectorAll('#headline tbody tr').length")
                assert rows >= 1, f'{name}: no headline table'
    finally:
        browser.quit()
