"""The maintainers' scripts around a study: `scripts/study_summary.py` prints a study's closing-note tables from a
results folder and refuses a folder that is not one in one line; `scripts/study_queue.sh` runs the low-data study's
grids in order and stops at the first that fails."""
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / 'nbs' / 'data' / 'report_example'


def summary(*args):
    return subprocess.run([sys.executable, str(ROOT / 'scripts' / 'study_summary.py'), *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def test_study_summary_prints_every_table_of_a_results_folder():
    r = summary(EXAMPLE, EXAMPLE)  # a study against itself: no cell can move
    assert r.returncode == 0, r.stderr[-2000:]
    for title in ('Test accuracy % per budget', 'As markdown, for the README', 'Cells that moved',
                  'Settings tuned per run', 'Generators per budget', 'Compute: '):
        assert title in r.stdout, title
    assert re.search(r'\(0 of [1-9]\d* cells moved\)', r.stdout), r.stdout  # cells compared, none moved


def test_study_summary_refuses_a_folder_without_results(tmp_path):
    r = summary(tmp_path)
    assert r.returncode == 2 and str(tmp_path) in r.stderr and 'not a results folder' in r.stderr
    assert r.stderr.count('\n') == 1


def test_study_queue_plans_the_grids_in_order_and_stops_at_the_first_that_fails(tmp_path):
    env = {**os.environ, 'DIGITGAN_PYTHON': sys.executable}
    r = subprocess.run(['bash', str(ROOT / 'scripts' / 'study_queue.sh'), str(tmp_path), '--dry-run'],
                       capture_output=True, text=True, timeout=300, env=env)
    # lowdata plans first; dilution reuses lowdata's runs, which a dry run does not make: refused, and the queue stops
    assert r.returncode == 2, r.stderr[-2000:]
    assert re.findall(r'^\S+ \S+ (\w+) -> ', r.stdout, re.M) == ['lowdata', 'dilution'], r.stdout[-2000:]
    assert '230 scenarios; generator runs:' in r.stdout
    assert f'reuse: {tmp_path}/lowdata-v2: not a results folder' in r.stderr
    assert not (tmp_path / 'lowdata-v2').exists()  # a dry run writes nothing
