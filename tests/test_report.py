"""The report: `digitgan run` renders it at the end, `digitgan report` re-renders it, and a real headless Chromium
opens every page: the headline table is there, every image loaded, no console errors."""
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import TINY_GRID, chrome, open_page, run_cli

pytestmark = pytest.mark.slow  # trains generators, runs grids or drives a browser

PAGES = ['index', 'accuracy', 'budgets', 'unlabelled', 'domain', 'curves', 'confusion', 'synthetic', 'cost']


@pytest.fixture(scope='module')
def tiny_results(tmp_path_factory):
    """`digitgan run` of the tiny grid with two seeds, as `scripts/main.sh` runs it (two jobs, `--out` relative to the
    working directory), shared by the tests that read a finished results folder: (folder, the run's
    CompletedProcess)."""
    d = tmp_path_factory.mktemp('tiny')
    (d / 'grid.yml').write_text(yaml.safe_dump({**TINY_GRID, 'seeds': [0, 1]}))
    r = run_cli('run', '--profile', 'grid.yml', '--out', 'out', '--jobs', '2', '--quiet', cwd=d)
    assert r.returncode == 0, r.stderr[-3000:]
    return d / 'out', r


def test_jobs_with_a_relative_out_folder(tiny_results):
    "Two processes at once; `--out` relative to the working directory, as `scripts/main.sh` passes it."
    out, r = tiny_results  # none + cyclegan, two seeds: the scenarios must find the shared synth file too
    statuses = [json.loads(p.read_text()) for p in sorted((out / 'runs').glob('*/status.json'))]
    assert [s['status'] for s in statuses] == ['ok'] * 4 and all(s['params']['threads'] == 1 for s in statuses)
    assert all((p.parent / 'metrics.json').exists() for p in (out / 'runs').glob('*/status.json'))
    assert pd.read_csv(out / 'results.csv')['test_accuracy'].notna().all()
    assert (out / 'report' / 'index.html').exists()
    # the kernels' start-up messages go to each scenario's kernel.log, not to the user's terminal
    assert 'IPKernelApp' not in r.stderr and 'absl::InitializeLog' not in r.stderr, r.stderr[-2000:]
    assert all((p.parent / 'kernel.log').exists() for p in (out / 'runs').glob('*/status.json'))


@pytest.fixture(scope='module')
def results(tiny_results):
    out, r = tiny_results
    assert 'report (fallback (papermill + nbconvert)): ' in r.stdout
    return out, r.stdout


def test_run_prints_headline_and_renders(results):
    out, stdout = results
    assert 'test accuracy (95% CI)' in stdout and 'cyclegan' in stdout
    assert sorted(p.name for p in (out / 'report').glob('*.html')) == sorted(f'{p}.html' for p in PAGES)


def test_pages_show_tables_through_show_table():
    """Every table of every page goes through `report.show_table` (escaped, a dash for a missing value), and no page
    writes HTML itself."""
    import nbformat
    from digitgan.report import report_dir
    code = {page: '\n'.join(c.source for c in nbformat.read(report_dir() / f'{page}.ipynb', as_version=4).cells
                             if c.cell_type == 'code') for page in PAGES}
    assert not [page for page, src in code.items() if '.to_html(' in src or 'HTML(' in src or 'table_html(' in src]
    assert sum(src.count('report.show_table(') for src in code.values()) == 20


def test_report_command(results, tmp_path):
    out, _ = results
    r = run_cli('report', out, '--out', tmp_path / 'site', '--renderer', 'fallback', '--quiet')
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == f'report (fallback (papermill + nbconvert)): {tmp_path / "site" / "index.html"}'
    r = run_cli('report', tmp_path, '--out', tmp_path / 'x')
    assert r.returncode == 2 and 'not a results folder' in r.stderr and r.stderr.count('\n') == 1


def visit(browser, report: Path):
    "Open each page of `report` in `browser` in turn; yields the page's name."
    for page in PAGES:
        open_page(browser, report / f'{page}.html')
        yield page


