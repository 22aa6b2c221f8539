#!/usr/bin/env bash
# Gowalla full-ranking evaluation: single-node `recsys eval` vs `recsys eval --cluster` over 3 silo processes (Redis
# membership; the run's 40,981 items as 3 shards x 2 replicas), same run, same users, same exclusions; then the same for
# `recsys retrieve` (every user's top 20, training items excluded). Metrics and files must be identical.
# Usage: gowalla-eval.sh RECSYS RUN DATA OUTDIR
set -euo pipefail
R=$1; RUN=$2; DATA=$3; OUT=$4
mkdir -p "$OUT"
PORT=6393
C=redis://127.0.0.1:$PORT
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; sleep 3; for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# Single node first, alone on the machine.
s=$(date +%s.%N)
"$R" eval --data "$DATA" --run "$RUN" --k 20 --json --out "$OUT/eval-single" --force > "$OUT/eval-single.json"
echo "eval_single_wall_s $(echo "$(date +%s.%N) - $s" | bc)" > "$OUT/timings.txt"

redis-server --port $PORT --bind 127.0.0.1 --save '' --appendonly no > "$OUT/redis.log" 2>&1 & pids+=($!)
sleep 1
for i in 0 1 2; do "$R" silo --cluster $C --name s$i > "$OUT/silo$i.log" 2>&1 & pids+=($!); done
until [ "$(grep -l ' up: ' "$OUT"/silo*.log 2>/dev/null | wc -l)" = 3 ]; do sleep 1; done
s=$(date +%s.%N)
"$R" eval --data "$DATA" --run "$RUN" --k 20 --json --cluster $C --shards 3 --replicas 2 --out "$OUT/eval-cluster" --force > "$OUT/eval-cluster.json"
echo "eval_cluster_wall_s $(echo "$(date +%s.%N) - $s" | bc)" >> "$OUT/timings.txt"

# retrieve: the run's vectors as .npy, every user's top 20 with the training items excluded.
"$R" export --run "$RUN" --data "$DATA" --out "$OUT/export" --force > /dev/null
U=$OUT/export/user_embeddings.npy; I=$OUT/export/item_embeddings.npy
s=$(date +%s.%N)
"$R" retrieve --queries "$U" --items "$I" --exclude "$DATA" --k 20 --out "$OUT/top-single.npy" --force --json > "$OUT/retrieve-single.json"
echo "retrieve_single_wall_s $(echo "$(date +%s.%N) - $s" | bc)" >> "$OUT/timings.txt"
s=$(date +%s.%N)
"$R" retrieve --queries "$U" --items "$I" --exclude "$DATA" --k 20 --out "$OUT/top-cluster.npy" --force --json \
     --cluster $C --shards 3 --replicas 2 --block-size 1024 > "$OUT/retrieve-cluster.json" 2> "$OUT/retrieve-cluster.progress"
echo "retrieve_cluster_wall_s $(echo "$(date +%s.%N) - $s" | bc)" >> "$OUT/timings.txt"
cmp "$OUT/eval-single/per_user.arrow" "$OUT/eval-cluster/per_user.arrow" && echo "eval_per_user_identical yes" >> "$OUT/timings.txt"
cmp "$OUT/top-single.npy" "$OUT/top-cluster.npy" && cmp "$OUT/top-single.scores.npy" "$OUT/top-cluster.scores.npy" && echo "retrieve_identical yes" >> "$OUT/timings.txt"
"$R" cluster status --cluster $C > "$OUT/status.txt" 2>/dev/null
cat "$OUT/timings.txt"
