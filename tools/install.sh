#!/usr/bin/env bash
# Create a virtual environment and install padis_nb with its dev tools.
# torch is installed first and explicitly as the CPU build on machines without an NVIDIA GPU, so that
# pip never pulls the multi-GB CUDA wheel; settings.ini only asks for a range the CPU build satisfies.
set -euo pipefail
venv=${1:-.venv}
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
pip=("$venv/bin/python" -m pip)
"${pip[@]}" install -q --upgrade pip >/dev/null 2>&1 || true
if ! "$venv/bin/python" -c 'import torch' 2>/dev/null; then
  if command -v nvidia-smi >/dev/null 2>&1; then
    "${pip[@]}" install -q 'torch==2.13.0'
  else
    # The CPU wheel: from the machine's local package cache where there is one (as on our CI machines),
    # otherwise from PyTorch's CPU index.
    "${pip[@]}" install -q --retries 0 --timeout 15 'torch==2.13.0' --index-url https://download.pytorch.org/whl/cpu 2>/dev/null \
      || "${pip[@]}" install -q 'torch==2.13.0'
    "$venv/bin/python" -c 'import torch; assert not torch.version.cuda, "a CUDA torch build was installed on a CPU machine"'
  fi
fi
"${pip[@]}" install -q -e '.[dev]'
echo "padis_nb installed in $venv (torch $("$venv/bin/python" -c 'import torch; print(torch.__version__)'))"
