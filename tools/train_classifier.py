"""Re-make data/priors/ct_anatomy_classifier.safetensors, the anatomy classifier behind the generation metrics
(padis_nb.anatomy, nbs/09a_anatomy.ipynb): 3000 train-split CT slices, 8 epochs, one CPU thread, a few minutes.

Usage: python tools/train_classifier.py [--out PATH] [--threads 1]
"""
import argparse, json
import torch
from padis_nb.anatomy import train_classifier, CLASSIFIER_PATH

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument('--out', default=str(CLASSIFIER_PATH))
ap.add_argument('--threads', type=int, default=1)
a = ap.parse_args()
torch.set_num_threads(a.threads)
model = train_classifier(out=a.out)
print(json.dumps(model.info, indent=1))
print(f"wrote {a.out}")
