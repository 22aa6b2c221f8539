#!/usr/bin/env bash
# Serving benchmark: recsys serve vs a FastAPI + FAISS IndexFlatIP reference over the same Gowalla LightGCN embeddings,
# measured side by side with the same closed-loop client (recsys bench serve) on one machine; then 60 s of load with
# a hot swap every 5 s. Usage: run.sh RUN DATA [OUT_DIR]   (RECSYS = the recsys binary; default: recsys on PATH)
# Needs python3-fastapi python3-uvicorn python3-faiss (Debian) for the reference; measuring aid only.
set -euo pipefail
RUN=$(realpath "$1"); DATA=$(realpath "$2"); OUT=${3:-$(dirname "$0")}
RECSYS=${RECSYS:-recsys}; PY=${PY:-/usr/bin/python3}
CLIENTS=${CLIENTS:-32}; DURATION=${DURATION:-30s}; ROUNDS=${ROUNDS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d); TOKEN=bench-$(date +%s)-token
# The reference forks its worker processes: stop them by their command line too, not only the job.
cleanup() { kill $(jobs -p) 2>/dev/null || true; pkill -f "fastapi_faiss.py --export $WORK/export" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
wait_for() { for _ in $(seq 1 120); do curl -sf -o /dev/null "$1" && return 0; sleep 0.5; done; echo "no answer from $1" >&2; return 1; }

"$RECSYS" export --run "$RUN" --data "$DATA" --out "$WORK/export"
RECSYS_ADMIN_TOKEN=$TOKEN "$RECSYS" serve --run "$RUN" --data "$DATA" --port 18080 --reload-root "$(dirname "$RUN")" --reload-root "$(dirname "$DATA")" > "$WORK/serve.log" 2>&1 &
"$RECSYS" serve --run "$RUN" --data "$DATA" --port 18081 --batch-requests false > "$WORK/serve-unbatched.log" 2>&1 &
OMP_NUM_THREADS=1 "$PY" "$HERE/fastapi_faiss.py" --export "$WORK/export" --port 18000 --workers 2 > "$WORK/fastapi.log" 2>&1 &
wait_for http://127.0.0.1:18080/readyz
wait_for http://127.0.0.1:18081/readyz
wait_for http://127.0.0.1:18000/docs

"$RECSYS" bench serve --url recsys=http://127.0.0.1:18080 --url recsys-unbatched=http://127.0.0.1:18081 --url fastapi-faiss=http://127.0.0.1:18000 \
  --data "$DATA" --run "$RUN" --clients "$CLIENTS" --duration "$DURATION" --rounds "$ROUNDS" --out "$OUT/side-by-side.json" | tee "$OUT/side-by-side.txt"
kill %2 %3 2>/dev/null || true; pkill -f "fastapi_faiss.py --export $WORK/export" 2>/dev/null || true  # the others stop before the hot-swap run
RECSYS_ADMIN_TOKEN=$TOKEN "$RECSYS" bench serve --url recsys=http://127.0.0.1:18080 --data "$DATA" --run "$RUN" \
  --clients "$CLIENTS" --duration 60s --swap-every 5s --out "$OUT/hot-swap.json" | tee "$OUT/hot-swap.txt"
