"""Side-by-side reference for `recsys cluster louvain` (issue #5): igraph's multilevel Louvain on the Gowalla
training graph (users 0..U-1, items U..U+I-1, unweighted). Measuring only; the project does not depend on it.
Debian: apt-get install python3-igraph; run with /usr/bin/python3 igraph_louvain.py TRAIN.txt [RESOLUTION ...]."""
import sys
import time

import igraph as ig

path = sys.argv[1]
resolutions = [float(r) for r in sys.argv[2:]] or [1.0, 200.0]
users, edges = 0, []
for line in open(path):
    parts = line.split()
    if not parts:
        continue
    u = int(parts[0])
    users = max(users, u + 1)
    edges.extend((u, int(i)) for i in parts[1:])
items = max(i for _, i in edges) + 1
t0 = time.perf_counter()
g = ig.Graph(n=users + items, edges=[(u, users + i) for u, i in edges])
print(f"graph: {users} users, {items} items, {g.ecount()} edges, built in {time.perf_counter() - t0:.2f} s")
for r in resolutions:
    t0 = time.perf_counter()
    c = g.community_multilevel(resolution=r)
    dt = time.perf_counter() - t0
    print(f"resolution {r:g}: {len(c)} clusters, modularity (at that resolution) {g.modularity(c.membership, resolution=r):.4f}, "
          f"standard modularity {g.modularity(c.membership):.4f}, {dt:.3f} s")
