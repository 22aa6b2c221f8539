#!/usr/bin/env bash
# Compression versus quality on Gowalla (issue #5): MF-BPR and 2-layer LightGCN (as in the GraphHash paper), each with
# full tables and with every compressed table (GraphHash, DoubleGraphHash and the hashing baselines random modulo,
# double, frequency, LSH) at Louvain resolutions 110 (~90% fewer rows) and 500 (~75% fewer rows); baselines get
# GraphHash's row count at the same resolution (the CLI matches it). Then `recsys report compression` writes the
# table and one plot per backbone into $OUT/report.
#
# Every setting below can be overridden from the environment, e.g.
#   EPOCHS=400 EVAL_EVERY=20 OUT=/tmp/gh/long ./run.sh
#   RECSYS="dotnet run --project cli -c Release --" ./run.sh
# Runs are resumable: a finished run (run.json status completed / early-stopped) is skipped, an interrupted one is
# resumed from its checkpoint, so the script can be restarted after Ctrl+C.
set -euo pipefail

EPOCHS=${EPOCHS:-3}                  # training epochs per run
BATCH=${BATCH:-8192}                 # BPR pairs per batch
LR=${LR:-0.01}                       # Adam learning rate
REG=${REG:-1e-4}                     # L2 weight
DIM=${DIM:-64}                       # embedding width
LAYERS=${LAYERS:-2}                  # LightGCN propagation layers (GraphHash paper: 2)
EVAL_EVERY=${EVAL_EVERY:-$EPOCHS}    # evaluate (Gowalla: on test) every N epochs; the best evaluation is kept
PATIENCE=${PATIENCE:-10}             # evaluations without improvement before early stopping (0 = never)
K=${K:-20}                           # Recall@K / NDCG@K
MODELS=${MODELS:-"mf lightgcn"}
METHODS=${METHODS:-"graphhash double-graphhash random double frequency lsh"}
RESOLUTIONS=${RESOLUTIONS:-"110 500"}
SOURCE=${SOURCE:-/work/shared/datasets/gowalla}   # LightGCN-format train.txt / test.txt, imported when $DATA is missing
DATA=${DATA:-/tmp/gh/gowalla}        # dataset folder (recsys data import)
OUT=${OUT:-/tmp/gh/exp}              # one run folder per run, plus logs/ and report/
RECSYS=${RECSYS:-recsys}             # the CLI (a command line: word-split on purpose)
EXTRA=${EXTRA:-}                     # more `recsys train` options for every run, e.g. "--device cuda --seed 7"

mkdir -p "$OUT/logs"

if [[ ! -f "$DATA/dataset.json" ]]; then
  if [[ ! -f "$SOURCE/train.txt" ]]; then
    echo "no dataset at $DATA and no $SOURCE/train.txt to import it from" >&2
    exit 2
  fi
  $RECSYS data import --format lightgcn --train "$SOURCE/train.txt" --test "$SOURCE/test.txt" --out "$DATA"
fi

# status of a run folder: missing | completed | early-stopped | running | cancelled
status() {
  if [[ -f "$1/run.json" ]]; then
    grep -o '"status": *"[a-z-]*"' "$1/run.json" | head -1 | sed 's/.*"\([a-z-]*\)"$/\1/'
  else
    echo missing
  fi
}

RUNS=()
train() { # train NAME MODEL [table options...]
  local name=$1 model=$2 run="$OUT/$1"
  shift 2
  RUNS+=("$run")
  case "$(status "$run")" in
    completed|early-stopped)
      echo "== $name: done, skipped"
      return ;;
    missing) ;;
    *)
      if [[ -d "$run/checkpoint" ]]; then
        echo "== $name: resuming"
        $RECSYS train --resume "$run" --data "$DATA" --epochs "$EPOCHS" --k "$K" 2>&1 | tee -a "$OUT/logs/$name.log"
        return
      fi
      rm -rf "$run" ;;   # stopped before its first checkpoint: start again
  esac
  local layers=()
  [[ $model == lightgcn ]] && layers=(--layers "$LAYERS")
  echo "== $name"
  # shellcheck disable=SC2086  # EXTRA holds several options
  $RECSYS train --data "$DATA" --model "$model" --dim "$DIM" "${layers[@]}" --epochs "$EPOCHS" --batch "$BATCH" --lr "$LR" \
    --reg "$REG" --eval-every "$EVAL_EVERY" --patience "$PATIENCE" --k "$K" $EXTRA "$@" --out "$run" 2>&1 | tee "$OUT/logs/$name.log"
}

for model in $MODELS; do
  train "$model-full" "$model"
  for r in $RESOLUTIONS; do
    for method in $METHODS; do
      train "$model-$method-r$r" "$model" --user-table "$method" --item-table "$method" --resolution "$r"
    done
  done
done

$RECSYS report compression "${RUNS[@]}" --k "$K" --out "$OUT/report"
