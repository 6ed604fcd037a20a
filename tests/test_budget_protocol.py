"""Issue 23's protocol, proven on the data layer: a `validation='budget'` run with a label budget of 100 reads exactly
100 distinct training-set labels (its training, its round selection and its tuning together), and the test labels
only once, in the final evaluation."""
import pytest

from digitgan import data, evaluate
from digitgan.train import TrainConfig

pytestmark = pytest.mark.slow  # two trainings with cross-validation


def run_reading_labels(tmp_path, monkeypatch, **options):
    """Train and evaluate a small budget run; returns the training-set labels handed out and the sizes of the test
    scorings."""
    scored = []
    score = evaluate.test_metrics
    monkeypatch.setattr(evaluate, 'test_metrics', lambda y, probs: scored.append(len(y)) or score(y, probs))
    cfg = TrainConfig(augment='traditional', train_size=100, epochs=2, min_steps=20, batch_size=32, seed=3,
                      tune={'strength': [0.5, 1]}, tune_folds=2, tune_min_steps=20, **options)
    with data.label_ledger() as seen: evaluate.train_and_evaluate(cfg, tmp_path / 'run', verbose=0)
    return seen, scored


def test_a_budget_run_reads_its_100_labels_and_the_test_set_once(tmp_path, monkeypatch):
    seen, scored = run_reading_labels(tmp_path, monkeypatch)
    assert len(seen) == 100
    assert scored == [10000]  # the official test set, scored once, after every choice was made
    assert (tmp_path / 'run' / 'tuning.json').exists()


def test_the_ledger_sees_v1s_outside_labels(tmp_path, monkeypatch):
    "The same run under the fixed protocol hands out the 5,000 validation labels too: the ledger tells them apart."
    seen, _ = run_reading_labels(tmp_path, monkeypatch, validation='fixed')
    assert len(seen) == 5100
