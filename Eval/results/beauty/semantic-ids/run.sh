#!/usr/bin/env bash
# Semantic-ID item tables on Beauty's cold split (issue #18): 10% of the items (seed 1) removed from train and validation,
# their test interactions kept (leave-one-out test and validation as imported). MF-BPR with the item table swapped for
# each sid:* kind against the ID (full) table, same settings and selection rule (validation recall@20 every 5 epochs,
# patience 5). Codes: RQ-KMeans (3 levels x 64 codes) on the attribute (TF-IDF, projected) and co-occurrence (FastRP of
# the cold split's training graph) blocks, so cold items are placed by their attributes alone.
#
#   RECSYS=/path/to/recsys OUT=/tmp/sidt/beauty BEAUTY=/tmp/repro/beauty SEEDS=2020 Eval/results/beauty/semantic-ids/run.sh
set -euo pipefail
SEEDS=${SEEDS:-"2020"}
OUT=${OUT:-/tmp/sidt/beauty}
RECSYS=${RECSYS:-recsys}
BEAUTY=${BEAUTY:-/tmp/repro/beauty}   # recsys data import --format sequences of Beauty.txt with item_attributes.tsv (Eval/results/beauty)
TABLES=${TABLES:-"full sid:unigram sid:ngram sid:pieces sid:hybrid"}
ARGS=${ARGS:-"--lr 0.005 --reg 1e-4 --batch 2048 --epochs 300 --eval-every 5 --patience 5 --negatives-from trained --device cpu"}
mkdir -p "$OUT/logs" "$OUT/eval"

[[ -d "$OUT/bc" ]] || $RECSYS data split "$BEAUTY" --cold-items 0.1 --seed 1 --out "$OUT/bc"
[[ -f "$OUT/feat.arrow" ]] || $RECSYS features --data "$OUT/bc" --from attributes,cooccurrence --out "$OUT/feat.arrow"
[[ -f "$OUT/codes.arrow" ]] || $RECSYS index semantic-ids --data "$OUT/bc" --features "$OUT/feat.arrow" --method rqkmeans --levels 3 --codes 64 --seed 1 --out "$OUT/codes.arrow" --quiet
$RECSYS index info "$OUT/codes.arrow" --data "$OUT/bc" > "$OUT/codes-info.txt" || true

for seed in $SEEDS; do
  for table in $TABLES; do
    name="mf-${table#sid:}-$seed"; run="$OUT/$name"
    if [[ ! "$(jq -r .status "$run/run.json" 2>/dev/null)" =~ ^(completed|early-stopped)$ ]]; then
      rm -rf "$run"
      extra=""; [[ $table == sid:* ]] && extra="--codes $OUT/codes.arrow"
      $RECSYS train --data "$OUT/bc" --model mf --seed "$seed" --item-table "$table" $extra $ARGS --out "$run" > "$OUT/logs/$name.log" 2>&1
    fi
    for items in all cold longtail warm; do
      $RECSYS eval --data "$OUT/bc" --run "$run" --k 20 --items "$items" --json --out "$OUT/eval/$name/test-$items" --force > "$run/test-$items.json"
    done
  done
done
