#!/usr/bin/env python3
"""Pareto plot (SVG, no dependencies) of embedding parameters vs test Recall@20 from run.sh's folders: every
configuration evaluated for the seed (eval/CONFIG-SEED.json).
usage: pareto.py OUT SEED [TITLE] > pareto.svg"""
import json, sys, os, glob
out, seed = sys.argv[1], sys.argv[2]
title = sys.argv[3] if len(sys.argv) > 3 else "LightGCN on Last.FM (KGAT split)"
points = {}
def method(c):
    if c == "full": return "full"
    if c.startswith("w"): return "uniform width"
    if c.startswith("gh"): return "GraphHash"
    if c.endswith("rt"): return "DNIS widths, retrained"
    if c.startswith("mixed"): return "tiered by hand"
    if "gh" in c: return "DNIS over GraphHash"
    if "min" in c: return "DNIS, min width"
    return "DNIS"
for ev in sorted(glob.glob(os.path.join(out, "eval", f"*-{seed}.json"))):
    c = os.path.basename(ev)[: -len(f"-{seed}.json")]
    try: recall = json.load(open(ev))["recall@20"]
    except (OSError, ValueError, KeyError): continue
    run = json.load(open(os.path.join(out, f"{c}-{seed}", "run.json")))
    t = run["tables"]; full = (t["users"] + t["items"]) * 64
    frac = (t["userParameters"] + t["itemParameters"]) / full
    points.setdefault(method(c), []).append((frac, recall, c))
W, H, L, B, T, R = 760, 450, 70, 60, 40, 190
ys = [p[1] for ps in points.values() for p in ps]
ylo, yhi = min(ys) - 0.01, max(ys) + 0.01
X = lambda f: L + f * (W - L - R)
Y = lambda r: H - B - (r - ylo) / (yhi - ylo) * (H - B - T)
colors = {"full": "black", "uniform width": "#1f77b4", "DNIS": "#ff7f0e", "GraphHash": "#2ca02c",
          "DNIS over GraphHash": "#9467bd", "DNIS, min width": "#d62728",
          "DNIS widths, retrained": "#8c564b", "tiered by hand": "#7f7f7f"}
order = ["full", "uniform width", "DNIS", "DNIS, min width", "DNIS widths, retrained", "tiered by hand", "GraphHash", "DNIS over GraphHash"]
points = {m: points[m] for m in order if m in points}
s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
     f'<rect width="{W}" height="{H}" fill="white"/>',
     f'<text x="{L}" y="22" font-size="14">{title}, seed {seed}: test Recall@20 vs embedding parameters</text>',
     f'<line x1="{L}" y1="{H-B}" x2="{W-R}" y2="{H-B}" stroke="black"/><line x1="{L}" y1="{T}" x2="{L}" y2="{H-B}" stroke="black"/>',
     f'<text x="{(W-R+L)/2 - 120}" y="{H-20}">embedding parameters (fraction of the full 64-wide tables)</text>',
     f'<text x="15" y="{(H-B+T)/2}" transform="rotate(-90 15 {(H-B+T)/2})">test Recall@20</text>']
for f in [0, 0.25, 0.5, 0.75, 1.0]:
    s.append(f'<line x1="{X(f)}" y1="{H-B}" x2="{X(f)}" y2="{H-B+5}" stroke="black"/><text x="{X(f)-10}" y="{H-B+18}">{f:g}</text>')
for k in range(6):
    r = ylo + k * (yhi - ylo) / 5
    s.append(f'<line x1="{L-5}" y1="{Y(r)}" x2="{L}" y2="{Y(r)}" stroke="black"/><text x="{L-50}" y="{Y(r)+4}">{r:.3f}</text>')
for i, (m, ps) in enumerate(points.items()):
    ps.sort()
    if len(ps) > 1:
        s.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (colors[m], " ".join(f"{X(f)},{Y(r)}" for f, r, _ in ps)))
    for f, r, c in ps:
        s.append(f'<circle cx="{X(f)}" cy="{Y(r)}" r="4" fill="{colors[m]}"><title>{c}: {r:.4f}</title></circle>')
    s.append(f'<rect x="{W-R+15}" y="{T+20*i}" width="12" height="12" fill="{colors[m]}"/><text x="{W-R+32}" y="{T+20*i+11}">{m}</text>')
s.append("</svg>")
print("\n".join(s))
