"""Shared fixtures: a private copy of the MNIST files that a test may corrupt."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digitgan.data import BUNDLED_DIR, FILES


@pytest.fixture
def mnist_copy(tmp_path):
    "A temp folder holding copies of the four original files."
    for name in FILES.values():
        shutil.copy(BUNDLED_DIR / name, tmp_path / name)
    return tmp_path


def run_cli(*args, env=None, timeout=600, cwd=None):
    "Run the installed `digitgan` console script as a user would (in `cwd`); returns the CompletedProcess."
    exe = Path(sys.executable).with_name('digitgan')
    full_env = {**os.environ, 'TF_CPP_MIN_LOG_LEVEL': '2', **(env or {})}
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, env=full_env, timeout=timeout,
                          cwd=cwd)
