#!/usr/bin/env bash
# DNIS (issue #20) on the fixed Last.FM KGAT split: LightGCN's embedding parameters against test Recall@20 for
#   full tables (dim 64), uniform smaller widths (--dim 48/32/16/8), and DNIS on both tables at budgets
#   0.75 / 0.5 / 0.25 / 0.125 of the full tables (10 frequency blocks, 20 warm-up + 20 search epochs, then fine-tuning),
#   and GraphHash on both tables at Louvain resolutions 120 and 20 (47.6% and 24.3% of the full rows on this split).
# Same total epochs for every run (DNIS's search epochs count), the same validation split carved from training
# (10%, seed 2020), the epoch kept is the best on validation Recall@20 (every 10 epochs), test evaluated once per run.
# Then paired tests (recsys compare) of DNIS at 0.5 against the uniform width of equal size (32) and against full.
#
#   RECSYS=/tmp/dnis/bin/recsys OUT=/tmp/dnis-lfm SEEDS="2020" Eval/results/lastfm-kgat/dnis/run.sh
# ARGS, DNIS, DATA and CONFIGS may be overridden (Eval/results/gowalla/dnis/run.sh does). Re-running skips finished runs. Needs jq.
set -euo pipefail

SEEDS=${SEEDS:-"2020 2021 2022"}
SOURCE=${SOURCE:-/work/shared/datasets/lastfm-hetrec-kgcn/kgat}
OUT=${OUT:-/tmp/dnis-lfm}
RECSYS=${RECSYS:-recsys}
EPOCHS=${EPOCHS:-300}
CONFIGS=${CONFIGS:-"full w48 w32 w16 w8 dnis0.75 dnis0.5 dnis0.25 dnis0.125 gh120 gh20"}
ARGS=${ARGS:-"--model lightgcn --lr 0.005 --reg 1e-3 --batch 1024 --epochs $EPOCHS --eval-every 10 --patience 0 --device cpu"}
DNIS=${DNIS:-"--user-table dnis --item-table dnis --dnis-blocks 10 --dnis-warmup 20 --dnis-search-epochs 20"}
DATA=${DATA:-$OUT/lfmv}  # the training folder with a validation split; Gowalla's wrapper passes its own

mkdir -p "$OUT/logs" "$OUT/eval"
[[ -f "$DATA/dataset.json" || -f "$OUT/lfm/dataset.json" ]] || $RECSYS data import --format kgat --train "$SOURCE/train.txt" --test "$SOURCE/test.txt" --kg "$SOURCE/kg_final.txt" --out "$OUT/lfm" --name lastfm-kgat
[[ -f "$DATA/dataset.json" ]] || $RECSYS data split "$OUT/lfm" --method random --valid-from-train --valid-ratio 0.1 --seed 2020 --out "$DATA"

options() { # the options of a configuration
  case "$1" in
    full) echo "" ;;
    w*) echo "--dim ${1#w}" ;;
    dnis*gh*) b=${1#dnis}; echo "$DNIS --dnis-budget ${b%gh*} --dnis-inner graphhash --resolution ${1##*gh}" ;;  # DNIS over GraphHash, e.g. dnis0.25gh120
    dnis*min*) b=${1#dnis}; echo "$DNIS --dnis-budget ${b%min*} --dnis-min-width ${1##*min}" ;;  # every block keeps ≥ N columns, e.g. dnis0.5min16
    dnis*sgdb*) b=${1#dnis}; lr=${1##*sgdb}; echo "$DNIS --dnis-budget ${b%sgdb*} --dnis-alpha-optimizer sgd --dnis-alpha-norm block${lr:+ --dnis-alpha-lr $lr}" ;;  # the DNIS authors' α step (SGD, per-block normalised gradient), e.g. dnis0.5sgdb or dnis0.5sgdb0.001 (α lr)
    dnis*so*) b=${1#dnis}; xi=${1##*so}; echo "$DNIS --dnis-budget ${b%so*} --dnis-order second${xi:+ --dnis-unrolled-lr $xi}" ;;  # second-order search, e.g. dnis0.5so or dnis0.5so0.1 (ξ)
    dnis*vr*) b=${1#dnis}; echo "$DNIS --dnis-budget ${b%vr*} --dnis-valid-reg ${1##*vr}" ;;  # α's objective with this L2 weight, e.g. dnis0.5vr0
    dnis*) echo "$DNIS --dnis-budget ${1#dnis}" ;;
    gh*) echo "--user-table graphhash --item-table graphhash --resolution ${1#gh}" ;;
    mixed*) echo "--user-table mixed-dim --item-table mixed-dim --mixed-widths ${1#mixed}" ;;  # hand-made widths per equal frequency block, both tables, e.g. mixed48,44,40,36,32,32,28,24,20,16
  esac
}

