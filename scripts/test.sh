#!/usr/bin/env bash
# Quick start, command 2: set everything up, then run the whole test suite (notebooks and pytest); CI runs this.
#   bash scripts/test.sh          the whole suite
#   bash scripts/test.sh --fast   the edit-test loop: the unit-level notebooks, and the tests not marked slow
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DIGITGAN_NB_SIZE=${DIGITGAN_NB_SIZE:-2000} TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
.venv/bin/ruff check .   # the rules are in ruff.toml: unused and undefined names, shadowed builtins, lines over 120
# The notebooks and pytest side by side, pytest on two workers (each test file in one worker, see
# tests/conftest.py): alone, each leaves a core idle about a third of its time.
notebooks=(--n_workers 2 --timing) tests=(-q -n 2 --dist loadfile --durations=25)  # the 25 slowest tests listed
if [ "${1:-}" = "--fast" ]; then
  shift
  # chapters whose checks train nothing bigger than a few hundred digits for a few steps; tests not marked slow
  fast='^(00_core|01_data|02_models|03_augment|07_tune|09_predict|19_stats|20_questions|21_grid|24_tables|24a_study_tables|25_plots|28_site'
  notebooks+=(--file_re "$fast|29_commands)\.ipynb$") tests+=(-m 'not slow')
fi
notebooks_log=$(mktemp)
.venv/bin/nbdev_test "${notebooks[@]}" > "$notebooks_log" 2>&1 & notebooks_pid=$!
status=0
.venv/bin/python -m pytest "${tests[@]}" tests "$@" || status=$?
notebooks_status=0; wait "$notebooks_pid" || notebooks_status=$?
echo "---- notebooks (nbdev_test): exit status $notebooks_status"; grep -v '^[IEW]0000\|^WARNING: All log\|^To enable' \
  "$notebooks_log" || true
rm -f "$notebooks_log"
[ "$status" -eq 0 ] && [ "$notebooks_status" -eq 0 ]
