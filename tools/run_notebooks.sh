#!/usr/bin/env bash
# Execute every notebook in place (slow cells included) so the committed notebooks carry their figures for the site;
# then nbdev_clean. Usage: bash tools/run_notebooks.sh [notebook ...]   (default: all of nbs/*.ipynb)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
nbs=("$@"); [[ ${#nbs[@]} -gt 0 ]] || nbs=(nbs/[0-9]*.ipynb nbs/index.ipynb)
for nb in "${nbs[@]}"; do
  t=$(date +%s)
  "$BIN/jupyter" nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=1800 "$nb" >/dev/null 2>&1 \
    || { echo "FAILED: $nb"; exit 1; }
  echo "$nb: $(( $(date +%s) - t )) s, $(du -k "$nb" | cut -f1) KB"
done
"$BIN/nbdev_clean"
