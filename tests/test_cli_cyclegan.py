"""`digitgan cyclegan train | generate | evaluate` and CycleGAN augmentation, with tiny networks on small slices."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest


from conftest import TINY_CYCLEGAN as TINY, run_cli, run_main

pytestmark = pytest.mark.slow  # trains generators, runs grids or drives a browser


@pytest.fixture(scope='module')
def gan_run(tmp_path_factory):
    """A finished 20-step CycleGAN (slant) trained by `digitgan cyclegan train`, shared by the tests that read,
    extend or damage (a copy of) one."""
    out = tmp_path_factory.mktemp('gan') / 'slant'
    r = run_cli('cyclegan', 'train', '--domains', 'slant', '--steps', '20', '--checkpoint-every', '10', '--out', out,
                *TINY)
    assert r.returncode == 0, r.stderr[-2000:]
    return out


def test_cyclegan_train_outputs(gan_run):
    assert {'config.json', 'reference.keras', 'checkpoints', 'history.csv', 'samples',
            'done.json'} <= {p.name for p in gan_run.iterdir()}
    assert json.loads((gan_run / 'done.json').read_text())['steps'] == 20
    assert pd.read_csv(gan_run / 'history.csv')['step'].tolist() == [10, 20]
    assert [p.name for p in sorted((gan_run / 'samples').iterdir())] == ['step_000020.png']
    cfg = json.loads((gan_run / 'config.json').read_text())
    assert cfg['config']['domains'] == 'slant' and cfg['config']['lambda_cycle'] == 10.0


def test_cyclegan_resume_after_sigkill(tmp_path):
    "SIGKILL after the first checkpoint; the rerun finishes with the same total steps and a continuous history."
    out = tmp_path / 'killed'
    args = ['cyclegan', 'train', '--domains', 'thickness', '--steps', '60', '--checkpoint-every', '5', '--out', out,
            *TINY]
    exe = Path(sys.executable).with_name('digitgan')
    proc = subprocess.Popen([str(exe), *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, 'TF_CPP_MIN_LOG_LEVEL': '2'})
    timing, deadline = out / 'timing.json', time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        if timing.exists() and json.loads(timing.read_text())['step'] >= 15: break
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL); proc.wait()
    reached = json.loads(timing.read_text())['step']
    assert 15 <= reached < 60 and not (out / 'done.json').exists()
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads((out / 'done.json').read_text())['steps'] == 60
    assert pd.read_csv(out / 'history.csv')['step'].tolist() == [10, 20, 30, 40, 50, 60]
    assert [p.name for p in sorted((out / 'samples').iterdir())] == ['step_000020.png', 'step_000040.png',
                                                                     'step_000060.png']


def test_cyclegan_refuses_bad_options(tmp_path, gan_run):
    for args, message in [(['--domains', 'size', '--out', tmp_path / 'a'], "domains: unknown axis 'size'"),
                          (['--steps', '0', '--out', tmp_path / 'b'], 'steps: must be an integer >= 1, got 0'),
                          (['--steps', '30', '--checkpoint-every', '10', '--domains', 'slant', '--out', gan_run, *TINY],
                           'different config: steps=20 (asked 30)')]:
        r = run_main('cyclegan', 'train', *args)
        assert r.returncode == 2 and message in r.stderr and r.stderr.count('\n') == 1, r.stderr


@pytest.fixture(scope='module')
def synth_file(gan_run):
    path = gan_run / 'synth.npz'
    r = run_cli('cyclegan', 'generate', gan_run, '--out', path)
    assert r.returncode == 0, r.stderr[-2000:]
    return path


def test_generate(synth_file):
    s = np.load(synth_file)
    assert s['images'].shape == (300, 28, 28) and s['images'].dtype == np.uint8
    assert set(np.unique(s['direction'])) == {0, 1}
    from digitgan.data import make_splits
    assert np.array_equal(s['labels'], make_splits(limit=300).y_train[s['source_index']])


def test_evaluate_writes_quality(gan_run, synth_file, tmp_path):
    r = run_cli('cyclegan', 'evaluate', gan_run, '--out', tmp_path, '--cas-images', '300', '--cas-epochs', '1')
    assert r.returncode == 0, r.stderr[-2000:]
    q = json.loads((tmp_path / 'quality.json').read_text())
    assert {'label_fidelity', 'style_transfer', 'frechet', 'novelty', 'directions'} <= set(q)
    assert set(q['style_transfer']) == {'A2B', 'B2A'}
    assert q['cas']['images'] <= 300 and q['cas']['epochs'] == 1  # a small CAS, as the quality flags asked
    assert 'label fidelity' in r.stdout


def test_train_with_cyclegan_augmentation(synth_file, tmp_path):
    r = run_cli('train', '--augment', 'cyclegan', '--synth', synth_file, '--synthetic-ratio', '0.5', '--epochs', '1',
                '--min-steps', '0', '--budget', 'epochs',
                '--limit', '300', '--out', tmp_path, '--quiet')
    assert r.returncode == 0, r.stderr[-2000:]
    m = json.loads((tmp_path / 'metrics.json').read_text())
    assert m['train_images'] == 450  # 300 real + 150 synthetic
    r = run_cli('train', '--augment', 'cyclegan', '--synth', synth_file, '--epochs', '1', '--min-steps', '0', '--limit',
                '400',
                '--out', tmp_path / 'other')
    assert r.returncode == 2 and 'made from a different training split' in r.stderr


def test_generate_bad_run(tmp_path):
    r = run_main('cyclegan', 'generate', tmp_path, '--out', tmp_path / 's.npz')
    assert r.returncode == 2 and 'not a CycleGAN run folder' in r.stderr


@pytest.mark.parametrize('what, damage, message', [
    ('truncated shard', lambda d: [p.write_bytes(p.read_bytes()[:100]) for p in (d / 'checkpoints').glob('*.data-*')],
     'not a readable CycleGAN checkpoint'),
    ('garbage index', lambda d: [p.write_bytes(b'garbage') for p in (d / 'checkpoints').glob('*.index')],
     'not a readable CycleGAN checkpoint'),
    ('config with an extra key', lambda d: (d / 'config.json').write_text(json.dumps(
        {**json.loads((d / 'config.json').read_text()),
         'config': {**json.loads((d / 'config.json').read_text())['config'], 'colour': 1}})),
     'config.json: not a CycleGAN run config'),
    ('truncated reference', lambda d: (d / 'reference.keras').write_bytes(b'PK\x03\x04'),
     'reference.keras: not a loadable Keras model'),
])
def test_damaged_cyclegan_run(gan_run, tmp_path, what, damage, message):
    run = tmp_path / 'run'; shutil.copytree(gan_run, run); damage(run)
    r = run_main('cyclegan', 'generate', run, '--out', tmp_path / 's.npz')
    assert r.returncode == 2 and message in r.stderr and r.stderr.count('\n') == 1, (what, r.stderr[-500:])
    assert not (tmp_path / 's.npz').exists()
