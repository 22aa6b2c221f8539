#!/usr/bin/env bash
# Index quality of the semantic-ID indexers on the Last.FM KGAT split (features: FastRP of the collaborative KG +
# co-occurrence; Last.FM has no item attributes, so the category scheme and the NMI column do not apply).
# Usage: run.sh [LFM_DATASET_FOLDER] [WORK_DIR]; the folder is `recsys data import --format kgat …` of
# ../shared/datasets/lastfm-hetrec-kgcn/kgat (see ../../run.sh). METHODS overrides the list; RQVAE_ARGS the RQ-VAE options.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
LFM=${1:-/tmp/sidx/lfm}
WORK=${2:-/tmp/sid-index-lfm}
RECSYS=${RECSYS:-recsys}
METHODS=${METHODS:-"rqkmeans random sequential collaborative rqvae"}
RQVAE_ARGS=${RQVAE_ARGS:-""}
mkdir -p "$WORK"
if [[ ! -f "$WORK/lfm-features/dataset.json" ]]; then
  $RECSYS features --data "$LFM" --from kg,cooccurrence --out "$WORK/lfm-features" --force --json > "$HERE/features.json"
fi
for m in $METHODS; do
  extra=""; [[ $m == rqvae ]] && extra=$RQVAE_ARGS
  $RECSYS index semantic-ids --data "$WORK/lfm-features" --method "$m" --levels 3 --codes 256 --seed 0 $extra \
    --out "$WORK/$m.arrow" --force --quiet > "$HERE/$m.txt"
  $RECSYS index info "$WORK/$m.arrow" --data "$WORK/lfm-features" --json > "$HERE/$m.info.json"
  cp "$WORK/$m.index.json" "$HERE/$m.index.json"
  if [ -f "$WORK/$m.loss.png" ]; then cp "$WORK/$m.loss.png" "$HERE/$m.loss.png"; fi
done
