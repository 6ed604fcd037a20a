"""`digitgan train` and `digitgan predict` as a user runs them, on small slices of MNIST."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from conftest import run_cli, run_main
from digitgan.data import load_mnist

ARTIFACTS = {'config.json', 'history.csv', 'metrics.json', 'classification_report.txt', 'classification_report.json',
             'confusion_matrix.csv', 'predictions.npz', 'model.keras', 'figures', 'checkpoint'}


@pytest.fixture(scope='module')
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp('run')
    r = run_cli('train', '--model', 'cnn', '--epochs', '2', '--min-steps', '0', '--batch-size', '32', '--limit', '2000',
                '--seed', '3', '--out', out, '--quiet')
    assert r.returncode == 0, r.stderr[-2000:]
    assert 'test accuracy' in r.stdout
    return out


def test_train_writes_every_artifact(run_dir):
    assert ARTIFACTS <= {p.name for p in run_dir.iterdir()}
    m = json.loads((run_dir / 'metrics.json').read_text())
    for key in ('test_accuracy', 'test_loss', 'f1_macro', 'f1_weighted', 'per_class', 'confusion_matrix',
                'train_seconds', 'epochs_completed'):
        assert key in m
    assert m['epochs_completed'] == 2 and m['test_accuracy'] > 0.85
    assert set(m['per_class']['3']) == {'precision', 'recall', 'f1', 'support'}
    cfg = json.loads((run_dir / 'config.json').read_text())
    assert (
        cfg['config']['seed'] == 3
        and cfg['config']['schedule'] == 'cosine'
        and {'python', 'tensorflow', 'keras', 'digitgan'} <= set(cfg['environment'])
    )
    p = np.load(run_dir / 'predictions.npz')
    assert len(p['y_true']) == 2000 and p['probs'].shape == (2000, 10)
    assert float((p['y_pred'] == p['y_true']).mean()) == pytest.approx(m['test_accuracy'])
    assert {f.name for f in (run_dir / 'figures').iterdir()} == {'curves.png', 'confusion_matrix.png',
                                                                 'predictions.png'}


def test_rerun_of_finished_run_is_not_redone(run_dir):
    before = (run_dir / 'metrics.json').stat().st_mtime
    r = run_cli('train', '--model', 'cnn', '--epochs', '2', '--min-steps', '0', '--batch-size', '32', '--limit', '2000',
                '--seed', '3', '--out', run_dir)
    assert r.returncode == 0 and (run_dir / 'metrics.json').stat().st_mtime == before


@pytest.mark.parametrize('args, message', [
    (['--model', 'vgg'], "model: unknown 'vgg'"),
    (['--augment', 'mixup'], "augment: unknown 'mixup'"),
    (['--epochs', '0', '--min-steps', '0'], 'epochs: must be an integer >= 1, got 0'),
    (['--train-fraction', '1.5'], 'train_fraction: must be in (0, 1], got 1.5'),
    (['--train-fraction', '0'], 'train_fraction: must be in (0, 1], got 0.0'),
    (['--schedule', 'step'], "schedule: must be 'cosine' or 'constant', got 'step'"),
    (['--learning-rate', '0'], 'learning_rate: must be > 0, got 0.0'),
])
def test_train_refuses_bad_options(tmp_path, args, message):
    r = run_main('train', '--out', tmp_path / 'x', '--limit', '100', *args)
    assert r.returncode == 2 and message in r.stderr and r.stderr.count('\n') == 1, r.stderr
    assert not (tmp_path / 'x').exists()


def test_train_refuses_folder_with_other_config(run_dir):
    r = run_cli('train', '--model', 'cnn', '--epochs', '3', '--min-steps', '0', '--batch-size', '32', '--limit', '2000',
                '--seed', '3', '--out', run_dir)
    assert r.returncode == 2 and r.stderr.count('\n') == 1
    assert 'holds a run with a different config: epochs=2 (asked 3)' in r.stderr


@pytest.mark.slow  # 10-50 s (tests/ --durations): left out of scripts/test.sh --fast
def test_resume_after_sigkill(tmp_path):
    "Kill training after its first epoch's checkpoint; the rerun continues at epoch 2 and the history is continuous."
    out = tmp_path / 'killed'
    args = ['train', '--model', 'cnn', '--epochs', '3', '--min-steps', '0', '--limit', '3000', '--batch-size', '32',
            '--out', out, '--quiet']
    exe = Path(sys.executable).with_name('digitgan')
    proc = subprocess.Popen([str(exe), *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, 'TF_CPP_MIN_LOG_LEVEL': '2'})
    state = out / 'checkpoint' / 'state.json'
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        if state.exists() and len(json.loads(state.read_text())['history']) >= 1: break
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL); proc.wait()
    done = len(json.loads(state.read_text())['history'])
    assert 1 <= done < 3, 'the run should be killed part-way'
    assert not (out / 'metrics.json').exists()
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr[-2000:]
    h = pd.read_csv(out / 'history.csv')
    assert h['epoch'].tolist() == [1, 2, 3]
    assert json.loads((out / 'metrics.json').read_text())['epochs_completed'] == 3


@pytest.mark.slow  # 10-50 s (tests/ --durations): left out of scripts/test.sh --fast
def test_traditional_augmentation_and_bilstm_train(tmp_path):
    r = run_cli('train', '--model', 'cnn_bilstm', '--augment', 'traditional', '--epochs', '1', '--min-steps', '0',
                '--limit', '600',
                '--precision', 'mixed_bfloat16', '--out', tmp_path, '--quiet')
    assert r.returncode == 0, r.stderr[-2000:]
    cfg = json.loads((tmp_path / 'config.json').read_text())['config']
    assert (cfg['model'], cfg['augment'], cfg['precision']) == ('cnn_bilstm', 'traditional', 'mixed_bfloat16')


@pytest.fixture(scope='module')
def photos(tmp_path_factory):
    "Test digits as 'photos': dark ink on light paper, RGB, larger and off-centre; plus a white-on-black scan."
    d = tmp_path_factory.mktemp('photos')
    m = load_mnist()
    paths, labels = [], []
    for i in range(6):
        digit = np.asarray(Image.fromarray(m.x_test[i]).resize((90, 90), Image.BILINEAR), np.float32)
        page = np.full((160, 200), 235.0)
        page[20:110, 70:160] -= digit * 0.8
        p = d / f'digit{i}.jpg'
        Image.fromarray(page.astype(np.uint8)).convert('RGB').save(p)
        paths.append(p); labels.append(int(m.y_test[i]))
    scan = d / 'scan.png'
    Image.fromarray(m.x_test[6]).resize((56, 56)).save(scan)
    return paths + [scan], labels + [int(m.y_test[6])]


def test_predict_photos(run_dir, photos):
    paths, labels = photos
    r = run_cli('predict', run_dir / 'model.keras', *paths, '--json')
    assert r.returncode == 0, r.stderr[-2000:]
    preds = json.loads(r.stdout)
    assert [p['path'] for p in preds] == [str(p) for p in paths]
    correct = sum(p['digit'] == y for p, y in zip(preds, labels))
    assert correct >= 6, (preds, labels)
    assert all(0 <= p['probability'] <= 1 and len(p['probs']) == 10 for p in preds)
    r = run_cli('predict', run_dir / 'model.keras', paths[0])
    assert r.returncode == 0 and r.stdout.startswith(f'{paths[0]}: ') and '(p=' in r.stdout


@pytest.mark.slow  # 10-50 s (tests/ --durations): left out of scripts/test.sh --fast
def test_predict_bad_inputs(run_dir, tmp_path, photos):
    text = tmp_path / 'notes.png'; text.write_text('hello')
    for args, message in [([run_dir / 'model.keras', tmp_path / 'gone.png'], 'gone.png: file not found'),
                          ([run_dir / 'model.keras', text], 'notes.png: not a readable image'),
                          ([tmp_path / 'nomodel.keras', photos[0][0]], 'nomodel.keras: model file not found'),
                          ([text, photos[0][0]], 'notes.png: not a loadable Keras model')]:
        r = run_main('predict', *args)
        assert r.returncode == 2 and message in r.stderr and r.stderr.count('\n') == 1, r.stderr


def test_train_help_states_the_real_defaults():
    from digitgan.train import TrainConfig
    r = run_cli('train', '--help')
    text = ' '.join(r.stdout.split())
    assert r.returncode == 0
    assert f'(default: {TrainConfig.learning_rate:g})' in text and f'(default: {TrainConfig.schedule})' in text
