#!/usr/bin/env bash
# Packs what tools/device/issue4-run.sh needs on the device machine (which has no JDK): a jlinked
# JDK 25 runtime (the modules jdeps finds the CLI jar using, less the ones no run path reaches) and
# the podserve CLI jar, in one xz tarball under the 64 MiB that a device call carries. Usage, from the repo root after
# `./mvnw -B -q -DskipTests install`:  tools/device/issue4-bundle.sh OUTDIR
set -euo pipefail
out=${1:?usage: issue4-bundle.sh OUTDIR}
jdk=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$jdk/bin/jlink" --add-modules java.base,java.naming,java.net.http,java.sql,java.management,java.logging,jdk.incubator.vector,jdk.jfr,jdk.management,jdk.unsupported,jdk.crypto.ec \
  --strip-debug --no-man-pages --no-header-files --compress=zip-0 --output "$tmp/bundle/jre"
cp podserve-cli/target/podserve.jar "$tmp/bundle/"
# The charts (JFreeChart) are not on the serving path (nor xccl-bench's); without them
# the tree, the bundle and the repository fit the 64 MiB a device call carries.
zip -q -d "$tmp/bundle/podserve.jar" 'org/jfree/*' > /dev/null
mkdir -p "$out"
tar cf - -C "$tmp" bundle | xz -9 -T0 > "$out/bundle.tar.xz"
cp tools/device/issue4-run.sh tools/device/bundle-env.sh "$out/"
ls -la "$out"
