#!/usr/bin/env bash
# Issue 5's validation on this machine: profile podserve, then serve + bench the 8-layer
# Qwen3-30B-A3B synth (q8) at several rates, then the planner's predictions from that profile.
# Run on an idle machine; everything lands in OUT. Usage: tools/bench/planner_validation.sh [OUT] [RATES...]
# (env: NUM requests per rate, PROFILE=0 to reuse OUT/cpu-profile.yaml)
set -euo pipefail
cd "$(dirname "$0")/../.."
M=${MODEL:-/work/synth-qwen3-30b-a3b-l8}
OUT=${1:-/tmp/planner-validation}
shift || true
RATES=${*:-0.1 0.2 0.4}
NUM=${NUM:-24}
PORT=${PORT:-8123}
mkdir -p "$OUT"
python3 -c "import json,random; r=random.Random(5); [print(json.dumps({'prompt': ''.join(r.choice('abcdefghijklmnopqrstuvwxyz ') for _ in range(64)), 'output_len': 16, 'prompt_len': 64})) for _ in range(200)]" > "$OUT/prompts.jsonl"
if [ "${PROFILE:-1}" != 0 ]; then
echo "== profile $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
./podserve profile --model "$M" --quantization q8 --out "$OUT/cpu-profile.yaml" --batch 1,4,16 --context 64 \
    --prefill 16,64,256,512 2>/dev/null | tail -5
fi
./podserve serve --model "$M" --quantization q8 --max-num-seqs 16 --max-batched-tokens 512 --kv-cache-gb 1 \
    --no-prefix-caching --port "$PORT" >"$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
until grep -q "^serving" "$OUT/serve.log"; do kill -0 "$SERVER"; sleep 2; done
for rate in $RATES; do
  echo "== bench rate $rate $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  ./podserve bench --url "http://127.0.0.1:$PORT" --model "$(basename "$M")" --dataset "$OUT/prompts.jsonl" \
      --num-prompts "$NUM" --request-rate "$rate" --output-len 16 --slo-ttft-ms 4000 --slo-tpot-ms 800 \
      --warmup 1 --seed 1 --json "$OUT/bench-$rate.json" 2>/dev/null | grep -E "Successful|throughput|TTFT|TPOT|SLO|Goodput|mean"
done
kill $SERVER; wait $SERVER 2>/dev/null || true
trap - EXIT
P=(./podserve plan --model qwen3-30b-a3b --layers 8 --weights q8 --hardware cpu --hardware-file "$OUT/cpu-profile.yaml"
   --input-len 64 --output-len 16 --slo-ttft-ms 4000 --slo-tpot-ms 800 --max-num-seqs 16 --max-batched-tokens 512
   --kv-cache-gb 1 --requests 400)
# Two comparisons. Poisson: the planner draws its own arrivals at each rate (a long run, 400 requests).
# Trace: the planner replays exactly the arrivals and lengths each bench run sent (NUM requests), unscaled.
for rate in $RATES; do
  echo "== planner, poisson at $rate"
  "${P[@]}" --evaluate tp1 --rate "$rate" 2>/dev/null
  traceRate=$(python3 tools/bench/bench_trace.py "$OUT/bench-$rate.json" "$OUT/trace-$rate.csv")
  echo "== planner, the bench's arrivals at $rate (trace rate $traceRate)"
  "${P[@]}" --arrival trace --trace "$OUT/trace-$rate.csv" --requests "$NUM" --evaluate tp1 --rate "$traceRate" 2>/dev/null
done
