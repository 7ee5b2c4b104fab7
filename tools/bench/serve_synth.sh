#!/usr/bin/env bash
# Issue 4's serving benchmark: `podserve bench` against `podserve serve` on the 8-layer
# Qwen3-30B-A3B-shaped synth loaded with --quantization q8, at several request rates, then the
# engine alone (`podserve bench-engine`) on the same workload for the server's overhead.
# Usage: tools/bench/serve_synth.sh [MODEL_DIR] [OUT_DIR] [RATES...]
# Make the model first: ./podserve synth --like qwen3-30b-a3b --layers 8 --out /work/synth-qwen3-30b-a3b-l8
set -euo pipefail
cd "$(dirname "$0")/../.."
MODEL=${1:-/work/synth-qwen3-30b-a3b-l8}
OUT=${2:-/tmp/serve-bench}
shift 2 || true
RATES=${*:-0.05 0.1 0.2 inf}
PORT=${PORT:-8011}
NUM=${NUM:-32}
WORDS=${WORDS:-20}     # synthetic words per prompt; the synth's byte-level tokenizer makes ~7 tokens of each
OUTLEN=${OUTLEN:-32}
# NOTE: no prefix caching: every rate would otherwise reuse the KV of earlier runs' prompts.
ENGINE_OPTS=(--max-num-seqs 32 --max-batched-tokens 512 --kv-cache-gb 2 --no-prefix-caching)
mkdir -p "$OUT"
./podserve serve --model "$MODEL" --quantization q8 --port "$PORT" "${ENGINE_OPTS[@]}" >"$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
until grep -q "^serving" "$OUT/serve.log"; do
  kill -0 "$SERVER" || { cat "$OUT/serve.log"; exit 1; }
  sleep 2
done
NAME=$(basename "$MODEL")
SEED=0
for rate in $RATES; do
  SEED=$((SEED + 1))   # other prompts at every rate
  echo "== request rate $rate" | tee "$OUT/bench-$rate.txt"
  ./podserve bench --url "http://127.0.0.1:$PORT" --model "$NAME" --num-prompts "$NUM" --request-rate "$rate" \
      --input-len "$WORDS" --output-len "$OUTLEN" --seed "$SEED" --json "$OUT/bench-$rate.json" 2>/dev/null | tee -a "$OUT/bench-$rate.txt"
done
kill $SERVER; wait $SERVER 2>/dev/null || true
trap - EXIT
# The engine alone, every request at once: the last rate's prompts (bench's synthetic words, same seed,
# tokenized as the server does) and the same engine options, no HTTP.
echo "== engine alone" | tee "$OUT/engine.txt"
./podserve bench-engine --model "$MODEL" --quantization q8 "${ENGINE_OPTS[@]}" --num-prompts "$NUM" \
    --words "$WORDS" --seed "$SEED" --output-len "$OUTLEN" 2>/dev/null | tee -a "$OUT/engine.txt"
