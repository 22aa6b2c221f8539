#!/usr/bin/env bash
# DNIS (issue #20) on Gowalla: LightGCN's (or MF's) embedding parameters against test Recall@20, with the Last.FM script's
# protocol (Eval/results/lastfm-kgat/dnis/run.sh): same total epochs for every configuration (DNIS's warm-up and search
# epochs count), validation = 10% of each user's training interactions (seed 2020), best validation Recall@20 epoch kept,
# test evaluated once. LightGCN and MF at the settings of the Gowalla reproduction (lr 0.001, reg 1e-4, batch 2048).
#
#   RECSYS=recsys GOWALLA=/tmp/repro/gowalla OUT=/tmp/dnis-gow EPOCHS=40 SEEDS=2020 Eval/results/gowalla/dnis/run.sh
#   MODEL=mf EVERY=5 EPOCHS=60 OUT=/tmp/dnis-gow-mf CONFIGS="full w32 dnis0.5 gh1750" ... Eval/results/gowalla/dnis/run.sh
# GOWALLA is a folder made by `recsys data import --format lightgcn` of the official split.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-/tmp/dnis-gow}
RECSYS=${RECSYS:-recsys}
EPOCHS=${EPOCHS:-40}
GOWALLA=${GOWALLA:?set GOWALLA to an imported Gowalla folder}
# DNIS's schedule scales with the run: a quarter warm-up, a quarter search, the rest fine-tuning.
WARM=$((EPOCHS / 4))
mkdir -p "$OUT"
[[ -f "$OUT/gowv/dataset.json" ]] || $RECSYS data split "$GOWALLA" --method random --valid-from-train --valid-ratio 0.1 --seed 2020 --out "$OUT/gowv"
export OUT RECSYS EPOCHS DATA="$OUT/gowv" CONFIGS=${CONFIGS:-"full dnis0.5 w32 dnis0.25 w16"}
MODEL=${MODEL:-lightgcn}
EVERY=${EVERY:-10}
export ARGS="--model $MODEL --lr 0.001 --reg 1e-4 --batch 2048 --epochs $EPOCHS --eval-every $EVERY --patience 0 --device cpu"
export DNIS="--user-table dnis --item-table dnis --dnis-blocks 10 --dnis-warmup $WARM --dnis-search-epochs $WARM"
exec "$here/../../lastfm-kgat/dnis/run.sh"
