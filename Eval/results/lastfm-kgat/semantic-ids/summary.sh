#!/usr/bin/env bash
# Prints the results table of the runs under OUT (NAMES: run folder names) as markdown.
set -euo pipefail
OUT=${OUT:-/tmp/sidt/lfm}
NAMES=${NAMES:-$(cd "$OUT" && ls -d */ | tr -d / | grep -E '^(lightgcn|mf)-' )}
echo "| run | item rows | item parameters | Recall@20 | NDCG@20 | cold R@20 | cold N@20 | long-tail R@20 | long-tail N@20 | warm R@20 | valid R@20 | kept epoch |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for n in $NAMES; do
  r="$OUT/$n"
  [[ -f "$r/test-warm.json" ]] || continue
  jq -rn --arg n "$n" --slurpfile run "$r/run.json" --slurpfile a "$r/test-all.json" --slurpfile c "$r/test-cold.json" \
     --slurpfile l "$r/test-longtail.json" --slurpfile w "$r/test-warm.json" '
    def f: . * 10000 | round / 10000;
    "| \($n) | \($run[0].tables.itemRows) | \($run[0].tables.itemParameters) | \($a[0]["recall@20"]|f) | \($a[0]["ndcg@20"]|f) | \($c[0]["recall@20"]|f) | \($c[0]["ndcg@20"]|f) | \($l[0]["recall@20"]|f) | \($l[0]["ndcg@20"]|f) | \($w[0]["recall@20"]|f) | \($run[0].bestValue|f) | \($run[0].bestEpoch) |"'
done
