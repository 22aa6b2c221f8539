#!/usr/bin/env bash
# A generated N x 64 catalog over 3 silo processes (3 shards, REPLICAS copies) vs one process holding it all:
# the same searches, answers compared bit for bit. Usage: scale.sh RECSYS ITEMS_NPY N REPLICAS OUT_JSON
set -euo pipefail
R=$1; ITEMS=$2; N=$3; REPL=$4; OUT=$5
PORT=6392; LOGS=$(dirname "$ITEMS")
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; sleep 5; for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
redis-server --port $PORT --bind 127.0.0.1 --save '' --appendonly no > "$LOGS/redis.log" 2>&1 & pids+=($!)
sleep 1
for i in 0 1 2; do "$R" silo --cluster redis://127.0.0.1:$PORT --name s$i > "$LOGS/silo$i.log" 2>&1 & pids+=($!); done
until [ "$(grep -l ' up: ' "$LOGS"/silo*.log 2>/dev/null | wc -l)" = 3 ]; do sleep 1; done
GEN=(); [ -f "$ITEMS" ] || GEN=(--generate "$N" --dim 64)
"$R" bench cluster --cluster redis://127.0.0.1:$PORT --items "$ITEMS" "${GEN[@]}" --shards 3 --replicas "$REPL" \
     --batch 1,16,64 --calls 10 --threads 3 --k 20 --out "$OUT"
