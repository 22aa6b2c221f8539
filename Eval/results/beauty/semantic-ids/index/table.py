#!/usr/bin/env python3
"""Markdown table of the index info figures: table.py DIR (reads DIR/<method>.info.json and DIR/<method>.index.json)."""
import json, os, sys

d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
order = ["rqvae", "rqkmeans", "random", "sequential", "collaborative", "category"]
print("| method | use c1 / c2 / c3 | perplexity c1 / c2 / c3 | unique prefixes c1 / c2 / c3 | unique on 3 codes | need dedup | largest group | NMI c1 vs top category | recon. error | wall s | cpu s |")
print("|---|---|---|---|---|---|---|---|---|---:|---:|")
for m in order:
    p = os.path.join(d, m + ".info.json")
    if not os.path.exists(p):
        continue
    i = json.load(open(p))
    r = json.load(open(os.path.join(d, m + ".index.json")))
    lv = i["perLevel"]
    nmi = i.get("topCategoryNmi")
    re = r.get("reconstructionError")
    use = " / ".join("%.3f" % l["use"] for l in lv)
    ppl = " / ".join("%.1f" % l["perplexity"] for l in lv)
    pre = " / ".join("{:,}".format(l["uniquePrefixes"]) for l in lv)
    print(f"| {m} | {use} | {ppl} | "
          f"{pre} | {i['uniqueTuples']:,} ({100 * i['uniqueFraction']:.2f}%) | "
          f"{i['itemsNeedingLastCode']:,} | {i['largestCollisionGroup']} | {'–' if nmi is None else f'{nmi:.4f}'} | "
          f"{'–' if re is None else f'{re:.4f}'} | {r['seconds']:.1f} | {r.get('cpuSeconds') or 0:.1f} |")
