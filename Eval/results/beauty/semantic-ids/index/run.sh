#!/usr/bin/env bash
# Index quality of every semantic-ID indexer on Amazon Beauty (features: attributes + co-occurrence).
# Usage: run.sh [BEAUTY_DATASET_FOLDER] [WORK_DIR]; writes <method>.info.json and <method>.index.json here.
# METHODS overrides the list of methods; the features are built once per WORK_DIR. rqvae runs with its defaults
# (balanced last level); add --last-level nearest to its command line for the earlier nearest-codeword codes.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BEAUTY=${1:-/tmp/repro/beauty}
WORK=${2:-/tmp/sid-index-beauty}
RECSYS=${RECSYS:-recsys}
METHODS=${METHODS:-"rqkmeans rqvae random sequential collaborative category"}
mkdir -p "$WORK"
if [[ ! -f "$WORK/beauty-features/dataset.json" ]]; then
  $RECSYS features --data "$BEAUTY" --from attributes,cooccurrence --out "$WORK/beauty-features" --force --json > "$HERE/features.json"
fi
for m in $METHODS; do
  $RECSYS index semantic-ids --data "$WORK/beauty-features" --method "$m" --levels 3 --codes 256 --seed 0 \
    --out "$WORK/$m.arrow" --force --quiet > "$HERE/$m.txt"
  $RECSYS index info "$WORK/$m.arrow" --data "$WORK/beauty-features" --json > "$HERE/$m.info.json"
  cp "$WORK/$m.index.json" "$HERE/$m.index.json"
  if [ -f "$WORK/$m.loss.png" ]; then cp "$WORK/$m.loss.png" "$HERE/$m.loss.png"; fi
done
