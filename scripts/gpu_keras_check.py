"""What a GPU machine without TensorFlow can still tell about digitgan: the GPU mapping on a real `nvidia-smi`, and
the paper's `none` scenario (both classifiers, full MNIST, 10 epochs at batch 128, the train notebook's optimizer) on
Keras 3's JAX backend under `precision: auto`.

This is not `digitgan run`: TensorFlow's wheels (about 0.6 GB, plus 2 GB of CUDA 12 libraries) are too large to carry
to the lent machine, so generators and the pipeline's `tf.data` input are left out; the images go in as arrays.
Usage: `KERAS_BACKEND=jax python scripts/gpu_keras_check.py OUT.json`."""
import json, os, sys, time
os.environ.setdefault('KERAS_BACKEND', 'jax')
from digitgan.core import choose_precision, cpu_flags, device_env, gpu_ids
from digitgan.data import load_mnist, make_splits, preprocess
from digitgan.models import build_model
from digitgan.train import TrainConfig, compile_classifier

def mapping() -> dict:
    "The GPUs `gpu_ids` finds here, the environment each of four workers would get, and what `auto` resolves to."
    ids = gpu_ids()
    return {'gpu_ids': ids, 'workers': [device_env(slot, ids) for slot in range(4)],
            'auto': choose_precision(len(ids), cpu_flags())}

class EpochTimes:
    "Wall time of each epoch (a Keras callback, built lazily so the backend is chosen first)."
    def __new__(cls):
        import keras
        class _Times(keras.callbacks.Callback):
            def on_train_begin(self, logs=None): self.times = []
            def on_epoch_begin(self, epoch, logs=None): self.t = time.perf_counter()
            def on_epoch_end(self, epoch, logs=None): self.times.append(time.perf_counter() - self.t)
        return _Times()

def train_none(model_name: str, seed: int, splits, policy: str) -> dict:
    "One `none` scenario of the paper profile: fit, then test accuracy; wall time and steady images per second."
    import keras
    keras.mixed_precision.set_dtype_policy(policy)
    keras.utils.set_random_seed(seed)
    config = TrainConfig(model=model_name, seed=seed)
    (x, y), (xv, yv), (xt, yt) = (preprocess(*p) for p in ((splits.x_train, splits.y_train),
                                                            (splits.x_val, splits.y_val),
                                                            (splits.x_test, splits.y_test)))
    steps = config.epochs * -(-len(x) // config.batch_size)
    model = compile_classifier(build_model(model_name), config.learning_rate, steps)
    times, start = EpochTimes(), time.perf_counter()
    hist = model.fit(x, y, batch_size=config.batch_size, epochs=config.epochs, validation_data=(xv, yv),
                     callbacks=[times], verbose=0)
    wall = time.perf_counter() - start
    _, test_acc = model.evaluate(xt, yt, batch_size=1024, verbose=0)
    return {'model': model_name, 'seed': seed, 'policy': policy, 'wall_s': round(wall, 2),
            'first_epoch_s': round(times.times[0], 2),
            'steady_img_s': round(len(x) * (len(times.times) - 1) / sum(times.times[1:])),
            'val_accuracy': round(max(hist.history['val_accuracy']), 4), 'test_accuracy': round(float(test_acc), 4)}

if __name__ == '__main__':
    out = {'mapping': mapping(), 'runs': []}
    import jax, keras
    out['backend'] = {'keras': keras.__version__, 'jax': jax.__version__, 'devices': [str(d) for d in jax.devices()]}
    splits = make_splits(load_mnist())
    for model_name in ('cnn', 'cnn_bilstm'):
        for seed in (0, 1, 2):
            try: out['runs'].append(train_none(model_name, seed, splits, out['mapping']['auto']))
            except ValueError as e:  # JAX's cuDNN LSTM lowering takes no float16 (seen on an H100, jax 0.11)
                out.setdefault('refused', []).append(f"{model_name} under {out['mapping']['auto']}: {e}")
                out['runs'].append(train_none(model_name, seed, splits, 'float32'))
            print(json.dumps(out['runs'][-1]), flush=True)
    out['runs'].append(train_none('cnn', 0, splits, 'float32'))
    print(json.dumps(out['runs'][-1]), flush=True)
    with open(sys.argv[1], 'w') as f: json.dump(out, f, indent=1)
    print(json.dumps(out['mapping']), json.dumps(out['backend']))
