"""Make `nbs/data/report_example`, the small results folder the report chapters (24_tables, 25_plots, 26_report,
27_publish) read: a tiny grid (the CNN, no and traditional augmentation, 100 and 300 labels, 2 seeds, one epoch on
500 images, the typed digits as external set), run and published as a bundle. Run it again when the results format
changes; `tests/test_report.py` checks that the committed example has the files and columns a fresh run writes.

    python scripts/make_report_example.py [OUT]
"""
import sys
import tempfile
from pathlib import Path

import yaml

from digitgan.grid import load_grid
from digitgan.publish import publish
from digitgan.run import run_grid

EXAMPLE_GRID = dict(description='report example: cnn x {none, traditional} x 100 / 300 labels, 2 seeds, 1 epoch on '
                                '500 images',
                    models=['cnn'], augments=['none', 'traditional'], seeds=[0, 1], epochs=1, min_steps=0, limit=500,
                    precision='float32', train_size=[100, 300], external=['fonts'])

def example_grid() -> dict:
    "The `quick` grid narrowed to the example's scenarios."
    return {**{k: v for k, v in load_grid('quick').items() if k != 'source'}, **EXAMPLE_GRID}

def make_example(out: Path):
    "Run the example grid in a scratch folder and publish it (without a report) to `out`."
    scratch = Path(tempfile.mkdtemp())
    (scratch / 'grid.yml').write_text(yaml.safe_dump(example_grid()))
    run_grid(str(scratch / 'grid.yml'), scratch / 'results', progress=False)
    publish(scratch / 'results', out, render=False)

if __name__ == '__main__':
    make_example(Path(sys.argv[1] if len(sys.argv) > 1 else 'nbs/data/report_example'))
