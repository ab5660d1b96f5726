#!/usr/bin/env python3
"""How far two committed runs' case medians are apart, case by case: the main measure of each case
(makespan of a burst, requests/s of a loop, first answer of a cold start) in both, the share of
cases within 5 % and 10 %, and the cases further apart than 5 %.

    scripts/figures/compare-runs.py compare/results/2026-12-01 compare/results/2026-12-01-rerun
"""
import json, statistics, sys
def load(p):
    return {c["id"]: c for c in json.load(open(p + "/results.json"))["cases"]}
a, b = load(sys.argv[1]), load(sys.argv[2])
def measure(case):
    vals = []
    for r in case.get("runs", []):
        mode = r.get("mode")
        order = ("firstAnswerMs",) if mode == "coldstart" else ("makespanMs",) if mode in ("burst", "burst-h2", "once") else ("achievedRate", "makespanMs")
        for key in order:
            v = r.get(key)
            if isinstance(v, (int, float)):
                vals.append((key, v)); break
    if not vals: return None, None
    return vals[0][0], statistics.median(v for _, v in vals)
rows = []
for cid in a:
    if cid not in b: continue
    ka, ma = measure(a[cid]); kb, mb = measure(b[cid])
    if ma is None or mb is None or ka != kb or ma == 0: continue
    rows.append((mb / ma, cid, ka, ma, mb))
rows.sort()
within = lambda t: sum(1 for r in rows if abs(r[0] - 1) <= t)
print(f"{len(rows)} cases in both; within 5 %: {within(0.05)}, within 10 %: {within(0.10)}")
for r in rows:
    if abs(r[0] - 1) > 0.05:
        print(f"  {r[1]:40s} {r[2]:14s} {r[3]:>12,.1f} -> {r[4]:>12,.1f}  ({r[0]:.2f}×)")
