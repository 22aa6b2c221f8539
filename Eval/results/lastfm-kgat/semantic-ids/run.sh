#!/usr/bin/env bash
# Semantic-ID item tables on the Last.FM KGAT split (issue #18): LightGCN with the item table swapped for each sid:* kind,
# against the ID (full) table, same settings and selection rule (validation recall@20, every 10 epochs, patience 10).
# Codes: RQ-KMeans (3 levels x 32 codes) on FastRP features of the collaborative knowledge graph (cold items reach
# their KG neighbours there). Test evaluated once per run on all / cold / long-tail / warm items.
#
#   RECSYS=/path/to/recsys OUT=/tmp/sidt/lfm SEEDS=2020 Eval/results/lastfm-kgat/semantic-ids/run.sh
# LightGCN with cold items kept at their layer-0 rows (runs named lightgcn-KIND-keep-SEED):
#   SUFFIX=-keep MODEL_ARGS="--isolated-nodes keep" RECSYS=... OUT=... SEEDS="2020 2021 2022" .../run.sh
set -euo pipefail
SEEDS=${SEEDS:-"2020"}
OUT=${OUT:-/tmp/sidt/lfm}
RECSYS=${RECSYS:-recsys}
D=${D:-../shared/datasets/lastfm-hetrec-kgcn/kgat}
TABLES=${TABLES:-"full sid:unigram sid:ngram sid:pieces sid:hybrid"}
ARGS=${ARGS:-"--lr 0.005 --reg 1e-3 --batch 1024 --epochs 1000 --eval-every 10 --patience 10 --negatives-from trained --device cpu"}
SUFFIX=${SUFFIX:-}
MODEL_ARGS=${MODEL_ARGS:-}
mkdir -p "$OUT/logs" "$OUT/eval"

[[ -d "$OUT/lfm" ]] || $RECSYS data import --format kgat --train "$D/train.txt" --test "$D/test.txt" --kg "$D/kg_final.txt" --out "$OUT/lfm" --name lastfm-kgat
[[ -d "$OUT/lfmv" ]] || $RECSYS data split "$OUT/lfm" --method random --valid-from-train --valid-ratio 0.1 --seed 2020 --out "$OUT/lfmv"
[[ -f "$OUT/kg.arrow" ]] || $RECSYS features --data "$OUT/lfmv" --from kg --out "$OUT/kg.arrow"
[[ -f "$OUT/codes.arrow" ]] || $RECSYS index semantic-ids --data "$OUT/lfmv" --features "$OUT/kg.arrow" --method rqkmeans --levels 3 --codes 32 --seed 1 --out "$OUT/codes.arrow" --quiet
$RECSYS index info "$OUT/codes.arrow" --data "$OUT/lfmv" > "$OUT/codes-info.txt" || true

for seed in $SEEDS; do
  for table in $TABLES; do
    name="lightgcn-${table#sid:}$SUFFIX-$seed"; run="$OUT/$name"
    if [[ ! "$(jq -r .status "$run/run.json" 2>/dev/null)" =~ ^(completed|early-stopped)$ ]]; then
      rm -rf "$run"
      extra=""; [[ $table == sid:* ]] && extra="--codes $OUT/codes.arrow"
      $RECSYS train --data "$OUT/lfmv" --model lightgcn --seed "$seed" --item-table "$table" $extra $ARGS $MODEL_ARGS --out "$run" > "$OUT/logs/$name.log" 2>&1
    fi
    for items in all cold longtail warm; do
      $RECSYS eval --data "$OUT/lfmv" --run "$run" --k 20 --items "$items" --json --out "$OUT/eval/$name/test-$items" --force > "$run/test-$items.json"
    done
  done
done
