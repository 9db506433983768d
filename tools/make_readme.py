"""Write README.md from nbs/index.ipynb (what `nbdev_readme` does with quarto, which these machines cannot install).

Markdown cells are copied; code cells become ```python blocks; `#|` directive lines and hidden cells are dropped.
Usage: python tools/make_readme.py
"""
import json
from pathlib import Path

root = Path(__file__).resolve().parents[1]
nb = json.loads((root / 'nbs' / 'index.ipynb').read_text())
parts = []
for cell in nb['cells']:
    src = ''.join(cell['source'])
    lines = src.splitlines()
    if cell['cell_type'] == 'code':
        if any(l.strip() in ('#| hide', '#|hide') for l in lines): continue
        code = '\n'.join(l for l in lines if not l.startswith('#|')).strip()
        if code: parts.append(f'```python\n{code}\n```')
    elif cell['cell_type'] == 'markdown':
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
