#!/usr/bin/env bash
# Picks, per table and seed, the --isolated-scale with the best validation recall@20 among the runs of scale.sh (and
# the layer mean, 0.25, when its runs exist), then reports test recall@20 on all / cold / long-tail / warm items at that
# scale, mean ± sd over seeds, and paired tests against the ID table (lightgcn-full-SEED of run.sh).
#   RECSYS=... OUT=/tmp/sidt/lfm SEEDS="2020 2021 2022" Eval/results/lastfm-kgat/semantic-ids/scale-select.sh > scale.md
# KNOB names the setting in the run names (default s: lightgcn-TABLE-sVALUE-SEED); cold-dropout.sh passes KNOB=cd.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/paired.sh"
OUT=${OUT:-/tmp/sidt/lfm}
SEEDS=${SEEDS:-"2020 2021 2022"}
RECSYS=${RECSYS:-recsys}
SCALES=${SCALES:-"0.25 0.4 0.55 0.7 0.85 1"}
KNOB=${KNOB:-s}
TABLES=${TABLES:-"pieces hybrid-min1"}
r4() { jq -r '.*10000|round/10000'; }

echo "Validation recall@20 of every value of $KNOB (the kept epoch's), the chosen one in bold, and test recall@20 at each:"
echo
echo "| table | seed | $(for s in $SCALES; do printf '%s = %s | ' "$KNOB" "$s"; done)chosen | test all | test cold | test long tail | test warm |"
echo "|---|---|$(for s in $SCALES; do printf -- '---|'; done)---|---|---|---|---|"
declare -A chosen
for t in $TABLES; do
  for seed in $SEEDS; do
    best=""; bestv=-1; row="| $t | $seed |"
    for s in $SCALES; do
      run="$OUT/lightgcn-$t-$KNOB$s-$seed"
      if [[ -f $run/test-warm.json ]]; then
        v=$(jq -r .bestValue "$run/run.json"); row+=" $(echo "$v" | r4) (test $(jq -r '."recall@20"' "$run/test-all.json" | r4) / cold $(jq -r '."recall@20"' "$run/test-cold.json" | r4)) |"
        if awk -v a="$v" -v b="$bestv" 'BEGIN{exit !(a>b)}'; then best=$s; bestv=$v; fi
      else row+=" – |"; fi
    done
    [[ -n $best ]] || continue
    chosen[$t-$seed]=$best; run="$OUT/lightgcn-$t-$KNOB$best-$seed"
    row+=" **$best** |"
    for slice in all cold longtail warm; do row+=" $(jq -r '."recall@20"' "$run/test-$slice.json" | r4) |"; done
    echo "$row"
  done
done

stat() { # stat KEY SLICE TABLE → mean ± sd over seeds at the chosen scales
  local key=$1 slice=$2 t=$3 files=()
  for seed in $SEEDS; do [[ -n ${chosen[$t-$seed]:-} ]] && files+=("$OUT/lightgcn-$t-$KNOB${chosen[$t-$seed]}-$seed/test-$slice.json"); done
  jq -rs --arg k "$key" 'map(.[$k]) as $v | ($v|add/length) as $m
    | (if ($v|length) > 1 then (($v|map((.-$m)*(.-$m))|add)/(($v|length)-1)|sqrt) else 0 end) as $s
    | "\($m*10000|round/10000) ± \($s*10000|round/10000)"' "${files[@]}"
}
echo
echo "At the validation-chosen value, mean ± sd over seeds (test):"
echo
echo "| table | Recall@20 | NDCG@20 | cold R@20 | cold N@20 | long-tail R@20 | warm R@20 |"
echo "|---|---|---|---|---|---|---|"
for t in $TABLES; do
  echo "| $t | $(stat recall@20 all $t) | $(stat ndcg@20 all $t) | $(stat recall@20 cold $t) | $(stat ndcg@20 cold $t) | $(stat recall@20 longtail $t) | $(stat recall@20 warm $t) |"
done

echo
echo "Paired tests against the ID table at the chosen value (recall@20: B − A, t-test p, Wilcoxon p):"
echo
run_name() { echo "lightgcn-$1-$KNOB${chosen[$1-$2]:-x}-$2"; }
paired_table run_name $TABLES
