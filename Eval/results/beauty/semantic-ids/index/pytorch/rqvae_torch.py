#!/usr/bin/env python3
"""Plain PyTorch RQ-VAE with the architecture and training of `recsys index semantic-ids --method rqvae`, for timing.

Usage: rqvae_torch.py ITEM_FEATURES.arrow [--epochs 60] [--batch 512] [--seed 0] [--threads 1] [--out FILE.json]

Same as the TorchSharp indexer (Embeddings/SemanticIds/RqVae): inputs standardised per column (population variance);
encoder Linear 512/256/128 -> latent 32 with ReLU between layers, mirrored decoder, every Linear U(+-1/sqrt(fan-in)),
codebooks 3 x 256 x 32 N(0, 0.01^2); codebooks initialised by residual k-means (k-means++ seeding, <= 25 Lloyd steps,
empty clusters re-seeded with the farthest points); loss = reconstruction MSE + sum over levels of
mse(e, sg[r]) + beta * mse(r, sg[e]), beta = 0.25, straight-through; AdamW(lr 1e-3, weight decay 1e-4), batch 512,
items shuffled every epoch; after every epoch but the last, codewords no item chose are re-seeded with the residuals
of the worst-quantised items. An epoch's seconds include that re-seeding, as the TorchSharp indexer counts them.
Codes are the nearest codewords (the TorchSharp default's balanced last level is not part of the timing).

Reads the features straight from the Arrow IPC file written by `recsys features` (no pyarrow on this machine): the
item column is the int32 run 0..n-1 and the fixed-size-list float32 values follow it; the reader checks that what it
found is standardised (column means ~0, variances ~1) and stops otherwise.
"""
import argparse
import json
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


def read_features(path, dim=None):
    b = open(path, "rb").read()
    if b[:6] != b"ARROW1":
        raise SystemExit(f"{path}: not an Arrow IPC file")
    # The item column 0..n-1 is the longest int32 arange in the file: grow n until it is no longer found.
    n = 1
    while b.find(np.arange(n * 2, dtype="<i4").tobytes()) >= 0:
        n *= 2
    lo, hi = n, n * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if b.find(np.arange(mid, dtype="<i4").tobytes()) >= 0:
            lo = mid
        else:
            hi = mid
    n = lo
    key = np.arange(n, dtype="<i4").tobytes()
    start = (b.find(key) + len(key) + 7) // 8 * 8
    if dim is None:
        dim = (len(b) - start) // (4 * n)
    x = np.frombuffer(b, dtype="<f4", count=n * dim, offset=start).reshape(n, dim).copy()
    if not (np.abs(x.mean(0)).max() < 1e-3 and np.abs(x.var(0) - 1).max() < 1e-3):
        raise SystemExit(f"{path}: the values after the item column are not standardised features; pass --dim")
    return x


def standardise(x):
    m = x.mean(0, keepdims=True)
    s = x.std(0, keepdims=True)
    s[s == 0] = 1
    return (x - m) / s


def mlp(widths, g):
    layers = []
    for i in range(len(widths) - 1):
        lin = nn.Linear(widths[i], widths[i + 1])
        bound = 1 / widths[i] ** 0.5
        with torch.no_grad():
            lin.weight.uniform_(-bound, bound, generator=g)
            lin.bias.uniform_(-bound, bound, generator=g)
        layers.append(lin)
        if i + 2 < len(widths):
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class RqVae(nn.Module):
    def __init__(self, d, widths, latent, levels, codes, seed):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        w = [d] + widths + [latent]
        self.encoder = mlp(w, g)
        self.decoder = mlp(w[::-1], g)
        self.codebooks = nn.Parameter(torch.randn(levels, codes, latent, generator=g) * 0.01)


def nearest(r, book):
    dist = (book ** 2).sum(1)[None, :] - 2 * r @ book.t()
    return dist.argmin(1)


def quantize(z, books, beta):
    r, q, loss, codes = z, torch.zeros_like(z), z.new_zeros(()), []
    for l in range(books.shape[0]):
        with torch.no_grad():
            c = nearest(r, books[l])
        e = books[l].index_select(0, c)
        loss = loss + F.mse_loss(e, r.detach()) + beta * F.mse_loss(r, e.detach())
        q = q + e
        codes.append(c)
        r = r - e.detach()
    return q, torch.stack(codes, 1), loss


