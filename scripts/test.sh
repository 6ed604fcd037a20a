#!/usr/bin/env bash
# Quick start, command 2: set everything up, then run the whole test suite (notebooks, then pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DIGITGAN_NB_SIZE=${DIGITGAN_NB_SIZE:-2000} TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
.venv/bin/nbdev_test --n_workers 2 --timing
.venv/bin/python -m pytest -q tests "$@"
