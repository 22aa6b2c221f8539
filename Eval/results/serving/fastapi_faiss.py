"""Reference service for `recsys bench serve`: FastAPI + FAISS IndexFlatIP over the same embeddings.

A measuring aid only (the toolkit never depends on it). It answers POST /v1/recommend with the same JSON shape as
`recsys serve` ({"items": [{"item", "score"}], "version", "generation"}) so the bench's answer check applies to it.

    recsys export --run RUN --data DATA --out EXPORT
    python3 fastapi_faiss.py --export EXPORT --port 8000 --workers 2

Seen items are excluded by over-fetching k + |seen| neighbours and filtering, which is exact.
"""
import argparse
import os

import faiss
import numpy as np
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel


class Query(BaseModel):
    user: str
    k: int = 20
    excludeSeen: bool = True


def load(folder):
    items = np.load(os.path.join(folder, "item_embeddings.npy")).astype(np.float32)
    users = np.load(os.path.join(folder, "user_embeddings.npy")).astype(np.float32)
    item_ids = open(os.path.join(folder, "items.txt")).read().split("\n")[: items.shape[0]]
    user_ids = open(os.path.join(folder, "users.txt")).read().split("\n")
    indptr = np.load(os.path.join(folder, "seen_indptr.npy"))
    indices = np.load(os.path.join(folder, "seen_indices.npy"))
    index = faiss.IndexFlatIP(items.shape[1])
    index.add(items)
    rows = {u: i for i, u in enumerate(user_ids[: users.shape[0]])}
    return index, users, item_ids, rows, indptr, indices


app = FastAPI()
INDEX = USERS = ITEM_IDS = USER_ROWS = INDPTR = INDICES = None  # loaded by __main__ before the workers fork


@app.post("/v1/recommend")
def recommend(q: Query):
    row = USER_ROWS.get(q.user)
    if row is None:
        raise HTTPException(status_code=400, detail=f"unknown user '{q.user}'")
    if not 1 <= q.k <= len(ITEM_IDS):
        raise HTTPException(status_code=400, detail="k out of range")
    seen = INDICES[INDPTR[row]: INDPTR[row + 1]] if q.excludeSeen else INDICES[:0]
    fetch = min(len(ITEM_IDS), q.k + len(seen))
    scores, ids = INDEX.search(USERS[row: row + 1], fetch)
    skip = set(seen.tolist())
    out = []
    for i, s in zip(ids[0].tolist(), scores[0].tolist()):
        if i < 0 or i in skip:
            continue
        out.append({"item": ITEM_IDS[i], "score": s})
        if len(out) == q.k:
            break
    return {"items": out, "version": "fastapi-faiss", "generation": 1}


def serve(host, port, workers):
    """Forks `workers` single-process uvicorn servers accepting on one listening socket.

    Not `uvicorn --workers`: its worker processes rebuild the listening socket without IPPROTO_TCP, so asyncio never
    sets TCP_NODELAY on accepted connections and every answer waits ~40 ms for a delayed ACK (measured: 88 req/s).
    """
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    for _ in range(workers - 1):
        if os.fork() == 0:
            break
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--export", required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)
    a = p.parse_args()
    faiss.omp_set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    INDEX, USERS, ITEM_IDS, USER_ROWS, INDPTR, INDICES = load(a.export)
    serve(a.host, a.port, a.workers)
