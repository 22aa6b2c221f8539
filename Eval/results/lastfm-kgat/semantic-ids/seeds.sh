#!/usr/bin/env bash
# Mean ± sd over seeds of the runs made by run.sh (every table, with and without --isolated-nodes keep), per item
# slice, and per seed the paired test (recall@20, ndcg@20) of each table against the ID table on the same slice.
#   OUT=/tmp/sidt/lfm SEEDS="2020 2021 2022" Eval/results/lastfm-kgat/semantic-ids/seeds.sh > seeds.md
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/paired.sh"
OUT=${OUT:-/tmp/sidt/lfm}
SEEDS=${SEEDS:-"2020 2021 2022"}
RECSYS=${RECSYS:-recsys}
GROUPS_=${GROUPS_:-"full unigram ngram pieces hybrid full-keep unigram-keep ngram-keep pieces-keep hybrid-keep"}

stat() { # stat FILE... KEY → "mean ± sd"
  local key=$1; shift
  jq -rs --arg k "$key" 'map(.[$k]) as $v | ($v|add/length) as $m
    | (if ($v|length) > 1 then (($v|map((.-$m)*(.-$m))|add)/(($v|length)-1)|sqrt) else 0 end) as $s
    | "\($m*10000|round/10000) ± \($s*10000|round/10000)"' "$@"
}

echo "| LightGCN item table | seeds | Recall@20 | NDCG@20 | cold R@20 | cold N@20 | long-tail R@20 | warm R@20 | valid R@20 | kept epochs |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for g in $GROUPS_; do
  files() { for s in $SEEDS; do f="$OUT/lightgcn-$g-$s/test-$1.json"; [[ -f $f ]] && echo "$f"; done; }
  mapfile -t all < <(files all); [[ ${#all[@]} -gt 0 ]] || continue
  mapfile -t cold < <(files cold); mapfile -t lt < <(files longtail); mapfile -t warm < <(files warm)
  runs=(); for s in $SEEDS; do [[ -f "$OUT/lightgcn-$g-$s/run.json" ]] && runs+=("$OUT/lightgcn-$g-$s/run.json"); done
  valid=$(jq -rs 'map(.bestValue) as $v | ($v|add/length) as $m | "\($m*10000|round/10000)"' "${runs[@]}")
  epochs=$(jq -rs 'map(.bestEpoch|tostring)|join(", ")' "${runs[@]}")
  echo "| $g | ${#all[@]} | $(stat recall@20 "${all[@]}") | $(stat ndcg@20 "${all[@]}") | $(stat recall@20 "${cold[@]}") | $(stat ndcg@20 "${cold[@]}") | $(stat recall@20 "${lt[@]}") | $(stat recall@20 "${warm[@]}") | $valid | $epochs |"
done

echo
echo "Paired tests against the ID table (same seed, same slice; recall@20: B − A, t-test p, Wilcoxon p):"
echo
run_name() { echo "lightgcn-$1-$2"; }
paired_table run_name $(for g in $GROUPS_; do [[ $g == full ]] || echo "$g"; done)
