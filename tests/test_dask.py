"""`digitgan run --executor dask` against a real LocalCluster: a worker killed mid-scenario costs a retry, nothing
else."""
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

distributed = pytest.importorskip('distributed')


def wait_for(condition, seconds, what):
    deadline = time.time() + seconds
    while not condition():
        assert time.time() < deadline, f'timed out waiting for {what}'
        time.sleep(0.1)


def test_dask_grid_survives_a_killed_worker(tmp_path):
    """Kill the worker running a scenario; the scheduler retries it elsewhere, the grid ends green, a rerun redoes
    nothing."""
    grid, out = tmp_path / 'grid.yml', tmp_path / 'out'
    # cnn x {none, cyclegan}: the cyclegan scenario waits for its generator's task
    grid.write_text(yaml.safe_dump(TINY_GRID))
    victim = out / 'runs' / 'cnn-none-f1-s0'
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        args = ['run', '--profile', grid, '--out', out, '--quiet', '--no-report', '--executor', 'dask', '--scheduler',
                cluster.scheduler_address]
        proc = subprocess.Popen([str(Path(sys.executable).with_name('digitgan')), *map(str, args)],
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env={**os.environ, 'TF_CPP_MIN_LOG_LEVEL': '2'})
        wait_for(lambda: (victim / 'kernel.log').exists(), 300,
                 'the scenario to start')  # its notebook kernel is starting
        holder = next(w for w, keys in client.processing().items() if 'scenario-cnn-none-f1-s0' in keys)
        pid = client.run(os.getpid, workers=[holder])[holder]
        time.sleep(1.0)
        assert not (victim / 'status.json').exists()  # killed mid-scenario, not after it
        os.kill(pid, signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, stderr[-3000:]
        assert '2 of 2 scenarios ok' in stdout
        status = json.loads((victim / 'status.json').read_text())
        assert status['status'] == 'ok'
        assert pid not in client.run(os.getpid).values()  # the nanny replaced the killed worker; the task ran again
        results = pd.read_csv(out / 'results.csv')
        assert results['status'].tolist() == ['ok', 'ok'] and results['test_accuracy'].notna().all()
        assert (out / 'cyclegan' / 'thickness-f1' / 'quality.json').exists() and (out / 'quality.json').exists()
        assert (out / 'stats.json').exists() and (out / 'done.json').exists()

        stamps = {p: p.stat().st_mtime for p in (out / 'runs').glob('*/status.json')}
        again = run_cli(*args)
        assert again.returncode == 0, again.stderr[-3000:]
        assert {p: p.stat().st_mtime for p in stamps} == stamps  # finished scenarios are not redone


def test_local_cluster_keeps_the_console_quiet(tmp_path):
    "The workers of `--executor dask`'s own cluster share the user's console: none of TensorFlow's start-up lines."
    grid = tmp_path / 'grid.yml'
    grid.write_text(yaml.safe_dump({**TINY_GRID, 'augments': ['none']}))
    r = run_cli('run', '--profile', grid, '--out', tmp_path / 'out', '--quiet', '--no-report', '--executor', 'dask',
                '--workers', '1')
    assert r.returncode == 0 and '1 of 1 scenarios ok' in r.stdout, r.stderr[-3000:]
    noise = [line for line in r.stderr.splitlines() if line[:5] in ('I0000', 'W0000', 'E0000') or 'absl::' in line]
    assert not noise, noise


def test_dask_options_refused(tmp_path):
    grid = tmp_path / 'grid.yml'
    grid.write_text(yaml.safe_dump(TINY_GRID))
    r = run_main('run', '--profile', grid, '--out', tmp_path / 'out', '--executor', 'dask', '--jobs', '2')
    assert r.returncode == 2 and r.stderr.count('\n') == 1
    assert 'jobs: only used with --executor local (a Dask cluster has --workers) (--jobs)' in r.stderr
    r = run_main('run', '--profile', grid, '--out', tmp_path / 'out', '--workers', '2')
    assert r.returncode == 2 and 'workers: only used with --executor dask (--workers)' in r.stderr
    assert not (tmp_path / 'out').exists()


def test_dask_grid_trains_a_generator_per_fold(tmp_path):
    """`tune_synth: folds`: each fold of the tuning trains on a generator of its own digits, trained as a task of its
    own before the scenario; the grid ranks only the scenario's own generator."""
    grid, out = tmp_path / 'grid.yml', tmp_path / 'out'
    spec = {k: v for k, v in TINY_GRID.items() if k != 'synthetic_ratio'}
    grid.write_text(yaml.safe_dump({**spec, 'augments': ['cyclegan'], 'train_size': 60, 'tune_synth': 'folds',
                                    'tune': {'synthetic_ratio': [0.5, 1]}, 'tune_min_steps': 0}))
    dry = run_cli('run', '--profile', grid, '--out', out, '--dry-run')
    folds = [f'thickness-n60-s0-fold{i}' for i in (1, 2, 3)]
    assert dry.returncode == 0 and all(f'cyclegan/{key}' in dry.stdout for key in folds), dry.stdout
    r = run_cli('run', '--profile', grid, '--out', out, '--quiet', '--no-report', '--executor', 'dask',
                '--workers', '2')
    assert r.returncode == 0 and '1 of 1 scenarios ok' in r.stdout, r.stderr[-3000:]
    for i, key in enumerate(folds, 1):
        config = json.loads((out / 'cyclegan' / key / 'config.json').read_text())['config']
        assert (config['fold'], config['tune_folds'], config['train_size']) == (i, 3, 60)
        assert (out / 'cyclegan' / key / 'synth.npz').exists()
    (run_dir,) = (out / 'runs').iterdir()
    assert run_dir.name == 'cnn-cyclegan-foldgens-thickness-n60-s0'
    tuning = json.loads((run_dir / 'tuning.json').read_text())
    assert tuning['tune_synth'] == 'folds' and [len(v) for v in tuning['scores'].values()] == [3, 3]
    ranked = json.loads((out / 'quality.json').read_text())['ranking']
    assert [row['run'] for row in ranked] == ['cyclegan/thickness-n60-s0']
