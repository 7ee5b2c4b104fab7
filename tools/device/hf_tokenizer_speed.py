#!/usr/bin/env python3
"""Measures Hugging Face `tokenizers` encode throughput on the benchmark corpus, for the ratio in docs/benchmarks.md.

  hf_tokenizer_speed.py [NAME ...]   (qwen3, deepseek_v3)
Single-threaded, as podserve's JMH TokenizerEncodeBenchmark: "whole" is Tokenizer.encode on the corpus as one
string; "paragraphs" is encode_batch over its paragraphs (split on blank lines) with TOKENIZERS_PARALLELISM=false,
so the batch runs on one thread. The median of 5 runs after one warm-up. Prints one JSON line per tokenizer and mode.
"""
import gzip, json, os, platform, statistics, sys, time

os.environ["TOKENIZERS_PARALLELISM"] = "false"
import tokenizers
from tokenizers import Tokenizer

CORPUS = "podserve-jmh/src/main/resources/corpus/mixed.txt.gz"
FILES = {"qwen3": "testdata/tokenizers/qwen3/tokenizer.json.gz", "deepseek_v3": "testdata/tokenizers/deepseek_v3/tokenizer.json.gz"}


def main(names):
    text = gzip.open(CORPUS, "rt", encoding="utf-8").read()
    nbytes = len(text.encode("utf-8"))
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    modes = {"whole": lambda tok: len(tok.encode(text, add_special_tokens=False).ids),
             "paragraphs": lambda tok: sum(len(e.ids) for e in tok.encode_batch(paragraphs, add_special_tokens=False))}
    for name in names or FILES:
        tok = Tokenizer.from_str(gzip.open(FILES[name], "rt", encoding="utf-8").read())
        for mode, run in modes.items():
            run(tok)
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                n = run(tok)
                times.append(time.perf_counter() - t0)
            med = statistics.median(times)
            print(json.dumps({"tokenizer": name, "mode": mode, "library": f"tokenizers {tokenizers.__version__}",
                              "bytes": nbytes, "tokens": n, "seconds_median": round(med, 4),
                              "MB_per_s": round(nbytes / med / 1e6, 2), "cores": os.cpu_count()}))

if __name__ == "__main__":
    main(sys.argv[1:])
