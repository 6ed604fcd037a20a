"""`digitgan data check` as a user runs it: the real console script in a subprocess, on real corrupted copies."""
import gzip
import json

import pytest

from conftest import run_cli
from digitgan.data import FILES

TRAIN_COUNTS = '5923 6742 5958 6131 5842 5421 5918 6265 5851 5949'
TEST_COUNTS = '980 1135 1032 1010 982 892 958 1028 974 1009'


def test_data_check_bundled():
    r = run_cli('data', 'check')
    assert r.returncode == 0, r.stderr
    assert 'train  60000 images of 28x28' in r.stdout and 'test   10000 images' in r.stdout
    assert TRAIN_COUNTS in r.stdout and TEST_COUNTS in r.stdout
    assert r.stdout.count('md5 matches the original') == 2


def test_data_check_json(mnist_copy):
    r = run_cli('data', 'check', '--data-dir', mnist_copy, '--json')
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report['train']['count'] == 60000 and report['test']['count'] == 10000


def _rewrite(path, edit):
    "Decompress `path`, apply `edit` to its bytes, write it back gzipped."
    path.write_bytes(gzip.compress(edit(gzip.decompress(path.read_bytes()))))


def _relabel(n):
    def edit(raw):
        b = bytearray(raw[:-1]); b[4:8] = n.to_bytes(4, 'big'); return bytes(b)
    return edit


CORRUPTIONS = {
    'wrong magic': ('train_images', lambda p: _rewrite(p, lambda b: (2049).to_bytes(4, 'big') + b[4:]),
                    'wrong magic number 2049 (expected 2051 for images)'),
    'truncated': ('train_images', lambda p: _rewrite(p, lambda b: b[:16 + 1200]),
                  'truncated: expected 47040000 bytes of pixels, got 1200'),
    'extra bytes': ('test_images', lambda p: _rewrite(p, lambda b: b + b'\0' * 7),
                    'trailing bytes: expected 7840000 bytes of pixels, got 7840007'),
    'mismatched counts': ('test_labels', lambda p: _rewrite(p, _relabel(9999)),
                          '9999 labels but t10k-images-idx3-ubyte.gz has 10000 images'),
    'label 11': ('train_labels', lambda p: _rewrite(p, lambda b: b[:8] + bytes([11]) + b[9:]),
                 'label 11 at index 0 is outside 0-9'),
    'garbage': ('test_labels', lambda p: p.write_bytes(b'this is not gzip at all'), 'not a gzip file'),
    'corrupt gzip': ('train_labels', lambda p: p.write_bytes(p.read_bytes()[:5000]), 'corrupt gzip data'),
    'empty': ('test_images', lambda p: p.write_bytes(b''), 'empty file'),
    'missing': ('train_labels', lambda p: p.unlink(), 'file not found'),
}


@pytest.mark.parametrize('case', CORRUPTIONS)
def test_data_check_corruption(mnist_copy, case):
    key, corrupt, message = CORRUPTIONS[case]
    path = mnist_copy / FILES[key]
    corrupt(path)
    r = run_cli('data', 'check', '--data-dir', mnist_copy)
    assert r.returncode == 2
    assert r.stderr.count('\n') == 1, r.stderr  # one line, no traceback
    assert FILES[key] in r.stderr and message in r.stderr, r.stderr
    assert 'Traceback' not in r.stderr


def test_mismatched_counts_survive_no_verify(mnist_copy):
    _rewrite(mnist_copy / FILES['test_labels'], _relabel(9999))
    r = run_cli('data', 'check', '--data-dir', mnist_copy, '--no-verify')
    assert r.returncode == 2 and '9999 labels' in r.stderr


def test_missing_data_dir(tmp_path):
    r = run_cli('data', 'check', '--data-dir', tmp_path / 'nope')
    assert r.returncode == 2 and 'nope: data directory not found' in r.stderr
