#!/usr/bin/env bash
# KGAT with --cold-items kg-items on the Last.FM KGAT split (issue #6, cold-item goal), three seeds, next to the
# run.sh runs (same validation split, same MF starts, same KGAT settings). Run run.sh first: it makes $OUT/lfmv and the
# mf-S / lightgcn-S runs this compares against. Epochs are kept on validation; test is evaluated once per run on
# all / cold / warm items, then `recsys compare` tests KGAT-kg-items against LightGCN and against plain KGAT per seed.
#
# Settings can be overridden from the environment, e.g. SEEDS="2020" OUT=/tmp/lfm ./cold.sh
set -euo pipefail

SEEDS=${SEEDS:-"2020 2021 2022"}
OUT=${OUT:-/tmp/lfm-exp}
RECSYS=${RECSYS:-recsys}
EXTRA=${EXTRA:-"--device cpu"}
COLD_ARGS=${COLD_ARGS:-"--lr 0.001 --reg 1e-3 --batch 1024 --epochs 150 --eval-every 10 --patience 0 --cold-items kg-items --negatives-from trained"}
NAME=${NAME:-kgat-kgitems}

for seed in $SEEDS; do
  run="$OUT/$NAME-$seed"
  if [[ "$(jq -r .status "$run/run.json" 2>/dev/null)" != completed ]]; then
    rm -rf "$run"
    $RECSYS train --data "$OUT/lfmv" --model kgat --seed "$seed" --out "$run" $EXTRA $COLD_ARGS --pretrain "$OUT/mf-$seed" > "$OUT/logs/$NAME-$seed.log" 2>&1
  fi
  for items in all cold warm; do
    $RECSYS eval --data "$OUT/lfmv" --run "$run" --k 20 --items "$items" --json --out "$run/test-$items" --force > "$run/test-$items.json"
  done
done

echo "| model | test recall@20 | test ndcg@20 | cold recall@20 | cold ndcg@20 | warm recall@20 | valid recall@20 | kept epochs |"
echo "|---|---|---|---|---|---|---|---|"
for m in lightgcn kgat "$NAME"; do
  jq -rn --arg m "$m" '
    def ms(xs): (xs | add / length) as $mu | (xs | map(. - $mu | . * .) | add / (if length > 1 then length - 1 else 1 end) | sqrt) as $sd
      | "\($mu * 10000 | round / 10000) ± \($sd * 10000 | round / 10000)";
    [inputs] as $r
    | "| \($m) | \(ms([$r[] | .all["recall@20"]])) | \(ms([$r[] | .all["ndcg@20"]])) | \(ms([$r[] | .cold["recall@20"]])) | \(ms([$r[] | .cold["ndcg@20"]])) | \(ms([$r[] | .warm["recall@20"]])) | \(ms([$r[] | .run.bestValue])) | \([$r[] | .run.bestEpoch] | map(tostring) | join(", ")) |"' \
    < <(for seed in $SEEDS; do f="$OUT/$m-$seed"; jq -n --slurpfile a "$f/test-all.json" --slurpfile c "$f/test-cold.json" --slurpfile w "$f/test-warm.json" --slurpfile r "$f/run.json" '{all: $a[0], cold: $c[0], warm: $w[0], run: $r[0]}'; done)
done

for seed in $SEEDS; do
  for other in lightgcn kgat; do
    echo; echo "seed $seed: $NAME vs $other"
    for items in all cold; do
      echo "  $items items:"; $RECSYS compare "$OUT/$other-$seed/test-$items" "$OUT/$NAME-$seed/test-$items" --metric recall@20,ndcg@20
    done
  done
done
