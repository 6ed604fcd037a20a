"""Which best-round selection fits a label budget? Measured, not assumed (issue 23, nbs/06_train).

For the CNN at 100 and 1,000 labels, without and with traditional augmentation, seeds 0-2:
  last:    trained on all n labels, the last round kept (no selection; the cosine schedule ends at 0)
  holdout: trained on 80% of the n, the round with the best accuracy on the other 20% kept
  oracle:  trained on all n, the best round on 5,000 labels outside the budget (what v1 did)
each scored on the 5,000-image validation split (never the test set). Writes nbs/data/selection_scheme.json.
Usage: python scripts/measure_selection.py [OUT.json]
"""
import json, os, sys, time
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
import numpy as np
from digitgan.core import write_json
from digitgan.data import Splits, load_mnist, make_splits, stratified_subset
from digitgan.evaluate import predict_probs
from digitgan.train import TrainConfig, fit

out = sys.argv[1] if len(sys.argv) > 1 else 'nbs/data/selection_scheme.json'
mnist, rows = load_mnist(), []
done = {(r['n'], r['augment'], r['seed']) for r in (json.load(open(out))['runs'] if os.path.exists(out) else [])}
rows = json.load(open(out))['runs'] if os.path.exists(out) else []
def score(model, s): return float((predict_probs(model, s.x_val).argmax(1) == s.y_val).mean())
for n in (100, 1000):
    for augment in ('none', 'traditional'):
        for seed in (0, 1, 2):
            if (n, augment, seed) in done: continue
            start = time.perf_counter()
            cfg = TrainConfig(augment=augment, train_size=n, seed=seed, precision='mixed_bfloat16')
            s = make_splits(mnist, train_size=n, subset_seed=seed)
            full = fit(cfg, s, verbose=0)  # validation on the 5,000: per-round accuracies give 'last' and 'oracle'
            hist = full.history
            fit_idx = stratified_subset(s.y_train, int(0.8 * n), seed)
            held = np.setdiff1d(np.arange(n), fit_idx)
            inner = Splits(s.x_train[fit_idx], s.y_train[fit_idx], s.x_train[held], s.y_train[held], s.x_val, s.y_val)
            ho = fit(cfg, inner, verbose=0)  # best round on the 20% held out, restored
            rows.append({'n': n, 'augment': augment, 'seed': seed,
                         'last': float(hist['val_accuracy'].iloc[-1]), 'oracle': float(hist['val_accuracy'].max()),
                         'oracle_round': int(hist['val_accuracy'].idxmax()) + 1,
                         'holdout': float((predict_probs(ho.model, s.x_val).argmax(1) == s.y_val).mean()),
                         'holdout_round': int(ho.best_epoch), 'seconds': time.perf_counter() - start})
            write_json(out, {'source': 'scripts/measure_selection.py: CNN, mixed bfloat16, 10 rounds, 2,000 steps at '
                                       'least, '
                             'cosine schedule; accuracy on the 5,000-image validation split', 'runs': rows})
            print(rows[-1], flush=True)