for seed in $SEEDS; do
  for c in $CONFIGS; do
    run="$OUT/$c-$seed"
    if [[ -f "$run/run.json" && "$(jq -r .status "$run/run.json")" == completed ]]; then echo "== $c-$seed: trained"
    elif [[ -e "$run" ]]; then
      # Never delete a run folder: another driver may be training into it. Resume it (recsys train --resume) or remove it.
      echo "== $c-$seed: $run exists and is not completed; skipped"; continue
    else
      echo "== $c-$seed"
      if [[ "$c" == dnis*rt ]]; then
        # The widths the search of run RT_FROM (default dnis0.5) keeps at this budget, trained from a fresh start for the
        # same total epochs (--retrain), e.g. dnis0.25rt; RT_FROM must be trained first.
        b=${c#dnis}
        $RECSYS train --from-search "$OUT/${RT_FROM:-dnis0.5}-$seed" --data "$DATA" --dnis-budget "${b%rt}" --retrain --out "$run" > "$OUT/logs/$c-$seed.log" 2>&1
      else
        $RECSYS train --data "$DATA" --seed "$seed" --out "$run" $ARGS $(options "$c") > "$OUT/logs/$c-$seed.log" 2>&1
      fi
    fi
    [[ -f "$OUT/eval/$c-$seed.json" ]] || $RECSYS eval --data "$DATA" --run "$run" --k 20 --json --out "$OUT/eval/$c-$seed" --force > "$OUT/eval/$c-$seed.json"
  done
done

echo
echo "| config | seed | embedding parameters | % of full | valid Recall@20 | test Recall@20 | test NDCG@20 | kept epoch | s/epoch (fine-tune or plain) |"
echo "|---|---|---|---|---|---|---|---|---|"
for seed in $SEEDS; do
  for c in $CONFIGS; do
    run="$OUT/$c-$seed"; [[ -f "$OUT/eval/$c-$seed.json" ]] || continue
    jq -rn --arg c "$c" --arg s "$seed" --slurpfile r "$run/run.json" --slurpfile t "$OUT/eval/$c-$seed.json" '
      ($r[0].tables) as $tb | (($tb.users + $tb.items) * 64) as $full
      | "| \($c) | \($s) | \($tb.userParameters + $tb.itemParameters) | \(($tb.userParameters + $tb.itemParameters) / $full * 1000 | round / 10)% | \($r[0].bestValue * 10000 | round / 10000) | \($t[0]["recall@20"] * 10000 | round / 10000) | \($t[0]["ndcg@20"] * 10000 | round / 10000) | \($r[0].bestEpoch) | \($r[0].epochs | map(.seconds) | add / length * 100 | round / 100) |"'
  done
done

echo
for seed in $SEEDS; do
  [[ -f "$OUT/eval/dnis0.5-$seed.json" ]] || continue
  for base in w32 full; do
    [[ -f "$OUT/eval/$base-$seed.json" ]] || continue
    echo "seed $seed: DNIS 0.5 vs $base (paired over test users)"
    $RECSYS compare "$OUT/eval/$base-$seed" "$OUT/eval/dnis0.5-$seed" --metric recall@20,ndcg@20
  done
done
