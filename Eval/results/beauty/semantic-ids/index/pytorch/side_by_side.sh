#!/usr/bin/env bash
# Seconds per RQ-VAE epoch, TorchSharp (recsys) against plain PyTorch, alternated in one run on the same features.
# Usage: side_by_side.sh FEATURES_DATASET_FOLDER [WORK_DIR] [ROUNDS] [EPOCHS]
#   RECSYS=path/to/recsys; PYTHON=/usr/bin/python3 (Debian's python3-torch); OPENBLAS_DIR=folder holding OpenBLAS's
#   libblas.so.3 (optional: a third contender, Debian's PyTorch with OpenBLAS instead of the reference BLAS).
# Every contender runs at one thread: libtorch 1 thread in TorchSharp (--torch-threads 1), torch.set_num_threads(1)
# and OPENBLAS_NUM_THREADS=1 in Python. Writes side_by_side.json here (per run: load average before it, per-epoch seconds).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$1
WORK=${2:-/tmp/rqvae-side-by-side}
ROUNDS=${3:-3}
EPOCHS=${4:-6}
RECSYS=${RECSYS:-recsys}
PYTHON=${PYTHON:-/usr/bin/python3}
mkdir -p "$WORK"
runs=()
for r in $(seq 1 "$ROUNDS"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  $RECSYS index semantic-ids --data "$DATA" --method rqvae --last-level nearest --epochs "$EPOCHS" --levels 3 --codes 256 --seed 0 \
    --torch-threads 1 --out "$WORK/torchsharp-$r.arrow" --force --quiet > /dev/null
  runs+=("{\"contender\":\"torchsharp\",\"round\":$r,\"load\":$load,\"file\":\"$WORK/torchsharp-$r.index.json\"}")
  load=$(cut -d' ' -f1 /proc/loadavg)
  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $PYTHON "$HERE/rqvae_torch.py" "$DATA/item_features.arrow" --epochs "$EPOCHS" --threads 1 \
    --out "$WORK/pytorch-$r.json" > /dev/null
  runs+=("{\"contender\":\"pytorch (Debian 1.13.1, reference BLAS)\",\"round\":$r,\"load\":$load,\"file\":\"$WORK/pytorch-$r.json\"}")
  if [[ -n "${OPENBLAS_DIR:-}" ]]; then
    load=$(cut -d' ' -f1 /proc/loadavg)
    LD_LIBRARY_PATH="$OPENBLAS_DIR" OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $PYTHON "$HERE/rqvae_torch.py" "$DATA/item_features.arrow" \
      --epochs "$EPOCHS" --threads 1 --out "$WORK/pytorch-openblas-$r.json" > /dev/null
    runs+=("{\"contender\":\"pytorch (Debian 1.13.1, OpenBLAS 0.3.21)\",\"round\":$r,\"load\":$load,\"file\":\"$WORK/pytorch-openblas-$r.json\"}")
  fi
done
(IFS=,; echo "[${runs[*]}]") | $PYTHON "$HERE/summarise.py" > "$HERE/side_by_side.json"
$PYTHON "$HERE/summarise.py" --table "$HERE/side_by_side.json"
