"""Execute the notebooks of nbs/ and write their outputs back, so that GitHub and the docs site show them.

    .venv/bin/python scripts/refresh_outputs.py [NOTEBOOK ...]     # default: every notebook of nbs/

Cells run exactly as `nbdev_test` runs them, at the same documented size (`DIGITGAN_NB_SIZE`, default 2000 images per
split): a cell marked `#| eval: false` or with a flag of settings.ini's `tst_flags` (`#| slow`) is skipped, and keeps
no output. The notebooks seed what they draw and `PYTHONHASHSEED` is fixed, so a refresh without a code change differs
only in what a notebook measures (timings, throughput) and in TensorFlow's few non-deterministic CPU kernels
(`TF_DETERMINISTIC_OPS` is left off: it would slow the kernels that `16_bench` times). Then `nbdev_clean` strips the
metadata.
A notebook that fails keeps its old outputs and the script exits 1, naming it.
"""
import multiprocessing
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from configparser import ConfigParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault('DIGITGAN_NB_SIZE', '2000')
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
os.environ.update(PYTHONHASHSEED='0', IN_TEST='1')


def skipped(cell, flags: set) -> bool:
    "Whether nbdev_test would skip this cell (prose, `#| eval: false`, a test flag, nbdev_export)."
    from nbdev.process import extract_directives
    if cell.cell_type != 'code' or 'nbdev_export' + '(' in cell.source: return True
    directives = extract_directives(cell, remove=False)
    return directives.get('eval:', [''])[0].lower() == 'false' or bool(flags & directives.keys())


def refresh(path: Path) -> str:
    "Run one notebook as nbdev_test does and write it back with its outputs; returns '' or the error."
    from execnb.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    from fastcore.xtras import working_directory
    config = ConfigParser(); config.read(ROOT / 'settings.ini')
    flags = set(config['DEFAULT'].get('tst_flags', '').split())
    nb = read_nb(path)
    for cell in nb.cells:
        if cell.cell_type == 'code': cell.outputs, cell.execution_count = [], None
    shell = CaptureShell(path)
    try:
        with working_directory(path.parent): shell.run_all(nb, exc_stop=True, preproc=lambda c: skipped(c, flags))
    except Exception:
        return shell.prettytb(fname=path)
    write_nb(nb, path)
    return ''


def main(names: list[str]) -> int:
    paths = [ROOT / 'nbs' / n for n in names] or sorted((ROOT / 'nbs').glob('[0-9][0-9]*_*.ipynb'))
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f'refresh_outputs: {missing[0]}: no such notebook', file=sys.stderr); return 2
    # a fresh process per notebook: a notebook's state (and IPython's own __main__) stays out of the next one
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context('spawn'),
                             max_tasks_per_child=1) as pool:
        errors = dict(zip(paths, pool.map(refresh, paths)))
    for path, error in errors.items(): print(f"{path.name}: {'FAILED' if error else 'refreshed'}")
    subprocess.run([str(ROOT / '.venv' / 'bin' / 'nbdev_clean')], cwd=ROOT, check=True)
    failed = [p.name for p, e in errors.items() if e]
    for p, e in errors.items():
        if e: print(e, file=sys.stderr)
    if failed: print(f"refresh_outputs: failed: {', '.join(failed)} (their old outputs are kept)", file=sys.stderr)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