@torch.no_grad()
def kmeans(x, k, rng, iterations):
    n = x.shape[0]
    xx = (x ** 2).sum(1)
    chosen = [int(rng.integers(n))]
    d2 = (xx - 2 * x @ x[chosen[0]] + x[chosen[0]].dot(x[chosen[0]])).clamp_min(0)
    for _ in range(1, k):
        w = d2.double().numpy()
        total = w.sum()
        pick = int(rng.integers(n)) if not total > 0 else int(min(np.searchsorted(np.cumsum(w), rng.random() * total, side="right"), n - 1))
        chosen.append(pick)
        d2 = torch.minimum(d2, (xx - 2 * x @ x[pick] + x[pick].dot(x[pick])).clamp_min(0))
    c = x[chosen].clone()

    def assign(c):
        dist = (c ** 2).sum(1)[None, :] - 2 * x @ c.t()
        mn, arg = dist.min(1)
        return arg, (mn + xx).clamp_min(0)

    a, best = assign(c)
    for _ in range(iterations):
        sums = torch.zeros(k, x.shape[1]).index_add_(0, a, x)
        counts = torch.bincount(a, minlength=k).float()
        c = sums / counts.clamp_min(1)[:, None]
        empty = (counts == 0).nonzero().flatten()
        if len(empty):
            far = best.argsort(descending=True)[: len(empty)]
            c[empty] = x[far]
        nxt, best = assign(c)
        same = bool((nxt == a).all())
        a = nxt
        if same:
            break
    return c, a


@torch.no_grad()
def reseed_dead(net, x):
    r = net.encoder(x)
    levels, k = net.codebooks.shape[0], net.codebooks.shape[1]
    count_all = 0
    for l in range(levels):
        book = net.codebooks[l]
        c = nearest(r, book)
        e = book.index_select(0, c)
        dead = (torch.bincount(c, minlength=k) == 0).nonzero().flatten()
        cnt = min(len(dead), r.shape[0])
        if cnt:
            worst = ((r - e) ** 2).sum(1).argsort(descending=True)[:cnt]
            book.index_copy_(0, dead[:cnt], r.index_select(0, worst))
            count_all += cnt
        r = r - e
    return count_all


def main():
    p = argparse.ArgumentParser()
    p.add_argument("features")
    p.add_argument("--epochs", type=int, default=60)
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--levels", type=int, default=3)
    p.add_argument("--codes", type=int, default=256)
    p.add_argument("--dim", type=int, default=None)
    p.add_argument("--out", default=None)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    t0, c0 = time.perf_counter(), time.process_time()
    x = torch.from_numpy(standardise(read_features(a.features, a.dim)).astype(np.float32))
    n = x.shape[0]
    net = RqVae(x.shape[1], [512, 256, 128], 32, a.levels, a.codes, a.seed)
    rng = np.random.default_rng(a.seed)
    ki = time.perf_counter()
    with torch.no_grad():
        r = net.encoder(x)
        for l in range(a.levels):
            c, asg = kmeans(r, a.codes, rng, 25)
            net.codebooks[l].copy_(c)
            r = r - c.index_select(0, asg)
    kmeans_s = time.perf_counter() - ki
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-4)
    epochs, reseeded = [], 0
    for epoch in range(1, a.epochs + 1):
        es = time.perf_counter()
        order = torch.from_numpy(rng.permutation(n))
        tot = rec = qua = 0.0
        for s in range(0, n, a.batch):
            b = x.index_select(0, order[s:s + a.batch])
            z = net.encoder(b)
            q, _, lq = quantize(z, net.codebooks, 0.25)
            lr = F.mse_loss(net.decoder(z + (q - z).detach()), b)
            loss = lr + lq
            opt.zero_grad()
            loss.backward()
            opt.step()
            m = b.shape[0]
            tot += loss.item() * m; rec += lr.item() * m; qua += lq.item() * m
        if epoch < a.epochs:
            reseeded += reseed_dead(net, x)
        sec = time.perf_counter() - es
        epochs.append({"epoch": epoch, "total": tot / n, "reconstruction": rec / n, "quantization": qua / n, "seconds": sec})
        print(f"epoch {epoch}/{a.epochs}: loss {tot / n:.4f} (reconstruction {rec / n:.4f}, quantisation {qua / n:.4f}), {sec:.2f} s", flush=True)
    with torch.no_grad():
        z = net.encoder(x)
        q, codes, _ = quantize(z, net.codebooks, 0.25)
        err = F.mse_loss(net.decoder(q), x).item()
    unique = len({tuple(t) for t in codes.tolist()})
    res = {"torch": torch.__version__, "threads": torch.get_num_threads(), "items": n, "dim": x.shape[1], "epochs": a.epochs,
           "batch": a.batch, "kmeansInitSeconds": kmeans_s, "seconds": time.perf_counter() - t0, "cpuSeconds": time.process_time() - c0,
           "reconstructionError": err, "uniqueTuples": unique, "uniqueFraction": unique / n, "reseededCodes": reseeded, "losses": epochs}
    print(f"{n} items, reconstruction error {err:.4f}, unique on {a.levels} codes {unique} ({100 * unique / n:.2f} %), "
          f"{res['seconds']:.1f} s (cpu {res['cpuSeconds']:.1f} s)", flush=True)
    if a.out:
        json.dump(res, open(a.out, "w"), indent=1)


if __name__ == "__main__":
    main()
