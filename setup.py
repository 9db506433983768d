"Packaging for padis_nb: every field is read from settings.ini (the nbdev 2 convention)."
from configparser import ConfigParser
from pathlib import Path
import setuptools

cfg = ConfigParser(delimiters=['='])
cfg.read('settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']

licenses = {'apache2': ('Apache Software License 2.0', 'OSI Approved :: Apache Software License')}
lic = licenses[cfg['license']]
statuses = ['Planning', 'Pre-Alpha', 'Alpha', 'Beta', 'Production/Stable', 'Mature', 'Inactive']
py_versions = ['3.11', '3.12', '3.13']
min_python = cfg['min_python']
bundled = cfg['lib_path'] + '.bundled'
bundled_pkgs = [bundled] + sorted(f"{bundled}.{'.'.join(d.relative_to('data').parts)}" for d in Path('data').rglob('*')
                                  if d.is_dir() and d.name != '__pycache__')
bundled_files = ['*.safetensors', '*.png', '*.npy', '*.md', '*.jsonl']

setuptools.setup(
    name=cfg['lib_name'],
    version=cfg['version'],
    description=cfg['description'],
    long_description=Path('README.md').read_text(encoding='utf-8') if Path('README.md').exists() else '',
    long_description_content_type='text/markdown',
    author=cfg['author'], author_email=cfg['author_email'],
    license=lic[0], url=cfg['git_url'],
    keywords=cfg['keywords'].split(),
    classifiers=[f'Development Status :: {cfg["status"]} - {statuses[int(cfg["status"])]}',
                 f'Intended Audience :: {cfg["audience"]}', f'License :: {lic[1]}',
                 f'Natural Language :: {cfg["language"]}'] +
                [f'Programming Language :: Python :: {v}' for v in py_versions[py_versions.index(min_python):]],
    # The repository's data/ folder (bundled priors, their logs and README, the anatomy classifier, the demo images) ships
    # inside the wheel as the package `padis_nb.bundled`; `padis_nb.priors.data_path` finds it there, or in data/ itself
    # in an editable install.
    packages=setuptools.find_packages(include=[cfg['lib_path'], cfg['lib_path'] + '.*']) + bundled_pkgs,
    package_dir={bundled: 'data'},
    package_data={pkg: bundled_files for pkg in bundled_pkgs},
    include_package_data=True,
    install_requires=cfg['requirements'].split(),
    extras_require={'dev': cfg['dev_requirements'].split()},
    python_requires='>=' + min_python,
    zip_safe=False,
    entry_points={'console_scripts': cfg['console_scripts'].split(),
                  'nbdev': [f'{cfg["lib_path"]}={cfg["lib_path"]}._modidx:d']},
)
