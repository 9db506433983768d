"""What a reader should see, and what JupyterLab needs, in the committed notebooks: the kernelspec that `make lab`
uses (so opening a notebook does not ask for a kernel or rewrite the file), no saved progress bars (tqdm text or
widgets: they render as walls of lines on the site; at most the final line of a text bar is kept), and no widget
state left behind by them. Run after executing notebooks, before `nbdev_clean`:
    python tools/tidy_notebooks.py nbs/*.ipynb"""
import json, re, sys

KERNELSPEC = {'display_name': 'python3', 'language': 'python', 'name': 'python3'}
ANSI = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')
BAR = re.compile(r'\d+%\|.*\|\s*\d+/\d+|\d+/\d+ \[\d\d:\d\d')

def tidy(nb):
    "Add the kernelspec, drop progress-bar outputs; returns the number of outputs changed."
    nb.setdefault('metadata', {})['kernelspec'] = dict(KERNELSPEC)
    nb['metadata'].pop('widgets', None)                  # widget state: the saved progress bars' models
    n = 0
    for c in nb['cells']:
        keep = []
        for o in c.get('outputs', []):
            data = o.get('data', {})
            if 'application/vnd.jupyter.widget-view+json' in data and BAR.search(''.join(data.get('text/plain', '')) or '0/0 [00:00'):
                n += 1; continue                          # a tqdm.auto widget bar
            if o.get('output_type') == 'stream' and not ANSI.sub('', ''.join(o['text'])).strip():
                n += 1; continue                          # only terminal control codes (a cleared widget line): nothing to read
            if o.get('output_type') == 'stream':
                lines = re.split(r'[\r\n]', ''.join(o['text']))
                bars = [l for l in lines if BAR.search(l)]
                if bars:
                    rest = [l for l in lines if l and not BAR.search(l)]
                    o['text'] = '\n'.join(rest + bars[-1:]) + '\n'; n += 1
            keep.append(o)
        if 'outputs' in c: c['outputs'] = keep
    return n

if __name__ == '__main__':
    for p in sys.argv[1:]:
        nb = json.load(open(p)); n = tidy(nb)
        with open(p, 'w') as f: json.dump(nb, f, indent=1, ensure_ascii=False); f.write('\n')
        print(f'{p}: {n} progress outputs removed or cut to their last line')
