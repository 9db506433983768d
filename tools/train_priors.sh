#!/usr/bin/env bash
# The recipe of the bundled priors, stage 2: fine-tune each stage-1 prior (the files bundled at commit cc65d9a, kept as
# runs/init/*.safetensors, sha256 in data/priors/README.md) with `padis train --init`. Every run resumes from its
# runs/<name>/state.pt, so this script can be stopped and started again at will; STEPS raises the target.
# Usage: STEPS=8000 bash tools/train_priors.sh   (runs the four in the background at low priority, logs in runs/*.out)
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${STEPS:-8000}
P=".venv/bin/padis train --threads 1 --quiet --steps $STEPS --ckpt_every 250"
mkdir -p runs
run() { name=$1; shift; nice -n ${NICE:-15} $P --out runs/$name --init runs/init/$name.safetensors "$@" >> runs/$name.out 2>&1 & }
run ct128       --data ct --image_size 128 --patch_size 24
run ct128_nopos --data ct --image_size 128 --patch_size 24 --no_pos
run ct128_whole --data ct --image_size 128 --kind whole
NICE=19 run natural64 --data natural --image_size 64 --channels 3 --patch_size 16 --n_train 8192
wait
