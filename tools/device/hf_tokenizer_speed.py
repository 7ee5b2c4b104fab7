#!/usr/bin/env python3
"""Measures Hugging Face `tokenizers` encode throughput on the benchmark corpus, for the ratio in docs/benchmarks.md.

  hf_tokenizer_speed.py [NAME ...]   (qwen3, deepseek_v3)
Single-threaded: Tokenizer.encode on the whole corpus as one string (the Rust library's single-input path
does not parallelize), the median of 5 runs after one warm-up. Prints one JSON line per tokenizer.
"""
import gzip, json, os, platform, statistics, sys, time
import tokenizers
from tokenizers import Tokenizer

CORPUS = "podserve-jmh/src/main/resources/corpus/mixed.txt.gz"
FILES = {"qwen3": "testdata/tokenizers/qwen3/tokenizer.json.gz", "deepseek_v3": "testdata/tokenizers/deepseek_v3/tokenizer.json.gz"}


def main(names):
    text = gzip.open(CORPUS, "rt", encoding="utf-8").read()
    nbytes = len(text.encode("utf-8"))
    for name in names or FILES:
        tok = Tokenizer.from_str(gzip.open(FILES[name], "rt", encoding="utf-8").read())
        tok.encode(text, add_special_tokens=False)
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            n = len(tok.encode(text, add_special_tokens=False).ids)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        print(json.dumps({"tokenizer": name, "library": f"tokenizers {tokenizers.__version__}", "bytes": nbytes,
                          "tokens": n, "seconds_median": round(med, 4), "MB_per_s": round(nbytes / med / 1e6, 2),
                          "cpu": platform.processor() or platform.machine(), "cores": os.cpu_count()}))


if __name__ == "__main__":
    main(sys.argv[1:])
