"""The figures a study's closing note gives, read from its results folder or bundle alone (and an earlier version's):
the headline table with each budget's detectable gain (also as the README's markdown), the answers to the questions
its grid fixed in advance, every cell that moved beyond its interval since the earlier version, the settings its runs
tuned per budget, each generator's quality and label noise per budget, and the compute it used. Nothing is computed
here that the report does not compute; it prints the same tables as text.

    .venv/bin/python scripts/study_summary.py published/lowdata [published/lowdata-v1]
"""
import os
import sys

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
import pandas as pd  # noqa: E402

from digitgan.data import labelled_count  # noqa: E402
from digitgan.publish import compute_seconds  # noqa: E402
from digitgan.stats import quality_by_budget, tuned_settings  # noqa: E402
from digitgan.tables import answers_table, budget_names, budget_table, load_results, version_changes  # noqa: E402


def section(title: str, table: pd.DataFrame, index: bool = False):
    print(f'\n## {title}\n')
    print(table.to_string(index=index) if len(table) else '(none)')


def named_budgets(table: pd.DataFrame) -> pd.DataFrame:
    "`table` with its budgets named as the report names them (`tables.budget_names`: 'full split' for 0)."
    return table.assign(train_size=budget_names(table['train_size'])) if len(table) else table  # none: no columns


def readme_table(accuracy: pd.DataFrame) -> str:
    """The headline table as the README prints it (`tests/test_docs.py` checks each cell against the bundle): no
    augmentation and traditional first, then each generator, then each generator with traditional; a dash where a
    budget has no such arm."""
    gain = [c for c in accuracy if c == 'detectable gain pp']
    first = [c for c in ('none', 'traditional') if c in accuracy]
    rest = sorted((c for c in accuracy if c not in first + gain), key=lambda c: ('+' in c, c))
    columns = first + rest + gain
    label = lambda n: f'{n:,} (all)' if n == labelled_count() else f'{n:,}'  # the full training split
    cells = accuracy[columns].fillna('–').replace('', '–')  # no such arm at that budget
    lines = ['| model | labelled images | ' + ' | '.join(columns) + ' |', '|---' * (len(columns) + 2) + '|']
    lines += [f'| {model} | {label(n)} | ' + ' | '.join(row) + ' |' for (model, n), row in cells.iterrows()]
    return '\n'.join(lines)


def main(new: str, old: str | None = None) -> int:
    res = load_results(new)
    accuracy = budget_table(res.summary, comparisons=res.comparisons)
    section('Test accuracy % per budget, mean [95% CI]; the gain detectable at 80% power', accuracy, index=True)
    print(f'\nAs markdown, for the README:\n\n{readme_table(accuracy)}')
    answers = res.dir / 'answers.csv'
    if answers.exists(): section('The questions fixed in advance', answers_table(pd.read_csv(answers)))
    if old:
        changes = version_changes(load_results(old), res)
        section(f'Cells that moved beyond their interval since {old}', changes[changes['moved']])
        print(f"({int(changes['moved'].sum())} of {len(changes)} cells moved)")
    section('Settings tuned per run (runs choosing each)', named_budgets(tuned_settings(res.ok)))
    section('Generators per budget: CAS, label noise (1 - oracle agreement), Frechet distance',
            named_budgets(quality_by_budget(res.qualities).round(4)))
    cost = compute_seconds(res.dir)
    hours = (cost['scenarios_seconds'] + cost['generators_seconds']) / 3600
    print(f"\nCompute: {hours:.2f} h ({cost['scenarios_seconds'] / 3600:.2f} h of scenarios, "
          f"{cost['generators_seconds'] / 3600:.2f} h of generator runs), {len(res.ok)} of {len(res.table)} runs done")
    return 0


if __name__ == '__main__':
    if not 2 <= len(sys.argv) <= 3:
        print('usage: study_summary.py RESULTS [EARLIER_RESULTS]', file=sys.stderr); sys.exit(2)
    try: sys.exit(main(*sys.argv[1:]))
    except ValueError as e: print(e, file=sys.stderr); sys.exit(2)
