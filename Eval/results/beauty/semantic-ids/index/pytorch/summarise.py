#!/usr/bin/env python3
"""Reads side_by_side.sh's run list (stdin) and writes one JSON with every run's per-epoch seconds;
--table FILE prints the markdown table of that JSON (median seconds per epoch over epochs 2.., the first is warm-up)."""
import json
import statistics
import sys

if len(sys.argv) > 2 and sys.argv[1] == "--table":
    runs = json.load(open(sys.argv[2]))
    print("| contender | round | load average before | median s/epoch (epochs 2..) | k-means init s | recon. error after the epochs |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in runs:
        print(f"| {r['contender']} | {r['round']} | {r['load']:.1f} | {r['medianEpochSeconds']:.2f} | "
              f"{r['kmeansInitSeconds'] if r['kmeansInitSeconds'] is not None else '–'} | {r['reconstructionError']:.4f} |")
    by = {}
    for r in runs:
        by.setdefault(r["contender"], []).append(r["medianEpochSeconds"])
    for c, v in by.items():
        print(f"\n{c}: median over rounds {statistics.median(v):.2f} s/epoch", end="")
    print()
    sys.exit(0)

out = []
for r in json.load(sys.stdin):
    j = json.load(open(r["file"]))
    secs = [e["seconds"] for e in j["losses"]]
    out.append({"contender": r["contender"], "round": r["round"], "load": r["load"], "epochSeconds": secs,
                "medianEpochSeconds": statistics.median(secs[1:] if len(secs) > 1 else secs),
                "kmeansInitSeconds": round(j["kmeansInitSeconds"], 2) if "kmeansInitSeconds" in j else None,
                "totalSeconds": j["seconds"], "cpuSeconds": j.get("cpuSeconds"), "reconstructionError": j["reconstructionError"]})
json.dump(out, sys.stdout, indent=1)
