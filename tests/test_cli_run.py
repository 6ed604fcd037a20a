"""`digitgan run` on tiny grids: papermill scenarios, shared CycleGAN, resume after a kill, failures recorded, jobs."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import TINY_GRID, run_cli, run_main

pytestmark = pytest.mark.slow  # trains generators, runs grids or drives a browser



def grid_file(tmp_path, **changes):
    path = tmp_path / 'grid.yml'
    path.write_text(yaml.safe_dump({**TINY_GRID, **changes}))
    return path


def test_run_kill_and_resume(tmp_path):
    "Kill the runner once the first scenario is done; the rerun finishes the rest without redoing it."
    out, grid = tmp_path / 'out', grid_file(tmp_path)
    exe = Path(sys.executable).with_name('digitgan')
    proc = subprocess.Popen([str(exe), 'run', '--profile', str(grid), '--out', str(out), '--quiet'],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            env={**os.environ, 'TF_CPP_MIN_LOG_LEVEL': '2'})
    first = out / 'runs' / 'cnn-none-f1-s0' / 'status.json'
    deadline = time.time() + 400
    while time.time() < deadline and proc.poll() is None and not first.exists():
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL); proc.wait()
    assert first.exists() and json.loads(first.read_text())['status'] == 'ok'
    stamp = first.stat().st_mtime
    r = run_cli('run', '--profile', grid, '--out', out, '--quiet')
    assert r.returncode == 0, r.stderr[-3000:]
    assert first.stat().st_mtime == stamp
    results = pd.read_csv(out / 'results.csv')
    assert results['status'].tolist() == ['ok', 'ok']
    # equal budgets: 5 batches of 64 a round, with or without synthetic digits
    assert results['train_images'].tolist() == [320, 320]
    assert (out / 'runs' / 'cnn-cyclegan-thickness-f1-s0' / 'scenario.ipynb').exists()
    assert (out / 'cyclegan' / 'thickness-f1' / 'quality.json').exists()
    stats = json.loads((out / 'stats.json').read_text())
    assert stats['comparisons'][0]['augment'] == 'cyclegan' and 'verdict' in stats['comparisons'][0]
    assert '2 of 2 scenarios ok' in r.stdout and 'test accuracy' in r.stdout


def test_failing_scenarios_are_recorded(tmp_path):
    # A bad option value no longer reaches a scenario: the grid is refused before anything runs.
    grid = grid_file(tmp_path, augments=['none', 'traditional'], precision='float16')
    r = run_main('run', '--profile', grid, '--out', tmp_path / 'bad', '--quiet')
    assert (
        r.returncode == 2
        and "precision: must be 'float32', 'mixed_bfloat16', 'mixed_float16' or 'auto', got 'float16'" in r.stderr
    )
    assert r.stderr.count('\n') == 1 and not (tmp_path / 'bad' / 'runs').exists()
    # A fault at run time (here: the scenarios' kernels find no MNIST files) is recorded per scenario.
    grid = grid_file(tmp_path, augments=['none', 'traditional'])
    (tmp_path / 'empty').mkdir()
    r = run_cli('run', '--profile', grid, '--out', tmp_path / 'out', '--quiet',
                env={'DIGITGAN_DATA_DIR': str(tmp_path / 'empty')})
    assert r.returncode == 2, r.stderr[-2000:]  # the exit status counts the failed scenarios
    for sid in ('cnn-none-f1-s0', 'cnn-traditional-f1-s0'):
        st = json.loads((tmp_path / 'out' / 'runs' / sid / 'status.json').read_text())
        assert st['status'] == 'failed' and 'DataError' in st['error'] and 'train-images' in st['error']
    assert pd.read_csv(tmp_path / 'out' / 'results.csv')['status'].tolist() == ['failed', 'failed']


def test_dry_run_shows_varying_options(tmp_path):
    grid = grid_file(tmp_path, learning_rate=[0.001, 0.003], schedule=['cosine', 'constant'])
    r = run_cli('run', '--profile', grid, '--dry-run')
    assert r.returncode == 0, r.stderr[-2000:]
    assert 'cnn-cyclegan-thickness-learning_rate0.001-scheduleconstant-f1-s0' in r.stdout
    assert '8 scenarios; generator runs: cyclegan/thickness-f1' in r.stdout
    header = r.stdout.splitlines()[0].split()
    assert header == ['id', 'augment', 'learning_rate', 'schedule', 'synthetic_ratio', 'domains', 'generator']
    assert not (tmp_path / 'out').exists()
    (tmp_path / 'out' / 'runs').mkdir(parents=True)  # a run of the grid begun there, nothing finished yet
    r = run_cli('run', '--profile', grid, '--dry-run', '--out', tmp_path / 'out')
    assert r.stdout.splitlines()[-1] == (f"{tmp_path / 'out'}: 0 of 8 scenarios finished, 1 generator runs to train; "
                                         'no estimate yet'), r.stdout[-500:]


def test_bad_grid(tmp_path):
    r = run_main('run', '--profile', grid_file(tmp_path, models=['vgg']), '--out', tmp_path / 'out')
    assert r.returncode == 2 and "models: unknown 'vgg'" in r.stderr and r.stderr.count('\n') == 1
