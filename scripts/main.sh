#!/usr/bin/env bash
# Quick start, command 1: set everything up, check the data, then run the main job (the `quick` scenario grid).
# Extra arguments go to `digitgan run` (e.g. --profile paper --out results/paper).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
.venv/bin/digitgan data check
if [ $# -eq 0 ]; then set -- --profile quick --out results/quick; fi
.venv/bin/digitgan run "$@"
