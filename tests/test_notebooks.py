"The committed notebooks as a reader and JupyterLab meet them: a kernelspec, no saved progress bars, already clean."
import copy, json, re
from pathlib import Path
import pytest

NBS = sorted(Path(__file__).parents[1].glob('nbs/*.ipynb'))
BAR = re.compile(r'\d+/\d+ \[\d\d:\d\d')

@pytest.mark.parametrize('path', NBS, ids=lambda p: p.name)
def test_notebook_has_kernelspec_and_no_progress_bars(path):
    nb = json.loads(path.read_text())
    assert nb['metadata'].get('kernelspec', {}).get('name') == 'python3', f"{path.name}: no python3 kernelspec (run tools/tidy_notebooks.py)"
    bars = sum(len(BAR.findall(''.join(o.get('text', '')) + json.dumps(o.get('data', {}))))
               for c in nb['cells'] for o in c.get('outputs', []))
    assert bars <= 3, f"{path.name}: {bars} saved progress-bar updates (run tools/tidy_notebooks.py)"

@pytest.mark.parametrize('path', NBS, ids=lambda p: p.name)
def test_nbdev_clean_changes_nothing(path):
    "Opening, running and saving a notebook must not leave the repository dirty beyond what nbdev_clean removes."
    from nbdev.clean import clean_nb
    from nbdev.config import get_config
    cfg = get_config()
    nb = json.loads(path.read_text()); before = copy.deepcopy(nb)
    clean_nb(nb, cfg.clear_all, cfg.get('allowed_metadata_keys').split(), cfg.get('allowed_cell_metadata_keys').split(), cfg.clean_ids)
    assert nb == before, f"{path.name} is not clean: run nbdev_clean"

FIGURE = re.compile(r'plt\.subplots\(|show_images\(|\.imshow\(|plt\.figure\(')

@pytest.mark.parametrize('path', NBS, ids=lambda p: p.name)
def test_figures_are_saved(path):
    "A cell on the page that draws a figure (and does not close it) carries the picture, so a reader sees it without running."
    nb = json.loads(path.read_text())
    for c in nb['cells']:
        s = ''.join(c['source'])
        if c['cell_type'] != 'code' or not FIGURE.search(s) or 'plt.close' in s or s.startswith(('#| hide', '#| export')): continue
        if re.match(r'\s*def \w+\(', s) and not re.search(r'^\S', s.split('\n', 1)[-1], re.M): continue   # only defines a function
        pics = [o for o in c.get('outputs', []) if 'image/png' in o.get('data', {})]
        assert pics, f"{path.name}: cell {c.get('id')} draws a figure but has no saved picture (run it and save)"
