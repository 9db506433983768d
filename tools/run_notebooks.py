"""Execute notebooks in place with nbdev's own engine (execnb), slow cells included, so the committed notebooks carry
their figures for the site. Usage: python tools/run_notebooks.py nbs/10_ct_tutorial.ipynb [...]  (then nbdev_clean)"""
import os, sys, time
os.environ.setdefault("TQDM_DISABLE", "1")   # progress bars are for people at a terminal, not for saved outputs
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

for p in map(Path, sys.argv[1:]):
    t = time.time(); cwd = os.getcwd(); os.chdir(p.parent)
    try:
        nb = read_nb(p.name)
        sh = CaptureShell()
        sh.run_all(nb, exc_stop=True)
        write_nb(nb, p.name)
    finally: os.chdir(cwd)
    print(f'{p}: {time.time() - t:.0f} s, {p.stat().st_size // 1024} KB', flush=True)
