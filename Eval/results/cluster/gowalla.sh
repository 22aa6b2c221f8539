#!/usr/bin/env bash
# Gowalla MF (64-d, 40,981 items): one recsys serve process vs recsys serve --cluster over 3 silo processes (3 shards x 2
# replicas) on the same machine, then a SIGKILL of one silo under load. Usage: gowalla.sh RECSYS RUN DATA OUTDIR
set -euo pipefail
R=$1; RUN=$2; DATA=$3; OUT=$4
mkdir -p "$OUT"
PORT=6391
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; sleep 5; for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
redis-server --port $PORT --bind 127.0.0.1 --save '' --appendonly no > "$OUT/redis.log" 2>&1 & pids+=($!)
sleep 1
for i in 0 1 2; do "$R" silo --cluster redis://127.0.0.1:$PORT --name s$i > "$OUT/silo$i.log" 2>&1 & pids+=($!); silo[$i]=$!; done
until [ "$(grep -l ' up: ' "$OUT"/silo*.log 2>/dev/null | wc -l)" = 3 ]; do sleep 1; done
"$R" serve --run "$RUN" --data "$DATA" --port 18181 > "$OUT/serve-single.log" 2>&1 & pids+=($!)
"$R" serve --cluster redis://127.0.0.1:$PORT --run "$RUN" --data "$DATA" --port 18182 --shards 3 --replicas 2 > "$OUT/serve-cluster.log" 2>&1 & pids+=($!)
until grep -q ' on http' "$OUT/serve-single.log" && grep -q ' on http' "$OUT/serve-cluster.log"; do sleep 1; done
"$R" cluster status --cluster redis://127.0.0.1:$PORT > "$OUT/status.txt" 2>/dev/null
# Hop overhead: alternating rounds so drift on the shared machine hits both alike; answers checked against the library.
"$R" bench serve --url single=http://127.0.0.1:18181 --url cluster=http://127.0.0.1:18182 --data "$DATA" --run "$RUN" \
     --clients 8 --duration 20s --warmup 3s --rounds 2 --k 20 --json --out "$OUT/overhead.json" > "$OUT/overhead.stdout.json"
# Failover: 30 s of load on the cluster front; silo s1 is SIGKILLed 10 s in.
( sleep 13; kill -KILL "${silo[1]}"; date -u +%FT%T.%3NZ > "$OUT/killed-at.txt" ) &
"$R" bench serve --url cluster=http://127.0.0.1:18182 --data "$DATA" --run "$RUN" --clients 8 --duration 30s --warmup 3s --k 20 \
     --json --out "$OUT/failover.json" > "$OUT/failover.stdout.json"
sleep 5
"$R" cluster status --cluster redis://127.0.0.1:$PORT > "$OUT/status-after-kill.txt" 2>/dev/null
