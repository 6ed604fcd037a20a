"""`digitgan gan train | generate | evaluate` for every generator, `--augment cgan` in training and grids, with tiny
networks on small slices."""
import json

import numpy as np
import pytest
import yaml

from conftest import run_cli, run_main

pytestmark = pytest.mark.slow  # trains generators, runs grids or drives a browser

TINY = ['--steps', '20', '--batch-size', '16', '--gen-filters', '8', '--disc-filters', '8', '--latent-dim', '8',
        '--limit', '300', '--sample-every', '10', '--checkpoint-every', '10', '--reference-epochs', '1',
        '--reference-min-steps', '200', '--quiet']


@pytest.fixture(scope='module')
def cgan_run(tmp_path_factory):
    out = tmp_path_factory.mktemp('gan') / 'cgan'
    r = run_cli('gan', 'train', '--generator', 'cgan', *TINY, '--diffaugment', 'auto', '--out', out)
    assert r.returncode == 0, r.stderr[-2000:]
    assert 'cgan: 20 steps' in r.stdout
    return out


def test_cgan_train_outputs(cgan_run):
    assert {'config.json', 'checkpoints', 'history.csv', 'samples', 'done.json'} <= {p.name for p in cgan_run.iterdir()}
    cfg = json.loads((cgan_run / 'config.json').read_text())
    assert cfg['generator'] == 'cgan' and cfg['config']['latent_dim'] == 8
    assert cfg['train_size'] == 300 and cfg['diffaugment_used'] is True  # auto: on below 10,000 training digits
    assert [p.name for p in sorted((cgan_run / 'samples').iterdir())] == ['step_000010.png', 'step_000020.png']


@pytest.fixture(scope='module')
def cgan_synth(cgan_run):
    path = cgan_run / 'synth.npz'
    r = run_cli('gan', 'generate', cgan_run, '--out', path)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.startswith('300 synthetic digits from cgan (per class 0-9: ')
    return path


def test_generate_any_count(cgan_run, tmp_path):
    r = run_cli('gan', 'generate', cgan_run, '--out', tmp_path / 's.npz', '--count',
                '1000')  # more than the training split
    assert r.returncode == 0, r.stderr[-2000:]
    s = np.load(tmp_path / 's.npz')
    assert s['images'].shape == (1000, 28, 28) and str(s['generator']) == 'cgan' and len(np.unique(s['labels'])) == 10


def test_evaluate_runs_the_shared_suite(cgan_run, tmp_path):
    r = run_cli('gan', 'evaluate', cgan_run, '--out', tmp_path, '--cas-epochs', '1')
    assert r.returncode == 0, r.stderr[-2000:]
    q = json.loads((tmp_path / 'quality.json').read_text())
    assert {'label_fidelity', 'per_class', 'frechet', 'prdc_k5', 'coverage_per_class', 'cas', 'novelty'} <= set(q)
    assert q['cas']['images'] == 300 and q['cas']['epochs'] == 1 and 0 <= q['cas']['synthetic'] <= 1
    assert (tmp_path / 'figures' / 'per_class.png').stat().st_size > 1000
    assert 'CAS' in r.stdout and 'Frechet distance' in r.stdout


def test_train_with_cgan_augmentation(cgan_synth, tmp_path):
    r = run_cli('train', '--augment', 'cgan', '--synth', cgan_synth, '--synthetic-ratio', '0.5', '--epochs', '1',
                '--min-steps', '0', '--budget', 'epochs',
                '--limit', '300', '--out', tmp_path, '--quiet')
    assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads((tmp_path / 'metrics.json').read_text())['train_images'] == 450


def test_dcgan_labels_by_the_reference(tmp_path):
    out = tmp_path / 'dcgan'
    r = run_cli('gan', 'train', '--generator', 'dcgan', *TINY, '--min-confidence', '0', '--out', out)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (out / 'reference.keras').exists()
    r = run_cli('gan', 'generate', out, '--out', tmp_path / 's.npz', '--count', '50')
    assert r.returncode == 0, r.stderr[-2000:]
    s = np.load(tmp_path / 's.npz')
    assert len(s['labels']) == 50 and float(s['accepted_share']) == 1.0
    assert np.array_equal(s['labels'], s['reference_label'])  # the reference chose the labels


def test_gan_refuses_bad_input(cgan_run, tmp_path):
    for args, message in [
            (['train', '--generator', 'stylegan', '--out', tmp_path / 'a'],
             "generator: unknown 'stylegan'; choose one of: cgan, cyclegan, dcgan"),
            (['train', '--generator', 'cgan', '--diffaugment', 'yes', '--out', tmp_path / 'b'],
             "diffaugment: must be 'off', 'on' or 'auto', got 'yes'"),
            (['train', '--generator', 'cgan', *TINY, '--diffaugment', 'auto', '--steps', '30', '--out', cgan_run],
             'different config: steps=20 (asked 30)'),
            (['evaluate', cgan_run, '--cas-epochs', '0'], 'cas_epochs: must be an integer >= 1, got 0'),
            (['generate', cgan_run, '--out', tmp_path / 's.npz', '--count', '0'],
             'count: must be an integer >= 1, got 0'),
            (['generate', tmp_path, '--out', tmp_path / 's.npz'], 'not a generator run folder')]:
        r = run_main('gan', *args)
        assert r.returncode == 2 and message in r.stderr and r.stderr.count('\n') == 1, (args, r.stderr)
    r = run_main('gan', 'train', '--generator', 'cgan', '--domains', 'slant', '--out',
                tmp_path / 'c')  # a CycleGAN option
    assert r.returncode == 2 and 'unrecognized arguments: --domains slant' in r.stderr


def test_help_lists_the_chosen_generators_options():
    r = run_cli('gan', 'train', '--generator', 'cgan', '--help')
    assert r.returncode == 0 and '--diffaugment' in r.stdout and '--domains' not in r.stdout
    r = run_cli('gan', 'train', '--help')
    assert r.returncode == 0 and '--domains' in r.stdout


def test_grid_with_cgan_trains_it_once_and_ranks_it(tmp_path):
    grid = {'description': 'tiny cgan grid', 'model': 'cnn', 'augment': ['none', 'cgan'], 'seed': [0, 1], 'epochs': 1,
            'min_steps': 0,
            'limit': 300, 'cgan': {'steps': 20, 'batch_size': 16, 'gen_filters': 8, 'disc_filters': 8, 'latent_dim': 8,
                                   'reference_epochs': 1, 'reference_min_steps': 200},
            'quality': {'cas_images': 300, 'cas_epochs': 1}}
    (tmp_path / 'g.yml').write_text(yaml.safe_dump(grid))
    r = run_cli('run', '--profile', tmp_path / 'g.yml', '--out', tmp_path / 'res', '--no-report', '--quiet')
    assert r.returncode == 0, r.stderr[-2000:]
    assert sorted(p.name for p in (tmp_path / 'res/cgan').iterdir()) == ['f1']  # one generator for both seeds
    ranking = json.loads((tmp_path / 'res/quality.json').read_text())['ranking']
    assert [row['run'] for row in ranking] == ['cgan/f1'] and ranking[0]['rank'] == 1 and ranking[0]['CAS'] is not None
    cas = json.loads((tmp_path / 'res/cgan/f1/quality.json').read_text())['cas']  # the grid's quality settings
    assert (cas['images'], cas['epochs'], cas['images_per_epoch']) == (300, 1, 300)
    assert any(line.split()[:2] == ['cnn', 'cgan'] for line in r.stdout.splitlines())  # in the headline table
