"""The data layer: resolver, strict IDX reader, splits and preprocessing."""
import gzip

import numpy as np
import pytest

from digitgan.data import (BUNDLED_DIR, FILES, DataError, check, data_dir, load_mnist, make_splits, nb_size,
                           preprocess, read_idx)

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture(scope='module')
def mnist():
    return load_mnist()


def test_load_mnist_shapes_and_counts(mnist):
    assert mnist.x_train.shape == (60000, 28, 28) and mnist.x_train.dtype == np.uint8
    assert mnist.x_test.shape == (10000, 28, 28)
    assert np.bincount(mnist.y_train).tolist() == TRAIN_COUNTS
    assert np.bincount(mnist.y_test).tolist() == TEST_COUNTS
    assert round(float(mnist.x_test.astype(np.float64).std()), 5) == 79.17246


def test_resolver_order(tmp_path, monkeypatch):
    monkeypatch.delenv('DIGITGAN_DATA_DIR', raising=False)
    assert data_dir() == BUNDLED_DIR
    monkeypatch.setenv('DIGITGAN_DATA_DIR', str(tmp_path))
    assert data_dir() == tmp_path
    assert data_dir(BUNDLED_DIR) == BUNDLED_DIR


def test_env_data_dir_is_used(mnist_copy, monkeypatch):
    (mnist_copy / FILES['test_labels']).unlink()
    monkeypatch.setenv('DIGITGAN_DATA_DIR', str(mnist_copy))
    with pytest.raises(DataError, match='t10k-labels-idx1-ubyte.gz: file not found'):
        load_mnist()


def test_raw_uncompressed_files_work(mnist_copy):
    for name in FILES.values():
        gz = mnist_copy / name
        gz.with_suffix('').write_bytes(gzip.decompress(gz.read_bytes()))
        gz.unlink()
    assert check(mnist_copy)['train']['label_counts'] == TRAIN_COUNTS


def test_verify_false_accepts_own_data(mnist_copy):
    path = mnist_copy / FILES['test_images']
    raw = bytearray(gzip.decompress(path.read_bytes()))
    raw[-1] ^= 0xFF
    path.write_bytes(gzip.compress(bytes(raw)))
    with pytest.raises(DataError, match='md5'):
        read_idx(path, 'images')
    assert read_idx(path, 'images', verify=False).shape == (10000, 28, 28)


def test_splits_are_disjoint_stratified_and_deterministic(mnist):
    s = make_splits(mnist)
    assert (len(s.y_train), len(s.y_val), len(s.y_test)) == (55000, 5000, 10000)
    assert np.abs(np.bincount(s.y_val) / 5000 - np.bincount(mnist.y_train) / 60000).max() < 0.001
    assert np.array_equal(make_splits(mnist).x_val, s.x_val)
    assert np.array_equal(s.x_test, mnist.x_test)  # the test set is the official one, untouched
    low = make_splits(mnist, train_fraction=0.05)
    assert len(low.y_train) == 2750 and np.array_equal(low.x_val, s.x_val)


@pytest.mark.parametrize('fraction', [0, -0.1, 1.5])
def test_bad_fraction(mnist, fraction):
    with pytest.raises(ValueError, match='train_fraction'):
        make_splits(mnist, train_fraction=fraction)


def test_preprocess_matches_paper():
    x = np.array([[[0, 255] * 14] * 28], np.uint8)
    xf, yf = preprocess(x, np.array([3]))
    assert xf.shape == (1, 28, 28, 1) and xf.dtype == np.float32
    assert xf.min() == 0.0 and xf.max() == 1.0
    assert yf.tolist() == [[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]]


def test_nb_size(monkeypatch):
    monkeypatch.setenv('DIGITGAN_NB_SIZE', '0')
    assert nb_size() is None
    monkeypatch.setenv('DIGITGAN_NB_SIZE', '300')
    assert nb_size() == 300
    monkeypatch.setenv('DIGITGAN_NB_SIZE', 'lots')
    with pytest.raises(ValueError, match='DIGITGAN_NB_SIZE'):
        nb_size()
