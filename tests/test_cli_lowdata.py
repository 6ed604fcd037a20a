"""The low-data study's tools from the command line: label budgets and external digit sets in a grid, `digitgan
evaluate` on digits from elsewhere, and `digitgan publish`, whose bundle renders its report and resumes its grid."""
import json

import pandas as pd
import pytest
import yaml
from PIL import Image

from conftest import run_cli, run_main
from digitgan.data import load_mnist

pytestmark = pytest.mark.slow  # trains generators, runs grids or drives a browser

GRID = {'description': 'tiny label-budget grid', 'model': 'cnn', 'augment': ['none', 'traditional'], 'seed': 0,
        'train_size': [100, 200], 'epochs': 1, 'min_steps': 0, 'batch_size': 64, 'precision': 'float32', 'limit': 300,
        'strength': 0.5, 'external': ['fonts']}


@pytest.fixture(scope='module')
def grid_run(tmp_path_factory):
    d = tmp_path_factory.mktemp('lowdata')
    (d / 'grid.yml').write_text(yaml.safe_dump(GRID))
    r = run_cli('run', '--profile', d / 'grid.yml', '--out', d / 'out', '--quiet', '--no-report')
    assert r.returncode == 0, r.stderr[-3000:]
    return d


def test_budgets_and_external_sets_in_results(grid_run):
    table = pd.read_csv(grid_run / 'out' / 'results.csv')
    assert sorted(table['train_size'].unique()) == [100, 200] and (table['status'] == 'ok').all()
    assert table['external_fonts_accuracy'].between(0, 1).all()
    stats = json.loads((grid_run / 'out' / 'stats.json').read_text())
    assert {r['train_size'] for r in stats['comparisons']} == {100, 200}         # each budget against its own none
    assert len(stats['external']['fonts']['comparisons']) == 2
    config = json.loads((grid_run / 'out' / 'runs' / 'cnn-traditional-n100-s0' / 'config.json').read_text())['config']
    assert (config['train_size'], config['seed'], config['strength']) == (100, 0, 0.5)


def test_evaluate_on_digits_from_elsewhere(grid_run, tmp_path):
    run = grid_run / 'out' / 'runs' / 'cnn-none-n200-s0'
    r = run_cli('evaluate', run, '--set', 'fonts', '--out', tmp_path / 'fonts')
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.startswith('fonts: accuracy ') and 'on 1000 digits' in r.stdout
    assert json.loads((tmp_path / 'fonts' / 'metrics.json').read_text())['n'] == 1000
    mnist = load_mnist()
    for i in range(12):  # a folder of scans: dark ink on white paper, in class subfolders
        (tmp_path / 'scans' / str(mnist.y_test[i])).mkdir(parents=True, exist_ok=True)
        Image.fromarray(255 - mnist.x_test[i]).save(tmp_path / 'scans' / str(mnist.y_test[i]) / f'{i}.png')
    r = run_cli('evaluate', run / 'model.keras', '--images', tmp_path / 'scans')
    assert r.returncode == 0 and 'on 12 digits' in r.stdout, r.stderr[-2000:]
    assert (run / 'external' / 'scans' / 'predictions.npz').exists()  # beside the model by default


@pytest.mark.parametrize('args, message', [
    ([], 'give exactly one of --images DIR, --idx DIR or --set NAME'),
    (['--set', 'usps'], 'usps: not a digit set name (uci, fonts, mnistm) or a folder'),
    (['--idx', 'nowhere'], 'nowhere: not a folder'),
    (['--images', 'nowhere'], 'nowhere: not a folder')])
def test_evaluate_bad_input(grid_run, args, message):
    r = run_main('evaluate', grid_run / 'out' / 'runs' / 'cnn-none-n200-s0', *args, cwd=grid_run)
    assert r.returncode == 2 and message in r.stderr and r.stderr.count('\n') == 1, r.stderr


@pytest.mark.parametrize('key', ['external', 'target'])
def test_grid_refuses_unknown_digit_set(tmp_path, key):
    (tmp_path / 'g.yml').write_text(yaml.safe_dump({**GRID, key: ['usps']}))
    r = run_cli('run', '--profile', tmp_path / 'g.yml', '--out', tmp_path / 'o', '--dry-run')
    assert r.returncode == 2 and (f"{key}: must be a digit set (uci, fonts, mnistm), a folder of labelled digits or "
                                  "an .npz, got 'usps'") in r.stderr


def test_publish_renders_from_the_bundle_and_resumes(grid_run, tmp_path):
    bundle = tmp_path / 'published' / 'tiny'
    r = run_cli('publish', grid_run / 'out', '--out', bundle)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip().endswith('h of compute') and '4 of 4 scenarios' in r.stdout
    info = json.loads((bundle / 'PUBLISHED.json').read_text())
    assert info['complete'] and info['scenarios_seconds'] > 0
    assert not list(bundle.rglob('*.keras')) and not list(bundle.rglob('synth.npz'))
    page = (bundle / 'report' / 'budgets.html').read_text()
    assert 'gains-test' in page and 'budgets-test_accuracy' in page and 'budgets-external_fonts_accuracy' in page
    size = sum(f.stat().st_size for f in bundle.rglob('*') if f.is_file() and 'report' not in f.parts)
    assert size < 2e6, size
    r = run_cli('run', '--profile', grid_run / 'grid.yml', '--out', bundle, '--quiet', '--no-report')
    assert r.returncode == 0 and not list(bundle.rglob('*.keras')), r.stderr[-2000:]  # nothing ran again
    r = run_cli('publish', tmp_path, '--out', tmp_path / 'b2')
    assert r.returncode == 2 and 'not a results folder' in r.stderr and r.stderr.count('\n') == 1


def test_reuse_copies_finished_runs_of_the_same_scenarios(grid_run, tmp_path):
    (tmp_path / 'part.yml').write_text(yaml.safe_dump({**GRID, 'augment': ['none'], 'train_size': [100]}))
    r = run_cli('run', '--profile', tmp_path / 'part.yml', '--out', tmp_path / 'out', '--quiet', '--no-report',
                '--reuse', grid_run / 'out')
    assert r.returncode == 0 and '1 finished runs and 0 generator runs copied from' in r.stdout, r.stderr[-3000:]
    ours, theirs = (p / 'runs' / 'cnn-none-n100-s0' / 'status.json' for p in (tmp_path / 'out', grid_run / 'out'))
    assert ours.read_text() == theirs.read_text()  # the same run, not a new one
    r = run_main('run', '--profile', tmp_path / 'part.yml', '--out', tmp_path / 'o2', '--reuse', tmp_path / 'nowhere')
    assert (
        r.returncode == 2 and 'reuse: ' in r.stderr and 'not a results folder' in r.stderr and r.stderr.count('\n') == 1
    ), r.stderr
