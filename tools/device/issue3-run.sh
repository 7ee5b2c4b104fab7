#!/usr/bin/env bash
# Issue 3's measurements in one device call: machine facts, the Qwen3-30B-A3B-shaped synth
# (8 layers) through bench-model in bf16 and q8, and podserve beside Jlama on a Mixtral-shaped
# synth. Runs from the carried folder made by issue3-bundle.sh; results go to $OUT.
# Usage: issue3-run.sh BUNDLE_DIR [stages...]   (stages: facts qwen-bf16 qwen-q8 peer; default all;
# also profile: a JFR recording of bf16 batch 32 decode and prefill, to $OUT/profile.jfr; and
# qwen-bf16-base, qwen-q8-base: the same with the batch-lane matmul path off, the 2 × 8 tile for every batch;
# qwen-bf16-no4x4: bf16 with the 4 × 2 fused dots off, 2-23 x rows through the panel;
# profile1: a JFR recording of 64 bf16 batch-1 decode steps, to $OUT/profile1.jfr;
# decode-bf16, decode-bf16-fixedchunks, decode-bf16-t15, decode-bf16-rowchunks: bf16 decode only; without the
# balanced matmul chunks; on a pool of 15 threads (one core left to the JIT, GC and the OS); with chunks of 96
# rows whatever their width (not sized by bytes))
set -u
. "$(dirname "$0")/bundle-env.sh" "${1:?usage: issue3-run.sh BUNDLE_DIR [stages]}" issue3
shift
stages=${*:-facts qwen-bf16 qwen-q8 peer}
java=(/tmp/bundle/jre/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
  --sun-misc-unsafe-memory-access=allow -XX:+UseParallelGC -Xmx16g)
cli=("${java[@]}" -cp /tmp/bundle/cp/podserve io.podserve.cli.Main)
cp=$(ls -d /tmp/bundle/cp/* | tr '\n' ':')
for stage in $stages; do
  echo "=== $stage $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
  case $stage in
    facts)
      { nproc; grep -m1 'model name' /proc/cpuinfo; grep -m1 flags /proc/cpuinfo | grep -o 'avx512[a-z_0-9]*' | sort -u | tr '\n' ' '; echo;
        free -g; uptime; /tmp/bundle/jre/bin/java -version 2>&1; lscpu | grep -E 'Socket|Thread|Core|NUMA|L3'; } >> "$out/log.txt" 2>&1 ;;
    qwen-bf16|qwen-q8|qwen-bf16-base|qwen-q8-base|qwen-bf16-no4x4|decode-bf16|decode-bf16-fixedchunks|decode-bf16-t15|decode-bf16-rowchunks)
      [ -f "$work/qwen/model.safetensors" ] || "${cli[@]}" synth --like qwen3-30b-a3b --layers 8 --out "$work/qwen" 2>&1 | tail -1 | tee -a "$out/log.txt"
      sync # NOTE: the synth's 10 GiB of dirty pages otherwise flush during the first measurement (steps up to 25% slower)
      q=(); [[ $stage == qwen-q8* ]] && q=(--quantization q8)
      base=(); [[ $stage == *-base ]] && base=(-Dpodserve.kernels.lanesMinBatch=2147483647)
      [[ $stage == *-no4x4 ]] && base=(-Dpodserve.kernels.dot4x2Rows=1)
      [[ $stage == *-fixedchunks ]] && base=(-Dpodserve.kernels.balancedChunks=false)
      [[ $stage == *-t15 ]] && base=(-Dpodserve.kernels.threads=15)
      [[ $stage == *-rowchunks ]] && base=(-Dpodserve.kernels.chunkBytes=0)
      pre=512; [[ $stage == decode-* ]] && pre=0
      "${java[@]}" "${base[@]}" -cp /tmp/bundle/cp/podserve io.podserve.cli.Main bench-model --model "$work/qwen" "${q[@]}" --batch 1,8,32 --steps 8 --prefill $pre --breakdown 2>&1 | tee -a "$out/log.txt" ;;
    profile)
      [ -f "$work/qwen/model.safetensors" ] || "${cli[@]}" synth --like qwen3-30b-a3b --layers 8 --out "$work/qwen" 2>&1 | tail -1 | tee -a "$out/log.txt"
      "${java[@]}" -XX:StartFlightRecording=filename="$out/profile.jfr",settings=profile -cp /tmp/bundle/cp/podserve \
        io.podserve.cli.Main bench-model --model "$work/qwen" --batch 32 --steps 8 --prefill 512 2>&1 | tee -a "$out/log.txt" ;;
    profile1)
      [ -f "$work/qwen/model.safetensors" ] || "${cli[@]}" synth --like qwen3-30b-a3b --layers 8 --out "$work/qwen" 2>&1 | tail -1 | tee -a "$out/log.txt"
      "${java[@]}" -XX:StartFlightRecording=filename="$out/profile1.jfr",settings=profile -cp /tmp/bundle/cp/podserve \
        io.podserve.cli.Main bench-model --model "$work/qwen" --batch 1 --steps 64 --prefill 0 --breakdown 2>&1 | tee -a "$out/log.txt" ;;
    peer)
      [ -f "$work/mixtral/model.safetensors" ] || "${cli[@]}" synth --like mixtral-8x7b --layers 2 --out "$work/mixtral" 2>&1 | tail -1 | tee -a "$out/log.txt"
      "${java[@]}" -cp "$cp" io.podserve.jmh.peer.PeerDecode --model "$work/mixtral" --prompt 128 --tokens 32 2>&1 \
        | grep -v '^SLF4J' | tee -a "$out/log.txt" ;;
  esac
done
echo "=== done $(date -u +%T)" | tee -a "$out/log.txt"
