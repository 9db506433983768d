#!/usr/bin/env bash
# Lab-scale pilots (issue 22): short 64x64 CT runs whose EMA prior is snapshotted every SNAP minutes of training time,
# so that validation denoising loss and generation fd can be plotted against core-hours afterwards
# (benchmarks/pilot_curves.py). Each pilot is resumable: `padis train --max_minutes` counts earlier sessions, so
# running this script again continues every unfinished pilot where its state.pt left it.
# Usage: bash tools/pilots.sh [NAME ...]   (default: all, one after another, 1 thread, niced; logs in runs/pilots/*.out)
set -euo pipefail
cd "$(dirname "$0")/.."
TOTAL=${TOTAL:-60}; SNAP=${SNAP:-10}; THREADS=${THREADS:-1}
# PADIS: the padis command to train with. Point it at a frozen checkout (see PADIS_TREE) when the working tree is being
# edited while the pilots run: a half-edited package must not kill a background run.
PADIS=${PADIS:-.venv/bin/padis}
[[ -n ${PADIS_TREE:-} ]] && export PYTHONPATH=$PADIS_TREE
declare -A RECIPE=(
  [p64_patch]="--data ct --image_size 64 --patch_size 16"
  [p64_whole]="--data ct --image_size 64 --kind whole"
  [p64_nopos]="--data ct --image_size 64 --patch_size 16 --no_pos"
  [p64_patch_decay]="--data ct --image_size 64 --patch_size 16 --lr_decay 2000 --ema 1000"
  [v2_patch]="--data ct --recipe v2 --image_size 64 --patch_size 16"
  [v2_whole]="--data ct --recipe v2 --image_size 64 --kind whole"
  [v2_patch_decay]="--data ct --recipe v2 --image_size 64 --patch_size 16 --lr_decay 2000 --ema 1000"
  [v2_nopos]="--data ct --recipe v2 --image_size 64 --patch_size 16 --no_pos"
)
names=("$@"); [[ ${#names[@]} -gt 0 ]] || names=(v2_patch v2_whole v2_patch_decay v2_nopos)
mkdir -p runs/pilots
for name in "${names[@]}"; do
  out=runs/pilots/$name
  for ((m = SNAP; m <= TOTAL; m += SNAP)); do
    [[ -f $out/snap_$(printf %03d $m)min.safetensors ]] && continue
    OMP_NUM_THREADS=$THREADS nice -n ${NICE:-10} $PADIS train --out $out ${RECIPE[$name]} --steps 1000000 --blocks 1 --threads $THREADS \
      --quiet --ckpt_every 500 --max_minutes $m >> runs/pilots/$name.out 2>&1
    [[ -f $out/prior.safetensors ]] || { echo "$name: no prior after the ${m}-minute session; see runs/pilots/$name.out" >&2; exit 1; }
    cp $out/prior.safetensors $out/snap_$(printf %03d $m)min.safetensors
  done
done
