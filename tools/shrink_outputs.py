"""Keep committed notebooks small: re-encode PNG outputs above `--max_kb` at half resolution (repeat until they fit).
Usage: python tools/shrink_outputs.py nbs/10_ct_tutorial.ipynb [--max_kb 250]"""
import argparse, base64, io, json
from PIL import Image

ap = argparse.ArgumentParser(); ap.add_argument('nbs', nargs='+'); ap.add_argument('--max_kb', type=int, default=250)
a = ap.parse_args()
for path in a.nbs:
    nb = json.load(open(path)); n = 0
    for c in nb['cells']:
        for o in c.get('outputs', []):
            png = o.get('data', {}).get('image/png')
            while png and len(png) * 3 // 4 > a.max_kb * 1024:
                im = Image.open(io.BytesIO(base64.b64decode(png)))
                im = im.resize((im.width // 2, im.height // 2), Image.LANCZOS)
                buf = io.BytesIO(); im.save(buf, 'PNG', optimize=True)
                png = base64.b64encode(buf.getvalue()).decode(); o['data']['image/png'] = png; n += 1
    json.dump(nb, open(path, 'w'), indent=1, ensure_ascii=False); open(path, 'a').write('\n')
    print(path, n, 'images shrunk')
