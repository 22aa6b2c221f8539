#!/usr/bin/env bash
# KGAT versus MF-BPR, LightGCN and NGCF on the fixed Last.FM KGAT split (issue #6), three seeds.
# Validation = 10% of each user's training interactions (seed 2020); every run keeps the epoch that is best on that
# validation set, and test is evaluated once per run, on all held-out items and on the "cold" slice (test items that
# never occur in the training split). Hyperparameters were picked on validation with seed 2020 (README.md, "Tuning").
# KGAT starts from the same seed's MF embeddings, as the KGAT paper does.
# Then `recsys compare` runs a paired t-test and Wilcoxon test between KGAT and the best other model, per seed.
#
# Settings can be overridden from the environment, e.g. SEEDS="2020" OUT=/tmp/lfm ./run.sh
# Re-running skips finished runs and resumes interrupted ones. Needs jq for the summary table.
set -euo pipefail

SEEDS=${SEEDS:-"2020 2021 2022"}
SOURCE=${SOURCE:-/work/shared/datasets/lastfm-hetrec-kgcn/kgat}
OUT=${OUT:-/tmp/lfm-exp}
RECSYS=${RECSYS:-recsys}             # the CLI (a command line: word-split on purpose)
EXTRA=${EXTRA:-"--device cpu"}       # more `recsys train` options for every run

MF_ARGS=${MF_ARGS:-"--lr 0.005 --reg 1e-2 --batch 1024 --epochs 1000 --eval-every 10 --patience 0"}
LIGHTGCN_ARGS=${LIGHTGCN_ARGS:-"--lr 0.005 --reg 1e-3 --batch 1024 --epochs 1000 --eval-every 10 --patience 10"}
NGCF_ARGS=${NGCF_ARGS:-"--lr 0.001 --reg 1e-3 --batch 1024 --epochs 500 --eval-every 10 --patience 10"}
KGAT_ARGS=${KGAT_ARGS:-"--lr 0.001 --reg 1e-3 --batch 1024 --epochs 150 --eval-every 10 --patience 0"}

mkdir -p "$OUT/logs"
if [[ ! -f "$OUT/lfm/dataset.json" ]]; then
  $RECSYS data import --format kgat --train "$SOURCE/train.txt" --test "$SOURCE/test.txt" --kg "$SOURCE/kg_final.txt" --out "$OUT/lfm" --name lastfm-kgat
fi
if [[ ! -f "$OUT/lfmv/dataset.json" ]]; then
  $RECSYS data split "$OUT/lfm" --method random --valid-from-train --valid-ratio 0.1 --seed 2020 --out "$OUT/lfmv"
fi

status() { [[ -f "$1/run.json" ]] && jq -r .status "$1/run.json" || echo missing; }

train() { # train RUN MODEL SEED args...
  local run=$1 model=$2 seed=$3; shift 3
  case "$(status "$run")" in
    completed|early-stopped) echo "== $(basename "$run"): done" ;;
    running|cancelled) echo "== $(basename "$run"): resuming"
      $RECSYS train --resume "$run" --data "$OUT/lfmv" > "$OUT/logs/$(basename "$run").log" 2>&1 ;;
    *) echo "== $(basename "$run")"; rm -rf "$run"
      $RECSYS train --data "$OUT/lfmv" --model "$model" --seed "$seed" --out "$run" $EXTRA "$@" > "$OUT/logs/$(basename "$run").log" 2>&1 ;;
  esac
}

evaluate() { # evaluate RUN: test metrics on all / cold / warm items, saved for compare
  local run=$1
  for items in all cold warm; do
    $RECSYS eval --data "$OUT/lfmv" --run "$run" --k 20 --items "$items" --json --out "$run/test-$items" --force > "$run/test-$items.json"
  done
}

for seed in $SEEDS; do
  train "$OUT/mf-$seed" mf "$seed" $MF_ARGS
  train "$OUT/lightgcn-$seed" lightgcn "$seed" $LIGHTGCN_ARGS
  train "$OUT/ngcf-$seed" ngcf "$seed" $NGCF_ARGS
  train "$OUT/kgat-$seed" kgat "$seed" $KGAT_ARGS --pretrain "$OUT/mf-$seed"
  for m in mf lightgcn ngcf kgat; do evaluate "$OUT/$m-$seed"; done
done

# Summary: mean ± sd over seeds of test recall@20 / ndcg@20 (all items and cold items), valid recall@20, s/epoch.
echo
echo "| model | test recall@20 | test ndcg@20 | cold recall@20 | cold ndcg@20 | warm recall@20 | valid recall@20 | kept epochs | s/epoch |"
echo "|---|---|---|---|---|---|---|---|---|"
for m in mf lightgcn ngcf kgat; do
  files=(); for seed in $SEEDS; do files+=("$OUT/$m-$seed"); done
  jq -rn --arg m "$m" '
    def ms(xs): (xs | add / length) as $mu | (xs | map(. - $mu | . * .) | add / (if length > 1 then length - 1 else 1 end) | sqrt) as $sd
      | "\($mu * 10000 | round / 10000) ± \($sd * 10000 | round / 10000)";
    [inputs] as $r
    | "| \($m) | \(ms([$r[] | .all["recall@20"]])) | \(ms([$r[] | .all["ndcg@20"]])) | \(ms([$r[] | .cold["recall@20"]])) | \(ms([$r[] | .cold["ndcg@20"]])) | \(ms([$r[] | .warm["recall@20"]])) | \(ms([$r[] | .run.bestValue])) | \([$r[] | .run.bestEpoch] | map(tostring) | join(", ")) | \(ms([$r[] | (.run.epochs | map(.seconds) | add / length)])) |"' \
    < <(for f in "${files[@]}"; do jq -n --slurpfile a "$f/test-all.json" --slurpfile c "$f/test-cold.json" --slurpfile w "$f/test-warm.json" --slurpfile r "$f/run.json" '{all: $a[0], cold: $c[0], warm: $w[0], run: $r[0]}'; done)
done

# Paired tests, KGAT against the best other model on mean test recall@20 (per seed).
best=$(for m in mf lightgcn ngcf; do
  echo "$m $(for seed in $SEEDS; do jq '.["recall@20"]' "$OUT/$m-$seed/test-all.json"; done | awk '{s+=$1} END {print s/NR}')"; done | sort -k2 -gr | head -1 | cut -d' ' -f1)
echo
echo "KGAT vs $best (paired over test users):"
for seed in $SEEDS; do
  echo "seed $seed, all items:";  $RECSYS compare "$OUT/$best-$seed/test-all" "$OUT/kgat-$seed/test-all" --metric recall@20,ndcg@20
  echo "seed $seed, cold items:"; $RECSYS compare "$OUT/$best-$seed/test-cold" "$OUT/kgat-$seed/test-cold" --metric recall@20,ndcg@20
done
