"""The documentation: README and the docs site's home page agree; every notebook the README names exists; the published
reports of the budget-honest protocol print accuracy intervals inside [0, 100]."""
import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def test_index_notebook_is_the_readme():
    nb = nbformat.read(ROOT / 'nbs' / 'index.ipynb', as_version=4)
    text = ''.join(c.source for c in nb.cells if c.cell_type == 'markdown')
    assert text == (ROOT / 'README.md').read_text(encoding='utf-8'), 'run: python scripts/readme_to_index.py'


def test_readme_names_existing_notebooks_and_modules():
    readme = (ROOT / 'README.md').read_text(encoding='utf-8')
    for nb in re.findall(r'`(\d\d\w*_\w+\.ipynb)`', readme):
        assert (ROOT / 'nbs' / nb).exists(), nb
    for mod in re.findall(r'`digitgan\.(\w+)`', readme):
        assert (ROOT / 'digitgan' / f'{mod}.py').exists(), mod
    for nb in (ROOT / 'nbs').glob('[0-9][0-9]*_*.ipynb'):
        assert f'`{nb.name}`' in readme, f'README tour does not mention {nb.name}'


def test_quarto_config_lists_existing_pages():
    import yaml
    cfg = yaml.safe_load((ROOT / '_quarto.yml').read_text())
    pages = cfg['project']['render']
    for page in pages:
        assert (ROOT / page).exists(), page
    for nb in (ROOT / 'nbs').glob('[0-9][0-9]*_*.ipynb'):
        assert f'nbs/{nb.name}' in pages, f'_quarto.yml does not render {nb.name}'


def test_quarto_sidebar_is_the_fallback_sites():
    "Quarto's sidebar and `digitgan docs` list the same chapters in the same order, and the same published reports."
    import yaml
    from digitgan.site import chapters, published_reports
    sections = yaml.safe_load((ROOT / '_quarto.yml').read_text())['website']['sidebar']['contents']
    by_name = {s['section']: s['contents'] for s in sections if isinstance(s, dict)}
    assert by_name['Library'] == [p for p, _ in chapters(ROOT)]
    results = [e['href'] for e in by_name['Results']]
    assert results == [p for p, _ in published_reports(ROOT)], 'list every published/NAME/report in _quarto.yml'


def test_notebooks_carry_their_outputs():
    "A chapter of the site shows what its code printed and drew: every notebook is committed executed"
    " (scripts/refresh_outputs.py), except for cells nbdev_test skips too."
    import sys
    sys.path.insert(0, str(ROOT / 'scripts'))
    from refresh_outputs import skipped
    for path in sorted((ROOT / 'nbs').glob('[0-9][0-9]*_*.ipynb')):
        nb = nbformat.read(path, as_version=4)
        run = [c for c in nb.cells if not skipped(c, {'slow'}) and not c.source.lstrip().startswith('#| export')]
        shown = [c for c in run if c.outputs]
        assert not run or shown, f'{path.name}: committed without outputs (run scripts/refresh_outputs.py {path.name})'


def markdown_table(text: str, header: str) -> tuple[list[str], list[list[str]]]:
    "The column names and rows of the first markdown table of `text` whose header line starts with `header`."
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    cells = [[c.strip() for c in line.strip().strip('|').split('|')] for line in lines[start:]]
    end = next((i for i, line in enumerate(lines[start:]) if not line.startswith('|')), len(cells))
    return cells[0], cells[2:end]


def test_readme_low_data_table_is_the_published_bundles():
    "What we found: every cell of the README's low-data table is the one the bundle's statistics give."
    from digitgan.tables import budget_table, load_results
    readme = (ROOT / 'README.md').read_text(encoding='utf-8')
    columns, rows = markdown_table(readme, '| model | labelled images | none |')
    res = load_results(ROOT / 'published' / 'lowdata')
    table = budget_table(res.summary, comparisons=res.comparisons).fillna('–').replace('', '–')  # no such arm
    assert len(rows) == len(table), 'a model and budget of the bundle missing from the README, or one too many'
    for model, labels, *cells in rows:
        budget = int(labels.split()[0].replace(',', ''))
        assert dict(zip(columns[2:], cells)) == table.loc[(model, budget), columns[2:]].to_dict(), (model, labels)


def test_readme_paper_table_is_the_published_bundles():
    "The paper's setting: each row of the README's table (accuracy, interval, macro-F1, verdict) is the bundle's."
    from digitgan.tables import headline_table, load_results
    readme = (ROOT / 'README.md').read_text(encoding='utf-8')
    _, rows = markdown_table(readme, '| model | augmentation | test accuracy, mean [95% CI] |')
    table = headline_table(load_results(ROOT / 'published' / 'paper')).set_index(['model', 'augmentation'])
    assert len(rows) == len(table)
    for model, augmentation, accuracy, f1, verdict, _ in rows:
        ours = table.loc[(model, augmentation)]
        assert (accuracy, f1, verdict) == (f"{ours['test accuracy %']:.2f}% {ours['95% CI']}",
                                           f"{ours['macro-F1']:.4f}", ours['vs none']), (model, augmentation)


def test_budget_honest_reports_print_accuracy_intervals_inside_0_100():
    """Every published study of the budget-honest protocol (`validation: budget` in every row) prints its accuracy
    intervals inside [0, 100]: taken on the logit scale, they cannot leave it (v1 printed `[65.20, 105.20]`)."""
    import pandas as pd
    studies = [d for d in sorted((ROOT / 'published').glob('*')) if (d / 'report' / 'index.html').exists()
               and set(pd.read_csv(d / 'results.csv', usecols=lambda c: c == 'validation').get('validation', [])) ==
               {'budget'}]
    assert studies, 'no published budget-honest study with a report'
    for study in studies:
        pages = {p.name: p.read_text(encoding='utf-8') for p in (study / 'report').glob('*.html')}
        # accuracies: unsigned with two decimals (gains in pp print a sign; shares of a gap closed, whole percents)
        intervals = [(name, float(low), float(high)) for name, text in pages.items()
                     for low, high in re.findall(r'\[(\d+\.\d\d), (\d+\.\d\d)\]', text)]
        assert intervals, f'{study.name}: no interval found on its pages'
        outside = [i for i in intervals if not 0 <= i[1] <= i[2] <= 100]
        assert not outside, f'{study.name}: {outside[:5]}'
