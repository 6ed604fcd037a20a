"""Write README.md into nbs/index.ipynb, the docs site's home page (nbdev's `readme_nb`).

nbdev normally goes the other way (`nbdev_readme` renders index.ipynb to README.md) but that needs Quarto, which our
machines lack; so README.md is the source and tests/test_docs.py checks the two agree.
"""
import re
from pathlib import Path

import nbformat

root = Path(__file__).resolve().parent.parent
text = (root / 'README.md').read_text(encoding='utf-8')
# one cell per section: nbdev reads the first markdown cell's `- key: value` lines as front matter, so the title
# and the introduction stand alone
sections = re.split(r'(?m)^(?=## )', text)
cells = [nbformat.v4.new_markdown_cell(section, id=f'readme-{i}') for i, section in enumerate(sections)]
nb = nbformat.v4.new_notebook(cells=cells)
nb.metadata = {'kernelspec': {'display_name': 'python3', 'language': 'python', 'name': 'python3'}}
nbformat.write(nb, root / 'nbs' / 'index.ipynb')
