#!/usr/bin/env bash
# Issue 4's serving benchmark on the device machine's 16 CPU cores (the GPU is unused): the
# Qwen3-30B-A3B-shaped synth (8 layers) loaded with --quantization q8 behind `podserve serve`,
# `podserve bench` at several request rates, then the server's overhead: bench at rate inf
# against `podserve bench-engine` on the same prompts and engine options. The server and the
# engine-only runs get cores 0-13, the bench client cores 14-15, so the client does not take the
# engine's cores (on the 2-core CI machine it must). Results go to $OUT.
# Usage: issue4-run.sh BUNDLE_DIR   (env: RATES, NUM, ROUNDS)
set -u
. "$(dirname "$0")/bundle-env.sh" "${1:?usage: issue4-run.sh BUNDLE_DIR}" issue4
RATES=${RATES:-1 2 4 inf}
NUM=${NUM:-32}
ROUNDS=${ROUNDS:-3}
server_cpus=0-13
client_cpus=14-15
cli=(/tmp/bundle/jre/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
  --sun-misc-unsafe-memory-access=allow -XX:+UseParallelGC -jar /tmp/bundle/podserve.jar)
opts=(--max-num-seqs 32 --max-batched-tokens 512 --kv-cache-gb 2 --no-prefix-caching)
log() { echo "=== $* $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"; }
log facts
{ nproc; grep -m1 'model name' /proc/cpuinfo; free -g | head -2; /tmp/bundle/jre/bin/java -version 2>&1 | head -1; } >> "$out/log.txt"
model=$work/synth-qwen3-30b-a3b-l8
[ -f "$model/model.safetensors" ] || "${cli[@]}" synth --like qwen3-30b-a3b --layers 8 --out "$model" 2>&1 | tail -1 | tee -a "$out/log.txt"
log serve
taskset -c $server_cpus "${cli[@]}" serve --model "$model" --quantization q8 --port 8011 "${opts[@]}" > "$out/serve.log" 2>&1 &
server=$!
until grep -q "^serving" "$out/serve.log"; do kill -0 $server || { tail -5 "$out/serve.log"; exit 1; }; sleep 1; done
bench() { taskset -c $client_cpus "${cli[@]}" bench --url http://127.0.0.1:8011 --model synth-qwen3-30b-a3b-l8 \
  --num-prompts "$NUM" --input-len 20 --output-len 32 "$@" 2>/dev/null; }
log warm-up
bench --request-rate inf --seed 99 > /dev/null
seed=0
for rate in $RATES; do
  seed=$((seed + 1))
  log "rate $rate"
  bench --request-rate "$rate" --seed $seed --json "$out/bench-$rate.json" | tee -a "$out/log.txt"
done
for i in $(seq "$ROUNDS"); do
  log "overhead served $i"
  bench --request-rate inf --seed $((100 + i)) --json "$out/overhead-served-$i.json" | tee -a "$out/log.txt"
done
kill $server; wait $server
for i in $(seq "$ROUNDS"); do
  log "overhead engine $i"
  taskset -c $server_cpus "${cli[@]}" bench-engine --model "$model" --quantization q8 "${opts[@]}" \
      --num-prompts "$NUM" --words 20 --output-len 32 --seed $((100 + i)) 2>/dev/null | tee -a "$out/log.txt"
done
log done
