"""How much of the DCGAN arm's leaking cross-validation is its labeller? (issue 23, nbs/07_tune)

Under the budget protocol a DCGAN arm tunes its dose (`synthetic_ratio`) by 3-fold cross-validation inside its n
labels, but its digits are labelled by the budget's classifier, which learned every one of the n, the held-out fold's
too (and the DCGAN itself trained on all n images). The v2 grid's cross-validation promised about 99.8% at 100 labels
where the test set gave about 78.7%. This script takes the v2 grid's own DCGAN digits of a seed at 100 labels and, per
fold, labels them again with a labeller trained like the run's (same routine, steps and seed) on the fold's training
digits only, then scores the fold as the tuning did, for the lowest and highest dose. If the held-out accuracy falls to
about what the test set gave, the labeller is the leak, and a labeller per fold (cheap) removes it; if it stays high,
the generator's memory of the held-out images is a leak too, and only a generator per fold removes it.
Nothing here is chosen: it reads the n labels of each seed and scores held-out folds inside them; no test label.
Usage: python scripts/measure_tuning_leak.py RESULTS_DIR [OUT.json]   (RESULTS_DIR: a v2 grid's results folder)
"""
import json, os, sys, tempfile, time
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
from pathlib import Path
import numpy as np
from digitgan.core import read_json, write_json
from digitgan.data import Splits, load_mnist, make_splits
from digitgan.evaluate import predict_probs, train_reference
from digitgan.train import TrainConfig
from digitgan.data import folds
from digitgan.tune import fold_score, trial_config

results = Path(sys.argv[1])
out = sys.argv[2] if len(sys.argv) > 2 else 'nbs/data/tuning_leak.json'
rows = json.load(open(out))['runs'] if os.path.exists(out) else []
done = {(r['seed'], r['fold']) for r in rows}
mnist, scratch = load_mnist(), Path(tempfile.mkdtemp())
for seed in (0, 1, 2):
    run, gen = results / 'runs' / f'cnn-dcgan-n100-s{seed}', results / 'dcgan' / f'n100-s{seed}'
    if not (run / 'tuning.json').exists() or not (gen / 'synth.npz').exists(): continue
    config = TrainConfig.from_dict(read_json(run / 'config.json')['config'])
    leaky = read_json(run / 'tuning.json')['scores']
    gen_config = read_json(gen / 'config.json')['config']
    splits = make_splits(mnist, train_size=100, subset_seed=seed, validation='budget')
    synth = dict(np.load(gen / 'synth.npz'))
    for fold, (train_index, held_index) in enumerate(folds(splits.y_train, config.tune_folds, seed)):
        if (seed, fold) in done: continue
        start = time.perf_counter()
        own = Splits(splits.x_train[train_index], splits.y_train[train_index], splits.x_train[:0], splits.y_train[:0],
                     splits.x_test[:0], splits.y_test[:0])  # the fold's training digits alone
        labeller = train_reference(own, None, gen_config.get('reference_epochs', 3), gen_config['seed'],
                                   gen_config.get('reference_min_steps', 2000))
        path = scratch / f'synth-s{seed}-f{fold}.npz'
        np.savez_compressed(path, **{**synth, 'labels': predict_probs(labeller, synth['images']).argmax(1).astype(
            np.uint8)})
        row = {'seed': seed, 'fold': fold, 'labels_changed': float((np.load(path)['labels'] != synth['labels']).mean())}
        for ratio in (0.5, 16):
            trial = trial_config(config.replace(synth=str(path)), {'synthetic_ratio': ratio}, len(train_index))
            row[f'fold_labeller_{ratio:g}'] = fold_score(trial, splits, train_index, held_index)
            row[f'run_labeller_{ratio:g}'] = leaky[json.dumps({'synthetic_ratio': ratio})][fold]
        rows.append({**row, 'seconds': time.perf_counter() - start})
        write_json(out, {'source': 'scripts/measure_tuning_leak.py: the v2 grid\'s DCGAN digits at 100 labels, '
                                   'held-out accuracy of one fold of the tuning with the run\'s labeller (from its '
                                   'tuning.json) and with a labeller trained on the fold\'s training digits',
                         'runs': rows})
        print(rows[-1], flush=True)
