"""Shared test helpers: a private copy of the MNIST files that a test may corrupt, the CLI as a user runs it, a tiny
grid and a tiny CycleGAN, and a headless Chromium."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digitgan.data import BUNDLED_DIR, FILES


@pytest.fixture
def mnist_copy(tmp_path):
    "A temp folder holding copies of the four original files."
    for name in FILES.values():
        shutil.copy(BUNDLED_DIR / name, tmp_path / name)
    return tmp_path


def run_cli(*args, env=None, timeout=600, cwd=None):
    "Run the installed `digitgan` console script as a user would (in `cwd`); returns the CompletedProcess."
    exe = Path(sys.executable).with_name('digitgan')
    full_env = {**os.environ, 'TF_CPP_MIN_LOG_LEVEL': '2', **(env or {})}
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, env=full_env, timeout=timeout,
                          cwd=cwd)


def run_main(*args, cwd=None):
    """`digitgan ARGS` called in this process: the same parsing, checks and one-line refusals as `run_cli`, without a
    TensorFlow import per call (about 5 CPU-seconds each). For refusals; what trains runs as a user runs it."""
    import contextlib
    import io
    from digitgan.cli import main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), contextlib.chdir(cwd or os.getcwd()):
        try: code = main([str(a) for a in args])
        except SystemExit as e: code = e.code if isinstance(e.code, int) else 1  # argparse's refusals exit
    return subprocess.CompletedProcess(['digitgan', *map(str, args)], code, out.getvalue(), err.getvalue())


# cnn x {none, cyclegan} on 300 images, 1 epoch, a 10-step CycleGAN: the smallest grid that trains a generator
TINY_GRID = {'description': 'tiny test grid', 'models': ['cnn'], 'augments': ['none', 'cyclegan'], 'seeds': [0],
             'train_fractions': [1.0], 'domains': ['thickness'], 'epochs': 1, 'min_steps': 0, 'batch_size': 64,
             'precision': 'float32', 'synthetic_ratio': 0.5, 'limit': 300,
             'cyclegan': {'steps': 10, 'batch_size': 8, 'gen_filters': 4, 'disc_filters': 4, 'res_blocks': 1,
                          'reference_epochs': 1, 'reference_min_steps': 200, 'sample_every': 10,
                          'checkpoint_every': 5},
             'quality': {'cas_images': 300, 'cas_epochs': 1}}  # a small quality suite: CAS on 300 digits, 1 epoch


# a CycleGAN of tiny networks on 300 digits: seconds a step
TINY_CYCLEGAN = ['--gen-filters', '4', '--disc-filters', '4', '--res-blocks', '1', '--batch-size', '8',
                 '--limit', '300', '--reference-min-steps', '200', '--sample-every', '20', '--quiet']




def chrome():
    "A headless Chromium driven by selenium (skipped where it is not installed, a failure in CI)."
    chromium, driver = shutil.which('chromium'), shutil.which('chromedriver')
    if not (chromium and driver):
        if os.environ.get('CI'):
            pytest.fail('chromium and chromium-driver must be installed in CI (.ci/run installs them)')
        pytest.skip('chromium / chromedriver not installed (apt-get install chromium chromium-driver)')
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in ('--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
                 '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'):
        opts.add_argument(flag)
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    return webdriver.Chrome(service=Service(driver), options=opts)


def open_page(browser, page: Path):
    "Open the HTML file `page` in `browser` and wait (up to 60 s) for its load event."
    from selenium.webdriver.support.ui import WebDriverWait
    browser.get(page.as_uri())
    # `get` may return before the load event on a busy machine (CI saw 'interactive')
    WebDriverWait(browser, 60).until(lambda b: b.execute_script('return document.readyState') == 'complete')


# the test files that take longest (tests/ --durations), started first under `pytest -n 2 --dist loadfile` (each file's
# tests in one worker, so that its module and session fixtures are built once) so that no worker has a long tail
LONGEST_FIRST = ['test_report', 'test_cli_cyclegan', 'test_cli_gan', 'test_dask', 'test_cli_lowdata', 'test_cli_train']


def pytest_collection_modifyitems(items):
    "The longest files first; stable, so each file's tests keep their order."
    items.sort(key=lambda item: LONGEST_FIRST.index(item.module.__name__) if item.module.__name__ in LONGEST_FIRST
               else len(LONGEST_FIRST))


def pytest_configure(config):
    config.addinivalue_line('markers',
                            'slow: trains generators, runs grids or drives a browser; left out by scripts/test.sh '
                            '--fast')
