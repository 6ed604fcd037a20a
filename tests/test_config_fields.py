"""Every config option lives in one place: each field is settable from the CLI, a grid file and the experiment
notebook's parameters, and recorded in config.json."""
import dataclasses
import json

import pytest
import yaml

from digitgan.cli import build_parser, chosen_command
from digitgan.core import RunDir
from digitgan.cgan import CGANConfig
from digitgan.cyclegan import CycleGANConfig
from digitgan.dcgan import DCGANConfig
from digitgan.gan import QualityConfig
from digitgan.grid import expand, load_grid
from digitgan.train import TrainConfig

# a valid non-default value per field (the test fails when a field is added without one: add it here)
TRAIN_VALUES = {'model': 'cnn_bilstm', 'augment': 'traditional', 'epochs': 3, 'min_steps': 0, 'batch_size': 64,
                'learning_rate': 0.001,
                'schedule': 'constant', 'seed': 7, 'train_fraction': 0.5, 'val_size': 4000, 'limit': 300,
                'precision': 'mixed_bfloat16', 'synth': 'x.npz', 'synthetic_ratio': 0.5, 'min_confidence': 0.9,
                'augment_options': {'rotation_deg': 5.0}, 'budget': 'epochs', 'train_size': 200, 'strength': 0.5,
                'probability': 0.5, 'validation': 'fixed', 'tune': {'strength': [0.5, 1]}, 'tune_folds': 4,
                'tune_min_steps': 100, 'method': 'fixmatch', 'unlabelled': 'all', 'unlabelled_ratio': 3,
                'pseudo_label_threshold': 0.9, 'unlabelled_weight': 0.5, 'weak_strength': 0.5, 'strong_strength': 1.5,
                'target': 'uci', 'labels_from': 'target', 'tune_max_steps': 800, 'optimizer': 'adam',
                'tune_synth': 'folds'}
GAN_VALUES = {'domains': 'slant', 'steps': 20, 'batch_size': 8, 'gen_filters': 4, 'res_blocks': 1, 'disc_filters': 4,
              'learning_rate': 1e-3, 'beta_1': 0.6, 'lambda_cycle': 5.0, 'lambda_identity': 0.2, 'semantic_weight': 0.0,
              'noise_dim': 4, 'lambda_latent': 2.0, 'pool_size': 10, 'seed': 3, 'train_fraction': 0.5, 'limit': 300,
              'reference_epochs': 2,
              'reference_min_steps': 50, 'sample_every': 5, 'checkpoint_every': 5, 'log_every': 2, 'train_size': 200,
              'subset_seed': 2, 'data': 'pool', 'target': 'uci', 'fold': 2, 'tune_folds': 4}
CGAN_VALUES = {'steps': 20, 'batch_size': 8, 'latent_dim': 8, 'gen_filters': 4, 'disc_filters': 4,
               'learning_rate': 1e-3,
               'beta_1': 0.6, 'diffaugment': 'on', 'diffaugment_below': 500, 'diffaugment_policy': 'translation',
               'seed': 3, 'train_fraction': 0.5, 'limit': 300,
               'reference_epochs': 2, 'reference_min_steps': 50, 'sample_every': 5, 'checkpoint_every': 5,
               'log_every': 2, 'train_size': 200, 'subset_seed': 2,
               'synthetic_pool': 4, 'data': 'pool', 'fold': 2, 'tune_folds': 4}
DCGAN_VALUES = {**CGAN_VALUES, 'min_confidence': 0.5}
QUALITY_VALUES = {'tau': 0.8, 'novelty_samples': 200, 'cas_images': 500, 'cas_epochs': 2}
GENERATOR_VALUES = {'cyclegan': (CycleGANConfig, GAN_VALUES), 'cgan': (CGANConfig, CGAN_VALUES),
                    'dcgan': (DCGANConfig, DCGAN_VALUES)}


# a generator trains on its scenario's training set (and translates to its target)
SHARED = ('train_fraction', 'limit', 'train_size', 'subset_seed', 'target')


def test_every_field_has_a_test_value():
    assert set(TRAIN_VALUES) == {f.name for f in dataclasses.fields(TrainConfig)}
    for cls, values in GENERATOR_VALUES.values(): assert set(values) == {f.name for f in dataclasses.fields(cls)}, cls
    assert set(QUALITY_VALUES) == {f.name for f in dataclasses.fields(QualityConfig)}


def cli_value(v):
    return json.dumps(v) if isinstance(v, dict) else str(v)


