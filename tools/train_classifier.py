"""Re-make an anatomy classifier behind the generation metrics (padis_nb.anatomy, nbs/09a_anatomy.ipynb): 3000
train-split CT slices, 8 epochs, one CPU thread, a few minutes. By default the bundled 128x128 'v1' one,
data/priors/ct_anatomy_classifier.safetensors; the 64x64 'v2' one (for the lab's ct64 priors) is

    python tools/train_classifier.py --image_size 64 --recipe v2 --noise_outliers 0.25 \
        --out data/priors/ct64_v2_anatomy_classifier.safetensors

(--noise_outliers: without them the 64x64 'v2' classifier recognised 7 in 8 uniform-noise images as slices.)

Usage: python tools/train_classifier.py [--image_size 128] [--recipe v1] [--noise_outliers 0] [--out PATH] [--threads 1]
"""
import argparse, json
import torch
from padis_nb.anatomy import train_classifier, CLASSIFIER_PATH

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument('--out', default=None, help=f"safetensors file to write (default for 128 'v1': {CLASSIFIER_PATH})")
ap.add_argument('--image_size', type=int, default=128, help='side of the slices (the priors it will judge)')
ap.add_argument('--recipe', default='v1', choices=['v1', 'v2'], help='CT phantom recipe of the slices')
ap.add_argument('--noise_outliers', type=float, default=0.0, help='fraction of the outliers drowned in pixel noise')
ap.add_argument('--threads', type=int, default=1)
a = ap.parse_args()
if a.out is None and (a.image_size, a.recipe) != (128, 'v1'):
    ap.error("--out is required for a classifier other than the default 128x128 'v1' one")
out = a.out or str(CLASSIFIER_PATH)
torch.set_num_threads(a.threads)
model = train_classifier(out=out, image_size=a.image_size, recipe=a.recipe, noise_outliers=a.noise_outliers)
print(json.dumps(model.info, indent=1))
print(f"wrote {out}")
