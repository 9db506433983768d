"""Write README.md from nbs/index.ipynb (what `nbdev_readme` does with quarto, which these machines cannot install).

Markdown cells are copied; code cells become ```python blocks; `#|` directive lines and hidden cells are dropped; the
figures of `#| echo: false` cells (a picture without its code) go to index_files/figure-commonmark/, as nbdev_readme's do.
Usage: python tools/make_readme.py
"""
import base64, importlib.util, json
from pathlib import Path

root = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location('build_site', root / 'tools' / 'build_site.py')
build_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_site)
alt_text = build_site.alt_text   # the site's alt text: the sentence that introduces the figure
nb = json.loads((root / 'nbs' / 'index.ipynb').read_text())
parts = []
last_md = ''
for i, cell in enumerate(nb['cells']):
    src = ''.join(cell['source'])
    lines = src.splitlines()
    if cell['cell_type'] == 'code':
        if any(l.strip() in ('#| hide', '#|hide') for l in lines): continue
        if any(l.replace(' ', '') == '#|echo:false' for l in lines):   # a figure without its code: the picture only
            pngs = [o['data']['image/png'] for o in cell.get('outputs', []) if 'image/png' in o.get('data', {})]
            for k, png in enumerate(pngs, 1):   # where nbdev_readme puts them
                f = root / 'index_files' / 'figure-commonmark' / f'cell-{i}-output-{k}.png'
                f.parent.mkdir(parents=True, exist_ok=True)
                f.write_bytes(base64.b64decode(png))
                parts.append(f'![{alt_text(last_md)}]({f.relative_to(root).as_posix()})')
            continue
        code = '\n'.join(l for l in lines if not l.startswith('#|')).strip()
        if code: parts.append(f'```python\n{code}\n```')
    elif cell['cell_type'] == 'markdown':
        if src.startswith('**Runtime:**'): continue   # the notebook's runtime line (tools/notebook_runtimes.py): not the README's
        last_md = src
        if lines and lines[0].startswith('# ') and len(parts) == 0:
            title = lines[0]; rest = [l for l in lines[1:] if l.strip()]
            sub = [l[2:] for l in rest if l.startswith('> ')]
            parts.append(title + ('\n\n' + ' '.join(sub) if sub else ''))
        else: parts.append(src)
import re
readme_links = lambda s: re.sub(r'\]\((\w+)\.ipynb\)', r'](nbs/\1.ipynb)', s)   # notebook links point into nbs/ from the README
readme = '<!-- generated from nbs/index.ipynb by tools/make_readme.py; edit the notebook, not this file -->\n\n' + '\n\n'.join(parts) + '\n'
(root / 'README.md').write_text(readme_links(readme))
print('wrote README.md')