@pytest.mark.parametrize('words, cls, values, group', [
    (['train'], TrainConfig, TRAIN_VALUES, 'options0'), (['cyclegan', 'train'], CycleGANConfig, GAN_VALUES, 'options0'),
    *[(['gan', 'train', '--generator', g], cls, values, 'options1') for g, (cls, values) in GENERATOR_VALUES.items()],
    *[([*words, 'RUN'], QualityConfig, QUALITY_VALUES, 'options1') for words in (['gan', 'evaluate'],
                                                                               ['cyclegan', 'evaluate'])]])
def test_every_field_from_the_cli(words, cls, values, group):
    for name, value in values.items():
        argv = [*words, '--out', 'o', '--' + name.replace('_', '-'), cli_value(value)]
        args = build_parser(chosen_command(argv), argv).parse_args(argv)
        assert getattr(getattr(args, group), name) == value, name
        assert getattr(args, group) == dataclasses.replace(cls(), **{name: value}), name


def test_every_field_from_a_grid(tmp_path):
    for name, value in TRAIN_VALUES.items():
        if name in ('synth', 'synthetic_ratio', 'min_confidence'): grid = {'augment': 'cyclegan', name: value}
        elif name in ('strength', 'probability', 'tune'): grid = {'augment': 'traditional', name: value}
        elif name in ('method', 'unlabelled'): grid = {'method': 'fixmatch', 'unlabelled': 'all', name: [value]}
        elif name == 'labels_from': grid = {'target': 'uci', name: [value]}
        elif name == 'optimizer': grid = {'method': 'dann', 'target': 'uci', name: [value]}  # dann's own, replaced
        elif name == 'augment_options': grid = {'augment': 'traditional', name: [value]}  # options of that augmenter
        elif name == 'tune_synth': grid = {'augment': 'cgan', 'train_size': 200, name: [value]}  # a budget's folds
        else: grid = {name: [value]}  # a list of one value to cross
        path = tmp_path / 'g.yml'; path.write_text(yaml.safe_dump(grid))
        (scenario,) = expand(load_grid(str(path)))
        assert getattr(scenario.train, name) == value, name
    for generator, (cls, values) in GENERATOR_VALUES.items():
        for name, value in values.items():
            budget = {'train_size': 200} if name == 'fold' else {}  # a fold is one of a label budget's
            path = tmp_path / 'g.yml'
            path.write_text(yaml.safe_dump({'augment': generator, **budget, generator: {name: value}}))
            (scenario,) = expand(load_grid(str(path)))
            expected = value if name not in SHARED else getattr(scenario.train, name)  # from the scenario
            assert (scenario.generator, getattr(scenario.generator_config, name)) == (generator, expected), name
    for name, value in QUALITY_VALUES.items():  # the settings its generator's quality suite is measured with
        path = tmp_path / 'g.yml'; path.write_text(yaml.safe_dump({'augment': 'cgan', 'quality': {name: value}}))
        (scenario,) = expand(load_grid(str(path)))
        assert scenario.quality == dataclasses.replace(QualityConfig(), **{name: value}), name


def test_every_field_from_the_notebook_parameters():
    "The experiment notebook's `config` parameter takes any field; its old one-name parameters still override."
    import nbformat
    from digitgan.scenario import experiment_notebook
    cells = nbformat.read(experiment_notebook(), as_version=4).cells
    build = next(c.source for c in cells if 'TrainConfig.from_dict(options)' in c.source)
    build = build.replace('.validate()', '')  # the synth file of the test values does not exist
    ns = {'config': dict(TRAIN_VALUES), 'cyclegan_ckpt': '', 'threads': 0, 'out_dir': 'x'}
    exec(build, ns)
    assert ns['config'] == TrainConfig(**TRAIN_VALUES)
    ns = {'config': {'epochs': 1, 'min_steps': 0}, 'cyclegan_ckpt': '', 'threads': 0, 'out_dir': 'x',
          'model': 'cnn_bilstm'}
    exec(build.replace("config = TrainConfig", "config = TrainConfig"), ns)
    assert ns['config'].model == 'cnn_bilstm' and ns['config'].epochs == 1


@pytest.mark.parametrize('cls, values', [(TrainConfig, TRAIN_VALUES), *GENERATOR_VALUES.values()])
def test_every_field_recorded_in_config_json(tmp_path, cls, values):
    config = cls(**values)
    RunDir(tmp_path).claim(config)
    saved = json.loads((tmp_path / 'config.json').read_text())['config']
    assert saved == dataclasses.asdict(config) and cls.from_dict(saved) == config
