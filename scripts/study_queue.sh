#!/usr/bin/env bash
# The low-data study (lowdata v2) and the grids that build on it, one after another, each resuming where it stopped:
#   lowdata (230 scenarios) -> dilution (35) -> cyclegan_steps (30) -> paper (48),
# the last three copying lowdata's finished runs and generators (`--reuse`) instead of training them again.
# A grid that ends with failed scenarios stops the queue (its exit status is the number failed).
#
#   bash scripts/study_queue.sh [RESULTS_ROOT [OPTION ...]]   # default root: results/ of this checkout
#   bash scripts/study_queue.sh results --dry-run              # each grid's plan: what is left, and how long
#
# Options after the root go to every `digitgan run`. The code that runs is this checkout's (run it from a worktree to
# keep editing the main one); rerun to resume.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(mkdir -p "${1:-$here/results}" && cd "${1:-$here/results}" && pwd)
python=${DIGITGAN_PYTHON:-$here/.venv/bin/python}
export PYTHONPATH=$here TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-3}

options=("${@:2}")

grid() {  # grid PROFILE OUT [extra options]
  echo "$(date -u '+%F %T') $1 -> $root/$2"
  # from outside the checkout, so that Python imports the package of PYTHONPATH, not one in the working directory
  (cd / && "$python" -c 'import sys, digitgan.cli; sys.exit(digitgan.cli.main(sys.argv[1:]))' run \
    --profile "$here/digitgan/scenarios/$1.yml" --out "$root/$2" --executor dask --workers 2 --quiet --no-report \
    "${@:3}" "${options[@]}")
}

grid lowdata lowdata-v2
grid dilution dilution --reuse "$root/lowdata-v2"
grid cyclegan_steps cyclegan-steps --reuse "$root/lowdata-v2"
grid paper paper-v2 --reuse "$root/lowdata-v2"
echo "$(date -u '+%F %T') all four grids finished"
