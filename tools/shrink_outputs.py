"""Keep committed notebooks small: re-encode PNG outputs above `--max_kb` with a 256-colour palette (figures of grey
images, lines and text lose nothing visible), then at half resolution (repeat until they fit), but never below the width they are shown at (the output's `metadata.image/png.width`, what the retina inline backend
records): a figure shrunk below it would be scaled up on the page and its titles blurred. A figure still too large
at its shown width is reported; make it smaller at the source (fewer pixels, a smaller `figsize`).
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
            shown = o.get('metadata', {}).get('image/png', {}).get('width', 0)
            if png and len(png) * 3 // 4 > a.max_kb * 1024:
                im = Image.open(io.BytesIO(base64.b64decode(png)))
                if im.mode != 'P':
                    buf = io.BytesIO(); im.convert('RGB').quantize(256, method=Image.Quantize.MEDIANCUT).save(buf, 'PNG', optimize=True)
                    if len(buf.getvalue()) < len(png) * 3 // 4:
                        png = base64.b64encode(buf.getvalue()).decode(); o['data']['image/png'] = png; n += 1
            while png and len(png) * 3 // 4 > a.max_kb * 1024:
                im = Image.open(io.BytesIO(base64.b64decode(png)))
                if im.width // 2 < shown:
                    print(f'{path}: a {len(png) * 3 // 4 // 1024} KB figure of cell {c.get("id")} is at its shown width already')
                    break
                im = im.convert('RGB').resize((im.width // 2, im.height // 2), Image.LANCZOS)
                buf = io.BytesIO(); im.save(buf, 'PNG', optimize=True)
                png = base64.b64encode(buf.getvalue()).decode(); o['data']['image/png'] = png; n += 1
    json.dump(nb, open(path, 'w'), indent=1, ensure_ascii=False); open(path, 'a').write('\n')
    print(path, n, 'images shrunk')
