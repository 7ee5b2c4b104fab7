#!/usr/bin/env python3
"""Turns a `podserve bench --json` record into a planner trace (timestamp_seconds,input_tokens,output_tokens),
so `podserve plan --arrival trace` replays exactly the arrivals and lengths the bench sent. Prints the trace's
own rate, (n - 1) / span, which is the --rate that replays it unscaled.
Usage: bench_trace.py BENCH.json TRACE.csv"""
import json
import sys

bench, trace = sys.argv[1], sys.argv[2]
requests = sorted(json.load(open(bench))["requests"], key=lambda r: r["scheduled_s"])
with open(trace, "w") as f:
    f.write(f"# arrivals of {bench}\ntimestamp_seconds,input_tokens,output_tokens\n")
    for r in requests:
        f.write(f"{r['scheduled_s']:.6f},{r['prompt_tokens']},{r['output_tokens']}\n")
span = requests[-1]["scheduled_s"] - requests[0]["scheduled_s"]
print(f"{(len(requests) - 1) / span:.6f}")
