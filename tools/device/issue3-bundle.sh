#!/usr/bin/env bash
# Packs what tools/device/issue3-run.sh needs on the device machine (which has no JDK) into one
# xz tarball: a jlinked JDK 25 runtime (uncompressed inside, so xz does the compressing) and the
# classpath (the podserve CLI jar, the peer benchmark's classes, Jlama and the parts of its
# dependencies it loads), each jar unpacked for the same reason. Usage, from the repo root after
# `./mvnw -B -q -DskipTests install`:  tools/device/issue3-bundle.sh OUTDIR
# With PEER=0, only what the facts/qwen-*/profile stages need (no Jlama). Either way the CLI jar goes
# without its charts and Aeron: a bundle small enough to carry beside a working tree that has grown.
set -euo pipefail
out=${1:?usage: issue3-bundle.sh OUTDIR}
jdk=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
m2=${M2_REPO:-$HOME/.m2/repository}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# NOTE: Jlama's prompt templates (jinjava) need java.beans, in java.desktop; the JFR stages need jdk.jfr. Each
# bundle takes only its own: with both, the Jlama bundle no longer fits beside the tree.
extra=jdk.jfr
[ "${PEER:-1}" = 0 ] || extra=java.desktop
"$jdk/bin/jlink" --add-modules java.base,jdk.incubator.vector,java.management,jdk.unsupported,java.logging,java.sql,java.naming,java.net.http,$extra \
  --strip-debug --no-man-pages --no-header-files --compress=zip-0 --output "$tmp/bundle/jre"
# NOTE: the Jlama jars are the ones its Mixtral load path touches (found by running it with
# fewer): the emoji and template-engine extras of its full dependency tree would not fit the
# carried tree's 64 MiB.
jars=(podserve-cli/target/podserve.jar
  "$m2/com/github/tjake/jlama-core/0.8.4/jlama-core-0.8.4.jar"
  "$m2/com/google/guava/guava/32.0.1-jre/guava-32.0.1-jre.jar"
  "$m2/com/google/guava/failureaccess/1.0.1/failureaccess-1.0.1.jar"
  "$m2/org/jctools/jctools-core/4.0.1/jctools-core-4.0.1.jar"
  "$m2/net/jafama/jafama/2.3.2/jafama-2.3.2.jar"
  "$m2/org/slf4j/slf4j-api/2.0.7/slf4j-api-2.0.7.jar"
  "$m2/com/hubspot/jinjava/jinjava/2.7.2/jinjava-2.7.2.jar"
  "$m2/org/apache/commons/commons-lang3/3.9/commons-lang3-3.9.jar"
  "$m2/com/fasterxml/jackson/dataformat/jackson-dataformat-yaml/2.14.0/jackson-dataformat-yaml-2.14.0.jar"
  "$m2/com/google/re2j/re2j/1.2/re2j-1.2.jar")
# NOTE: the charts and Aeron are not on these stages' paths; without them the bundle fits beside the tree.
cp podserve-cli/target/podserve.jar "$tmp/podserve.jar"
zip -q -d "$tmp/podserve.jar" 'org/jfree/*' 'io/aeron/*' > /dev/null
jars[0]="$tmp/podserve.jar"
if [ "${PEER:-1}" = 0 ]; then
  jars=("$tmp/podserve.jar")
fi
for j in "${jars[@]}"; do
  a=$(readlink -f "$j")
  d="$tmp/bundle/cp/$(basename "$j" .jar)"
  mkdir -p "$d" && (cd "$d" && unzip -q "$a")
done
if [ "${PEER:-1}" != 0 ]; then
  mkdir -p "$tmp/bundle/cp/podserve-peer"
  cp -r podserve-jmh/target/classes/io "$tmp/bundle/cp/podserve-peer/"
  rm -rf "$tmp/bundle/cp/podserve-peer/io/podserve/jmh/"*.class "$tmp/bundle/cp/podserve-peer/io/podserve/jmh/jmh_generated"
fi
mkdir -p "$out"
tar cf - -C "$tmp" bundle | xz -9 -T0 > "$out/bundle.tar.xz" # -9: the Jlama bundle must fit beside the tree
cp tools/device/issue3-run.sh tools/device/bundle-env.sh "$out/"
ls -la "$out"
