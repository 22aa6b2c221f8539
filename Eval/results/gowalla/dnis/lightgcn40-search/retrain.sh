#!/usr/bin/env bash
# The recorded dnis0.25 run's search (40-epoch protocol, seed 2020) pruned to 0.5 and 0.25 and retrained from a fresh
# start for 40 epochs (--retrain), then scored on test. SRC = that run, D = its validation-carved data folder.
set -euo pipefail
R=${RECSYS:-recsys}
SRC=${SRC:?the dnis0.25-2020 run of Eval/results/gowalla/dnis/run.sh at EPOCHS=40}
D=${D:?its gowv folder}
O=${OUT:-/tmp/retrain40}
mkdir -p $O/eval $O/logs
for b in 0.5 0.25; do
  c=dnis${b}rt-2020
  [[ -f $O/$c/run.json ]] || $R train --from-search $SRC --data $D --dnis-budget $b --retrain --out $O/$c > $O/logs/$c.log 2>&1
  [[ -f $O/eval/$c.json ]] || $R eval --data $D --run $O/$c --k 20 --json --out $O/eval/$c --force > $O/eval/$c.json
done
