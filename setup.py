"""Install digitgan from the metadata in settings.ini (the nbdev 2.x convention)."""
from configparser import ConfigParser
from pathlib import Path

import setuptools

cfg = ConfigParser(delimiters=['='])
cfg.read(Path(__file__).parent / 'settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']

statuses = ['Planning', 'Pre-Alpha', 'Alpha', 'Beta', 'Production/Stable', 'Mature', 'Inactive']
py_versions = ['3.10', '3.11', '3.12']
min_python = cfg['min_python']
readme = Path(__file__).parent / 'README.md'

setuptools.setup(
    name=cfg['lib_name'],
    version=cfg['version'],
    description=cfg['description'],
    long_description=readme.read_text(encoding='utf-8') if readme.exists() else '',
    long_description_content_type='text/markdown',
    author=cfg['author'],
    author_email=cfg['author_email'],
    license='Apache-2.0',  # SPDX expression (setuptools deprecates licence classifiers)
    url=cfg['git_url'],
    keywords=cfg['keywords'].split(),
    classifiers=[
        f"Development Status :: {cfg['status']} - {statuses[int(cfg['status'])]}",
        f"Intended Audience :: {cfg['audience']}",
        f"Natural Language :: {cfg['language']}",
    ] + [f'Programming Language :: Python :: {v}' for v in py_versions[py_versions.index(min_python):]],
    packages=setuptools.find_packages(include=['digitgan', 'digitgan.*']),
    package_dir={'': '.'},  # a simple layout: the editable install is a plain .pth file (no setuptools notice)
    package_data={'digitgan': ['mnist/*.gz', 'mnist/*.md', 'scenarios/*.yml', 'scenarios/*.json']},
    include_package_data=False,  # the data is exactly package_data: MNIST files and scenario grids, not subpackages
    python_requires=f'>={min_python}',
    install_requires=cfg['requirements'].split(),
    extras_require={'dev': cfg['dev_requirements'].split() + cfg['dask_requirements'].split(),
                    'dask': cfg['dask_requirements'].split()},
    entry_points={
        'console_scripts': cfg['console_scripts'].split(),
        'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"],
        'digitgan.generators': cfg['generators'].split(),  # generators of synthetic digits (`digitgan.gan.GENERATORS`)
    },
    zip_safe=False,
)
