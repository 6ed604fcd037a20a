#!/usr/bin/env bash
# Quick start, command 2: set everything up, then run the whole test suite (notebooks, then pytest); CI runs this.
#   bash scripts/test.sh          the whole suite
#   bash scripts/test.sh --fast   the edit-test loop: the unit-level notebooks, and the tests not marked slow
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DIGITGAN_NB_SIZE=${DIGITGAN_NB_SIZE:-2000} TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
if [ "${1:-}" = "--fast" ]; then
  shift
  # chapters whose checks train nothing bigger than a few hundred digits for a few steps
  fast='^(00_core|01_data|02_models|03_augment|04a_tune|06_predict|11_stats|11a_questions|12_grid|14_site)\.ipynb$'
  .venv/bin/nbdev_test --n_workers 2 --timing --file_re "$fast"
  exec .venv/bin/python -m pytest -q -m 'not slow' tests "$@"
fi
.venv/bin/nbdev_test --n_workers 2 --timing
.venv/bin/python -m pytest -q tests "$@"