def test_report_in_a_real_browser(results):
    out, _ = results
    browser = chrome()
    try:
        for page in visit(browser, out / 'report'):
            assert browser.execute_script('return document.readyState') == 'complete'
            nav = browser.execute_script(
                "return [...document.querySelectorAll('nav.dg-nav a')].map(a => a.textContent)"
            )
            assert len(nav) == len(PAGES), page
            broken = browser.execute_script(
                "return [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).length")
            images = browser.execute_script('return document.images.length')
            assert broken == 0, f'{page}: {broken} of {images} images did not load'
            if page == 'budgets':  # this grid has one training-set size: the page says so instead of drawing a curve
                assert 'one training-set size' in browser.find_element('tag name', 'body').text, page
            elif page == 'unlabelled':  # no arm of this grid learns from the pool: the page says so
                assert 'No arm of this grid learns from unlabelled digits' in browser.find_element('tag name',
                                                                                                  'body').text
            elif page == 'domain':  # no run of this grid has a target: the page says so
                assert 'No run of this grid has a target' in browser.find_element('tag name', 'body').text
            elif page != 'index': assert images >= 1, f'{page} shows no figure'
            errors = [e for e in browser.get_log('browser') if e['level'] == 'SEVERE']
            assert not errors, f'{page}: console errors {errors}'
            assert (
                'Traceback' not in browser.page_source
                and 'Error' not in browser.find_element('tag name', 'body').text[:2000]
            )
        browser.get((out / 'report' / 'index.html').as_uri())
        rows = browser.execute_script("return document.querySelectorAll('#headline tbody tr').length")
        assert rows == 2  # none and cyclegan, over two seeds
        headers = browser.execute_script(
            "return [...document.querySelectorAll('#headline th')].map(t => t.textContent)"
        )
        assert 'test accuracy %' in headers and 'vs none' in headers
        browser.save_screenshot(str(out / 'report' / 'screenshot.png'))
    finally:
        browser.quit()


PAYLOADS = ['<img src=x onerror=alert(document.domain)>', '<svg onload=alert(1)>', '[link](javascript:alert(2))',
            '<script>alert(3)</script>']


@pytest.fixture(scope='module')
def hostile(results, tmp_path_factory):
    "A copy of the results folder with attacker-chosen values everywhere the report reads text from, rendered."
    import html
    import pandas as pd
    out, _ = results
    evil = tmp_path_factory.mktemp('hostile') / 'results'
    shutil.copytree(out, evil, ignore=shutil.ignore_patterns('report'))
    table = pd.read_csv(evil / 'results.csv')
    table['id'] = [PAYLOADS[0] + str(i) for i in range(len(table))]
    table.loc[0, 'model'] = PAYLOADS[2]
    table.to_csv(evil / 'results.csv', index=False)
    grid = yaml.safe_load((evil / 'grid.yml').read_text()); grid['description'] = PAYLOADS[1] + PAYLOADS[3]
    (evil / 'grid.yml').write_text(yaml.safe_dump(grid))
    (evil / 'cyclegan' / 'thickness-f1').rename(evil / 'cyclegan' / PAYLOADS[0])
    r = run_cli('report', evil, '--renderer', 'fallback', '--quiet')
    assert r.returncode == 0, r.stderr[-2000:]
    pages = {page: (evil / 'report' / f'{page}.html').read_text() for page in PAGES}
    assert html.escape(PAYLOADS[1]) in pages['index'] and html.escape(PAYLOADS[0]) in pages['synthetic']
    return evil, pages


def test_report_shows_hostile_values_as_text(hostile):
    _, pages = hostile
    for page, text in pages.items():
        for payload in PAYLOADS[:2] + PAYLOADS[3:]:
            assert payload not in text, (page, payload)
        assert 'href="javascript:' not in text, page


def test_hostile_report_in_a_real_browser(hostile):
    from selenium.common.exceptions import NoAlertPresentException
    evil, _ = hostile
    browser = chrome()
    try:
        for page in visit(browser, evil / 'report'):
            injected = browser.execute_script(
                "return document.querySelectorAll('img[src=\"x\"], svg[onload], a[href^=\"javascript\"]').length")
            assert injected == 0, page
            with pytest.raises(NoAlertPresentException): browser.switch_to.alert.text
    finally:
        browser.quit()


def test_committed_report_example_is_current(tiny_results, tmp_path):
    "The chapters' example results (nbs/data/report_example, scripts/make_report_example.py) are what a run writes now."
    import pandas as pd
    from digitgan.publish import publish
    out, _ = tiny_results
    publish(out, tmp_path / 'bundle', render=False, log=lambda m: None)
    example = Path(__file__).parent.parent / 'nbs' / 'data' / 'report_example'
    def files(run): return sorted(p.relative_to(run).as_posix() for p in run.rglob('*') if p.is_file()
                                  and 'external' not in p.parts)
    assert files(example / 'runs' / 'cnn-none-n100-s0') == files(tmp_path / 'bundle' / 'runs' / 'cnn-none-f1-s0')
    fresh, kept = (set(pd.read_csv(d / 'results.csv').columns) for d in (tmp_path / 'bundle', example))
    differ = fresh ^ kept
    assert all(c.startswith('external_') for c in differ), f'rerun scripts/make_report_example.py: {sorted(differ)}'
