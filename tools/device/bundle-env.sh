# Sourced by the tools/device/*-run.sh scripts: unpacks BUNDLE_DIR/bundle.tar.xz into /tmp/bundle
# (once per machine: the device machine has no JDK, the bundle carries a jlinked one) and sets
# out (results, $OUT) and work (/tmp/NAME, scratch such as synth checkpoints).
# Usage: . bundle-env.sh BUNDLE_DIR NAME
bundle_here=$(cd "${1:?bundle-env.sh: BUNDLE_DIR}" && pwd)
out=${OUT:-/tmp/out}
work=/tmp/${2:?bundle-env.sh: NAME}
mkdir -p "$out" "$work"
if [ ! -x /tmp/bundle/jre/bin/java ]; then
  python3 -c "import tarfile,sys; tarfile.open(sys.argv[1]).extractall('/tmp')" "$bundle_here/bundle.tar.xz"
fi
