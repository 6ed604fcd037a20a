"""The package imports in one direction. Measured on the source: every `import` and `from ... import` statement of
every module, at top level or inside a function, read with `ast`."""
import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import digitgan

PKG = Path(digitgan.__file__).parent
# the layers, lowest first: a module may import only modules before it
ORDER = ['core', 'data', 'models', 'augment', 'fixmatch', 'ssgan', 'dann', 'train', 'tune', 'evaluate', 'predict',
         'domains', 'ganrun', 'styles', 'cyclenets', 'cyclegan', 'gan', 'translation', 'cgan', 'dcgan', 'bench',
         'profiling', 'stats', 'questions', 'grid', 'scenario', 'run', 'tables', 'study_tables', 'plots', 'report',
         'publish', 'site', 'commands', 'gan_commands', 'cli']
MAX_LINES = 400  # a module holds one idea; one that grows past this holds several


def imported_modules(path: Path) -> set[str]:
    "The digitgan modules that the module at `path` imports anywhere in its code."
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            mod = ('digitgan.' + (node.module or '')).rstrip('.') if node.level == 1 else (node.module or '')
            if mod == 'digitgan': found |= {a.name for a in node.names if (PKG / f'{a.name}.py').exists()}
            elif mod.startswith('digitgan.'): found.add(mod.split('.')[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split('.')[1] for a in node.names if a.name.startswith('digitgan.')}
    return found - {path.stem}


def import_graph() -> dict[str, set[str]]:
    return {p.stem: imported_modules(p) for p in PKG.glob('*.py') if p.stem not in ('__init__', '_modidx')}


def test_every_module_has_a_layer():
    assert set(import_graph()) == set(ORDER)


def test_import_graph_has_no_cycle():
    try: list(TopologicalSorter(import_graph()).static_order())
    except CycleError as e: raise AssertionError(f'import cycle: {e.args[1]}') from None


def test_modules_import_only_lower_layers():
    upward = [(m, d) for m, deps in import_graph().items() for d in deps if ORDER.index(d) >= ORDER.index(m)]
    assert not upward, f'imports against the layer order: {upward}'


def test_the_graph_is_measured():
    "The parser sees the imports that matter, including those inside functions."
    g = import_graph()
    # bench imports translation in a function
    assert 'train' in g['evaluate'] and 'core' in g['cli'] and 'translation' in g['bench']


def test_modules_are_small():
    long = {p.stem: n for p in PKG.glob('*.py') if p.stem != '_modidx'
            and (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, f'modules over {MAX_LINES} lines: {long}'
