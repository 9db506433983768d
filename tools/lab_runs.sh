#!/usr/bin/env bash
# The lab-scale training runs (issues 22 and 23): start (or resume) each in the background, one thread each, niced,
# from a frozen copy of the package so that editing the working tree cannot break a run; and save their resumable state
# into the repository. Each run's flags are fixed here: a run resumes only with the config it started with.
#
#   bash tools/lab_runs.sh start [NAME ...]   # restore committed state where runs/ has none, then train in the background
#   bash tools/lab_runs.sh save  [NAME ...]   # copy state.pt + log.jsonl (+ prior) into benchmarks/results/lab/runs/NAME
#   bash tools/lab_runs.sh status             # last logged step and loss of each run
#   bash tools/lab_runs.sh de                 # the data-efficiency runs (benchmarks/data_efficiency.py train), in turn
#   bash tools/lab_runs.sh de-save            # their resumable state into benchmarks/results/lab/runs/data_efficiency
#
# FROZEN (default /tmp/padis_frozen): where `start` checks out HEAD for the runs to import. Logs: runs/lab/NAME.out.
set -euo pipefail
cd "$(dirname "$0")/.."
COMMON="--data ct --image_size 64 --lr_decay 2000 --ema 1000 --steps 60000 --blocks 1 --threads 1 --quiet --ckpt_every 500"
declare -A DIR=([ct64]=runs/pilots/v2_patch_decay [ct64_whole]=runs/lab/ct64_whole [ct64_nopos]=runs/lab/ct64_nopos
                [ct64_v3]=runs/lab/ct64_v3 [natural64_v3]=runs/lab/natural64_v3 [ct64_p32]=runs/lab/ct64_p32)
declare -A FLAGS=(
  [ct64]="$COMMON --recipe v2 --patch_size 16"
  [ct64_whole]="$COMMON --recipe v2 --kind whole"
  [ct64_nopos]="$COMMON --recipe v2 --patch_size 16 --no_pos"
  # pilot: 32x32 patches (pad 32, a 3x3 partition of the 96x96 canvas); the 16x16 prior's generation stalled at fd 58
  [ct64_p32]="$COMMON --recipe v2 --patch_size 32"
  # fine-tuned from ct64's prior at step 14500 (runs/lab/init/ct64_v2_step14500.safetensors, committed beside the state)
  [ct64_v3]="$COMMON --recipe v3 --patch_size 16 --init runs/lab/init/ct64_v2_step14500.safetensors"
  [natural64_v3]="--data natural --image_size 64 --channels 3 --patch_size 16 --n_train 8192 --lr_decay 2000 --ema 1000 --steps 60000 --blocks 1 --threads 1 --quiet --ckpt_every 500"
)
SAVED=benchmarks/results/lab/runs
cmd=${1:-status}; shift || true
names=("$@"); [[ ${#names[@]} -gt 0 ]] || names=(ct64 ct64_whole ct64_nopos ct64_v3 natural64_v3)   # ct64_p32: a stopped pilot
for n in "${names[@]}"; do [[ -n ${DIR[$n]:-} ]] || { echo "unknown run $n; runs: ${!DIR[*]}" >&2; exit 2; }; done
case $cmd in
  start)
    FROZEN=${FROZEN:-/tmp/padis_frozen}
    [[ -d $FROZEN ]] || git worktree add -q --detach "$FROZEN" HEAD
    mkdir -p runs/lab/init
    [[ -f runs/lab/init/ct64_v2_step14500.safetensors ]] || cp $SAVED/init/ct64_v2_step14500.safetensors runs/lab/init/ 2>/dev/null || true
    for n in "${names[@]}"; do
      d=${DIR[$n]}
      if pgrep -f -- "--out $d " >/dev/null; then echo "$n: already training"; continue; fi
      if [[ ! -f $d/state.pt && -f $SAVED/$n/state.pt ]]; then mkdir -p "$d"; cp $SAVED/$n/state.pt $SAVED/$n/log.jsonl "$d"/; fi
      OMP_NUM_THREADS=1 PYTHONPATH=$FROZEN nohup nice -n 5 .venv/bin/padis train --out $d ${FLAGS[$n]} >> runs/lab/$n.out 2>&1 &
      echo "$n: training in the background (log runs/lab/$n.out)"
    done ;;
  save)
    for n in "${names[@]}"; do
      d=${DIR[$n]}
      [[ -f $d/state.pt ]] || { echo "$n: no state yet"; continue; }
      mkdir -p $SAVED/$n
      cp $d/state.pt $d/log.jsonl $SAVED/$n/
      echo "$n: saved at step $(tail -1 $d/log.jsonl)"
    done
    mkdir -p $SAVED/init && cp -n runs/lab/init/ct64_v2_step14500.safetensors $SAVED/init/ 2>/dev/null || true ;;
  de)   # the data-efficiency study's training (benchmarks/data_efficiency.py train), 2000-step chunks per run in turn,
        # one thread, niced, until every run is flat; its runs live in runs/data_efficiency (committed by de-save)
    FROZEN=${FROZEN:-/tmp/padis_frozen}
    [[ -d $FROZEN ]] || git worktree add -q --detach "$FROZEN" HEAD
    mkdir -p runs/data_efficiency
    for r in $SAVED/data_efficiency/*/; do   # restore committed state where runs/ has none
      [[ -f $r/state.pt ]] || continue; d=runs/data_efficiency/$(basename $r)
      [[ -f $d/state.pt ]] || { mkdir -p $d; cp $r/state.pt $r/log.jsonl $d/; }
    done
    nohup bash -c "for i in \$(seq 1 40); do OMP_NUM_THREADS=1 PYTHONPATH=$FROZEN nice -n 5 .venv/bin/python \
      $FROZEN/benchmarks/data_efficiency.py train --threads 1 --workdir runs/data_efficiency > runs/data_efficiency/round.txt 2>&1; \
      cat runs/data_efficiency/round.txt; grep -q 'not flat yet' runs/data_efficiency/round.txt || break; done" \
      >> runs/data_efficiency/loop.out 2>&1 &
    echo "data efficiency: training in the background (log runs/data_efficiency/loop.out)" ;;
  de-save)   # the data-efficiency runs' resumable state, into benchmarks/results/lab/runs/data_efficiency/RUN
    for d in runs/data_efficiency/*/; do
      [[ -f $d/state.pt ]] || continue; r=$SAVED/data_efficiency/$(basename $d); mkdir -p $r
      cp $d/state.pt $d/log.jsonl $r/; echo "$(basename $d): saved at $(tail -1 $d/log.jsonl)"
    done ;;
  status)
    for n in "${names[@]}"; do echo "$n: $(tail -1 ${DIR[$n]}/log.jsonl 2>/dev/null || echo 'not started')"; done ;;
  *) echo "usage: bash tools/lab_runs.sh start|save|status|de|de-save [NAME ...]" >&2; exit 2 ;;
esac
